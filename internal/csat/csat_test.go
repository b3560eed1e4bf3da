package csat_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/csat"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/testdb"
)

func TestSurveyAfterResolution(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		ws := &care.Workspace{Slug: "acme", Name: "Acme"}
		must(t, s.CreateWorkspace(ctx, ws))
		u := &care.User{Email: "sam@acme.test", Name: "Sam"}
		must(t, s.CreateUser(ctx, u))
		must(t, s.SetMember(ctx, care.Member{WorkspaceID: ws.ID, UserID: u.ID, Role: care.RoleAgent}))
		agent := care.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: care.RoleAgent, Name: "Sam"}
		in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelAPI, Name: "Web"}
		must(t, s.CreateInbox(ctx, in))
		id, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelAPI, care.Author{PlatformUserID: "ana"}, now)
		must(t, err)
		newConv := func() *care.Conversation {
			c := &care.Conversation{WorkspaceID: ws.ID, InboxID: in.ID, Channel: in.Channel, ContactID: id.ContactID, AssigneeID: u.ID}
			must(t, s.CreateConversation(ctx, c))
			must(t, s.CreateMessage(ctx, &care.Message{WorkspaceID: ws.ID, ConversationID: c.ID, InboxID: in.ID, Direction: care.DirectionIn,
				Visibility: care.Private, ContactID: id.ContactID, Text: "help", PlatformID: "m" + itoa(c.ID), Status: care.DeliveryReceived}))
			return c
		}
		srv := httptest.NewServer(nil)
		defer srv.Close()
		sv := &csat.Surveyor{Store: s, PublicURL: srv.URL, Now: func() time.Time { return now }}
		mux := http.NewServeMux()
		sv.Routes(mux)
		srv.Config.Handler = mux
		d := &desk.Service{Store: s, Survey: sv, Now: func() time.Time { return now }}
		resolved := care.StatusResolved

		// Off by default.
		c := newConv()
		_, err = d.Update(ctx, agent, c.ID, care.ConversationUpdate{Status: &resolved})
		must(t, err)
		if _, err := s.ConversationSurvey(ctx, c.ID); care.ErrorCode(err) != care.ENOTFOUND {
			t.Fatalf("survey sent with surveys off: %v", err)
		}

		must(t, s.SetSetting(ctx, ws.ID, csat.SettingName, []byte(`{"enabled":true,"cooldown":"168h","question":"How did we do? {link}"}`), now))
		c = newConv()
		_, err = d.Update(ctx, agent, c.ID, care.ConversationUpdate{Status: &resolved})
		must(t, err)
		msgs, err := s.Messages(ctx, c.ID, 0, 10)
		must(t, err)
		last := msgs[len(msgs)-1]
		link := regexp.MustCompile(`https?://\S+/csat/[A-Za-z0-9_-]+`).FindString(last.Text)
		if last.Direction != care.DirectionOut || last.Status != care.DeliveryQueued || link == "" || !strings.HasPrefix(last.Text, "How did we do?") {
			t.Fatalf("survey message = %+v, want a queued reply with the survey link", last)
		}

		resp, err := http.Get(link)
		must(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), `name="score"`) || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Fatalf("survey page = %d %q", resp.StatusCode, body)
		}
		post := func(form url.Values) (int, string) {
			t.Helper()
			resp, err := http.PostForm(link, form)
			must(t, err)
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		if code, _ := post(url.Values{"score": {"9"}}); code != http.StatusBadRequest {
			t.Errorf("score 9 answered %d, want 400", code)
		}
		if code, b := post(url.Values{"score": {"5"}, "comment": {"<script>alert(1)</script> quick and kind"}}); code != 200 || !strings.Contains(b, "Thank you") {
			t.Errorf("answer = %d %q", code, b)
		}
		if _, b := post(url.Values{"score": {"1"}}); !strings.Contains(b, "already") {
			t.Errorf("second answer = %q, want already answered", b)
		}
		got, err := s.ConversationSurvey(ctx, c.ID)
		must(t, err)
		if got.Score != 5 || got.AgentID != u.ID || !strings.Contains(got.Comment, "quick and kind") {
			t.Errorf("survey = %+v", got)
		}
		if resp, _ := http.Get(srv.URL + "/csat/not-a-real-token-at-all-xyz"); resp.StatusCode != 404 {
			t.Errorf("unknown token = %d, want 404", resp.StatusCode)
		}

		// Within the cooldown the same customer is not asked again.
		c = newConv()
		_, err = d.Update(ctx, agent, c.ID, care.ConversationUpdate{Status: &resolved})
		must(t, err)
		if _, err := s.ConversationSurvey(ctx, c.ID); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("second survey within the cooldown: %v", err)
		}
		rows, err := s.CSATReport(ctx, ws.ID, now.Add(-time.Hour), now.Add(time.Hour), "agent")
		must(t, err)
		if len(rows) != 1 || rows[0].Sent != 1 || rows[0].Answered != 1 || rows[0].AvgScore != 5 || rows[0].Satisfied != 1 {
			t.Errorf("CSAT report = %+v", rows)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func itoa(id care.ID) string { return strconv.FormatInt(id, 10) }

// A customer answering in the channel ("4 - thanks") answers the survey; it
// opens no new conversation.
func TestAnswerInChannel(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		ws := &care.Workspace{Slug: "acme", Name: "Acme"}
		must(t, s.CreateWorkspace(ctx, ws))
		in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelAPI, Name: "Web"}
		must(t, s.CreateInbox(ctx, in))
		id, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelAPI, care.Author{PlatformUserID: "ana"}, now)
		must(t, err)
		c := &care.Conversation{WorkspaceID: ws.ID, InboxID: in.ID, Channel: in.Channel, ContactID: id.ContactID, Status: care.StatusResolved}
		must(t, s.CreateConversation(ctx, c))
		must(t, s.CreateSurvey(ctx, &care.Survey{WorkspaceID: ws.ID, ConversationID: c.ID, ContactID: id.ContactID, Channel: in.Channel,
			TokenHash: []byte("t"), SentAt: now}))
		sv := &csat.Surveyor{Store: s}
		p := &ingest.Pipeline{Store: s, Surveys: sv, Now: func() time.Time { return now.Add(time.Hour) }}
		post := func(pid, text string) care.ID {
			t.Helper()
			ib := care.Inbound{InboxID: in.ID, Channel: in.Channel, PlatformID: pid, Visibility: care.Private,
				Author: care.Author{PlatformUserID: "ana"}, Text: text, SentAt: now.Add(time.Hour)}
			_, err := s.AppendRaw(ctx, []care.RawEvent{{InboxID: in.ID, WorkspaceID: ws.ID, DedupeKey: ib.DedupeKey(), Payload: []byte(text), Inbound: ib, ReceivedAt: now}})
			must(t, err)
			_, err = p.RunOnce(ctx)
			must(t, err)
			m, err := s.MessageByPlatformID(ctx, in.ID, pid)
			must(t, err)
			return m.ConversationID
		}
		if got := post("a1", "4 - thanks, quick answer"); got != c.ID {
			t.Errorf("the answer went to conversation %d, want the surveyed %d", got, c.ID)
		}
		answered, err := s.ConversationSurvey(ctx, c.ID)
		must(t, err)
		if answered.Score != 4 || answered.Comment != "thanks, quick answer" {
			t.Errorf("survey = %+v", answered)
		}
		if c2, _ := s.Conversation(ctx, c.ID); c2.Status != care.StatusResolved {
			t.Errorf("the surveyed conversation is %s, want it to stay resolved", c2.Status)
		}
		// A second score is an ordinary message: a new conversation.
		if got := post("a2", "5"); got == c.ID {
			t.Error("a second score joined the answered survey's conversation")
		}
	})
}

// A customer who only commented in public is not sent a survey: there is
// no private thread to send it in.
func TestNoSurveyWithoutPrivateThread(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := t.Context()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	must(t, s.CreateWorkspace(ctx, ws))
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelAPI, Name: "Web"}
	must(t, s.CreateInbox(ctx, in))
	id, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelAPI, care.Author{PlatformUserID: "cy"}, now)
	must(t, err)
	c := &care.Conversation{WorkspaceID: ws.ID, InboxID: in.ID, Channel: in.Channel, ContactID: id.ContactID}
	must(t, s.CreateConversation(ctx, c))
	must(t, s.CreateMessage(ctx, &care.Message{WorkspaceID: ws.ID, ConversationID: c.ID, InboxID: in.ID, Direction: care.DirectionIn,
		Visibility: care.Public, ContactID: id.ContactID, Text: "great shop", PlatformID: "pub-1", Status: care.DeliveryReceived}))
	must(t, s.SetSetting(ctx, ws.ID, csat.SettingName, []byte(`{"enabled":true}`), now))
	d := &desk.Service{Store: s, Survey: &csat.Surveyor{Store: s, PublicURL: "http://x"}, Now: func() time.Time { return now }}
	resolved := care.StatusResolved
	_, err = d.Update(ctx, care.Principal{WorkspaceID: ws.ID, Role: care.RoleAdmin, TokenID: 1}, c.ID, care.ConversationUpdate{Status: &resolved})
	must(t, err)
	if _, err := s.ConversationSurvey(ctx, c.ID); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("a survey was sent to a public-only customer: %v", err)
	}
}
