package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/telegram/tgfake"
)

// stub is a Bot API server answering every request with one canned
// response and remembering the last request.
type stub struct {
	mu     sync.Mutex
	path   string
	body   string
	status int
	header http.Header
	answer string
}

func newStub(t *testing.T, status int, answer string) (*stub, *httptest.Server) {
	t.Helper()
	s := &stub{status: status, answer: answer, header: http.Header{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.path, s.body = r.URL.Path, string(b)
		for k, v := range s.header {
			w.Header()[k] = v
		}
		status, answer := s.status, s.answer
		s.mu.Unlock()
		w.WriteHeader(status)
		io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	return s, srv
}

func (s *stub) request() (path, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.path, s.body
}

// outbound is a private reply to the test customer through an inbox at
// base.
func outbound(base, text string) channel.Outbound {
	in := testInbox()
	in.Credentials[CredAPIBase] = base
	return channel.Outbound{
		Inbox:   in,
		Message: care.Message{ID: 9, Visibility: care.Private, Text: text},
		Contact: care.Contact{ID: 3, Identities: []care.Identity{{ID: 4, Platform: care.ChannelTelegram, PlatformUserID: "1111111"}}},
	}
}

const sentAnswer = `{"ok":true,"result":{"message_id":1369,"from":{"id":7000000001,"is_bot":true,"first_name":"Parley Fake","username":"parley_fake_bot"},"chat":{"id":1111111,"first_name":"Test","type":"private"},"date":1441645660,"text":"x"}}`

func TestSend(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		change   func(*channel.Outbound)
		wantBody string
	}{
		{"private text", nil, `{"chat_id":1111111,"text":"Thanks! An agent will reply shortly."}`},
		{"reply to a message", func(o *channel.Outbound) { o.Message.ReplyToPlatformID = "1111111:1365" },
			`{"chat_id":1111111,"text":"Thanks! An agent will reply shortly.","reply_parameters":{"message_id":1365,"allow_sending_without_reply":true}}`},
		{"reply to an edit", func(o *channel.Outbound) { o.Message.ReplyToPlatformID = "1111111:1365:edit:1441645820" },
			`{"chat_id":1111111,"text":"Thanks! An agent will reply shortly.","reply_parameters":{"message_id":1365,"allow_sending_without_reply":true}}`},
		{"private answer to a group message", func(o *channel.Outbound) { o.Message.ReplyToPlatformID = "-1001987654321:4402" },
			`{"chat_id":1111111,"text":"Thanks! An agent will reply shortly."}`},
		{"public answer in the group", func(o *channel.Outbound) {
			o.Message.Visibility, o.Message.ReplyToPlatformID = care.Public, "-1001987654321:4402"
		}, `{"chat_id":-1001987654321,"text":"Thanks! An agent will reply shortly.","reply_parameters":{"message_id":4402,"allow_sending_without_reply":true}}`},
		{"public, to the newest group message", func(o *channel.Outbound) {
			o.Message.Visibility = care.Public
			o.LastInbound = &care.Message{Visibility: care.Public, Direction: care.DirectionIn, PlatformID: "-1001987654321:4405"}
		}, `{"chat_id":-1001987654321,"text":"Thanks! An agent will reply shortly.","reply_parameters":{"message_id":4405,"allow_sending_without_reply":true}}`},
		{"public, in the comment thread of a channel post", func(o *channel.Outbound) {
			o.Message.Visibility = care.Public
			o.Conversation.Subject = "Comment on Telegram channel post t.me/acmenews/95"
			o.LastInbound = &care.Message{Visibility: care.Public, Direction: care.DirectionIn, PlatformID: "-1001987000222:815"}
		}, `{"chat_id":-1001987000222,"text":"Thanks! An agent will reply shortly.","reply_parameters":{"message_id":815,"allow_sending_without_reply":true}}`},
		{"public answer to a comment", func(o *channel.Outbound) {
			o.Message.Visibility, o.Message.ReplyToPlatformID = care.Public, "-1001987000222:815:edit:1441646160"
		}, `{"chat_id":-1001987000222,"text":"Thanks! An agent will reply shortly.","reply_parameters":{"message_id":815,"allow_sending_without_reply":true}}`},
		{"markup stays text", func(o *channel.Outbound) { o.Message.Text = "*not bold* <b>nor this</b> & [link](x)" },
			`{"chat_id":1111111,"text":"*not bold* <b>nor this</b> & [link](x)"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, srv := newStub(t, http.StatusOK, sentAnswer)
			out := outbound(srv.URL, "Thanks! An agent will reply shortly.")
			if tt.change != nil {
				tt.change(&out)
			}
			res, err := (&Adapter{Client: srv.Client()}).Send(context.Background(), out)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if res.PlatformID != "1111111:1369" || res.Status != care.DeliverySent {
				t.Errorf("Send = %+v, want 1111111:1369 sent", res)
			}
			path, body := s.request()
			if path != "/bot"+testToken+"/sendMessage" {
				t.Errorf("request to %s", path)
			}
			var got, want map[string]any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("request body %s: %v", body, err)
			}
			if err := json.Unmarshal([]byte(tt.wantBody), &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("request body %s (-want +got):\n%s", body, diff)
			}
		})
	}
}

func TestSendErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name       string
		status     int
		header     http.Header
		answer     string
		permanent  bool
		retryAfter time.Duration
		reason     string
		refused    bool // this chat's refusal, not the bot's
	}{
		{"flood control", 429, nil, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}}`,
			false, 35 * time.Second, "flood control", false},
		{"flood control, wait only in the description", 429, nil, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7"}`,
			false, 7 * time.Second, "retry after 7s", false},
		{"flood control, absurd wait", 429, nil, `{"ok":false,"error_code":429,"description":"Too Many Requests","parameters":{"retry_after":99999999}}`,
			false, channel.MaxRetryAfter, "flood control", false},
		{"blocked", 403, nil, `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`,
			true, 0, "the customer blocked the bot", true},
		{"never started", 403, nil, `{"ok":false,"error_code":403,"description":"Forbidden: bot can't initiate conversation with a user"}`,
			true, 0, "must write to it first", true},
		{"deleted account", 403, nil, `{"ok":false,"error_code":403,"description":"Forbidden: user is deactivated"}`,
			true, 0, "account was deleted", true},
		{"kicked from the group", 403, nil, `{"ok":false,"error_code":403,"description":"Forbidden: bot was kicked from the group chat"}`,
			true, 0, "removed from the group", true},
		{"other 403", 403, nil, `{"ok":false,"error_code":403,"description":"Forbidden: something new"}`,
			true, 0, "Telegram refused: Forbidden: something new", false},
		{"bad request", 400, nil, `{"ok":false,"error_code":400,"description":"Bad Request: message is too long"}`,
			true, 0, "Telegram refused the request (400): Bad Request: message is too long", false},
		{"unknown chat", 400, nil, `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`,
			true, 0, "never have written to the bot", true},
		{"group migrated", 400, nil, `{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001987654321}}`,
			true, 0, "supergroup (chat -1001987654321)", false},
		{"revoked token", 401, nil, `{"ok":false,"error_code":401,"description":"Unauthorized"}`,
			true, 0, "bot_token", false},
		{"unknown token", 404, nil, `{"ok":false,"error_code":404,"description":"Not Found"}`,
			true, 0, "bot_token", false},
		{"server error", 500, nil, `{"ok":false,"error_code":500,"description":"Internal Server Error"}`,
			false, 0, "having trouble", false},
		{"proxy error page", 502, http.Header{"Retry-After": {"20"}}, `<html><body>502 Bad Gateway</body></html>`,
			false, 20 * time.Second, "502 Bad Gateway", false},
		{"ok without the envelope", 200, nil, `<html>hello</html>`,
			false, 0, "not understood", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, srv := newStub(t, tt.status, tt.answer)
			for k, v := range tt.header {
				s.header[k] = v
			}
			_, err := (&Adapter{Client: srv.Client(), Now: func() time.Time { return testNow }}).Send(context.Background(), outbound(srv.URL, "hello"))
			var se *channel.SendError
			if !errors.As(err, &se) {
				t.Fatalf("Send = %v, want a *channel.SendError", err)
			}
			if se.Permanent != tt.permanent || se.RetryAfter != tt.retryAfter || !strings.Contains(se.Reason, tt.reason) || se.Refused != tt.refused {
				t.Errorf("Send = permanent %v, retry after %v, reason %q, refused %v;\nwant %v, %v, about %q, %v",
					se.Permanent, se.RetryAfter, se.Reason, se.Refused, tt.permanent, tt.retryAfter, tt.reason, tt.refused)
			}
			if se.Status != tt.status {
				t.Errorf("status %d, want %d", se.Status, tt.status)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("the error shows the bot token: %v", err)
			}
		})
	}
}

// TestSendRefusals covers replies Send refuses before calling Telegram.
func TestSendRefusals(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		change func(*channel.Outbound)
		reason string
	}{
		{"no identity", func(o *channel.Outbound) { o.Contact.Identities = nil }, "no Telegram identity"},
		{"identity of another channel", func(o *channel.Outbound) { o.Contact.Identities[0].Platform = care.ChannelWhatsApp }, "no Telegram identity"},
		{"identity not a user id", func(o *channel.Outbound) { o.Contact.Identities[0].PlatformUserID = "@someone" }, "not a user id"},
		{"attachment", func(o *channel.Outbound) {
			o.Message.Attachments = []care.Attachment{{Kind: "image", URL: "https://x/a.png"}}
		}, "text only"},
		{"empty", func(o *channel.Outbound) { o.Message.Text = " \n" }, "empty"},
		{"too long", func(o *channel.Outbound) { o.Message.Text = strings.Repeat("é", MaxTextChars+1) }, "4096"},
		{"public without a group", func(o *channel.Outbound) { o.Message.Visibility = care.Public }, "group message"},
		{"no token", func(o *channel.Outbound) { delete(o.Inbox.Credentials, CredBotToken) }, "bot_token"},
		{"bad api_base", func(o *channel.Outbound) { o.Inbox.Credentials[CredAPIBase] = "ftp://x" }, "api_base"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := outbound("http://127.0.0.1:1", "hello")
			tt.change(&out)
			_, err := (&Adapter{}).Send(context.Background(), out)
			var se *channel.SendError
			if !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, tt.reason) {
				t.Errorf("Send = %v, want a permanent error about %q", err, tt.reason)
			}
		})
	}
}

// TestSendUnreachable checks a transport failure: temporary, and without
// the token, which is part of the URL a transport error names.
func TestSendUnreachable(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	_, err := (&Adapter{}).Send(context.Background(), outbound(base, "hello"))
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent || !strings.Contains(se.Reason, "could not be reached") {
		t.Fatalf("Send = %v, want a temporary error", err)
	}
	if _, secret, _ := strings.Cut(testToken, ":"); strings.Contains(err.Error(), secret) {
		t.Errorf("the error shows the bot token: %v", err)
	}
	if !strings.Contains(err.Error(), "<bot token>") {
		t.Errorf("the error does not name the request: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = (&Adapter{}).Send(ctx, outbound(base, "hello"))
	if !errors.As(err, &se) || se.Permanent || !strings.Contains(se.Reason, "in time") || !errors.Is(err, context.Canceled) {
		t.Errorf("Send(cancelled) = %v, want a temporary error wrapping the cancellation", err)
	}
}

// TestSendUnreadableSuccess checks that a 2xx whose answer cannot be read
// counts as sent: Telegram has the message, and a retry would send it twice.
func TestSendUnreadableSuccess(t *testing.T) {
	t.Parallel()
	_, srv := newStub(t, http.StatusOK, `{"ok":true,"result":{"message_id":1,"text":"`+strings.Repeat("x", maxResponseBytes)+`"}}`)
	res, err := (&Adapter{Client: srv.Client()}).Send(context.Background(), outbound(srv.URL, "hello"))
	if err != nil || res.Status != care.DeliverySent || res.PlatformID != "" {
		t.Errorf("Send = %+v, %v; want sent without an id", res, err)
	}
}

// seqStub is a Bot API server giving its answers in turn, the last one
// again once they run out, and remembering every request body.
type seqStub struct {
	mu      sync.Mutex
	answers []string
	bodies  []string
}

func newSeqStub(t *testing.T, answers ...string) (*seqStub, *httptest.Server) {
	t.Helper()
	s := &seqStub{answers: answers}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		answer := s.answers[min(len(s.bodies), len(s.answers)-1)]
		s.bodies = append(s.bodies, string(b))
		s.mu.Unlock()
		var env struct {
			ErrorCode int `json:"error_code"`
		}
		status := http.StatusOK
		if json.Unmarshal([]byte(answer), &env) == nil && env.ErrorCode != 0 {
			status = env.ErrorCode
		}
		w.WriteHeader(status)
		io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	return s, srv
}

func (s *seqStub) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

// migrated is the Bot API's answer to a send to a basic group that became
// supergroup to.
func migrated(to string) string {
	return `{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":` + to + `}}`
}

// TestSendMigratedGroup checks that a public reply to a basic group that
// became a supergroup is resent there once, without its quote.
func TestSendMigratedGroup(t *testing.T) {
	t.Parallel()
	const (
		group      = `{"chat_id":-987654321,"text":"hello","reply_parameters":{"message_id":4402,"allow_sending_without_reply":true}}`
		supergroup = `{"chat_id":-1001987654321,"text":"hello"}`
		sentThere  = `{"ok":true,"result":{"message_id":17,"chat":{"id":-1001987654321,"type":"supergroup","title":"Acme Users"},"date":1441645660,"text":"hello"}}`
	)
	public := func(o *channel.Outbound) {
		o.Message.Visibility, o.Message.ReplyToPlatformID = care.Public, "-987654321:4402"
	}
	for _, tt := range []struct {
		name       string
		change     func(*channel.Outbound)
		answers    []string
		wantBodies []string
		wantID     string
		// wantErr is a part of the error's reason, "" for success.
		wantErr   string
		permanent bool
	}{
		{"resent to the supergroup", public, []string{migrated("-1001987654321"), sentThere},
			[]string{group, supergroup}, "-1001987654321:17", "", false},
		{"resent, the answer unread", public, []string{migrated("-1001987654321"), `{"ok":true,"result":{"message_id":17,"text":"` + strings.Repeat("x", maxResponseBytes) + `"}}`},
			[]string{group, supergroup}, "", "", false},
		{"resent without chat in the answer", public, []string{migrated("-1001987654321"), `{"ok":true,"result":{"message_id":17}}`},
			[]string{group, supergroup}, "-1001987654321:17", "", false},
		{"a second migration is not followed", public, []string{migrated("-1001987654321"), migrated("-1002000000000")},
			[]string{group, supergroup}, "", "supergroup -1001987654321, which Telegram says became -1002000000000", true},
		{"the supergroup refuses", public, []string{migrated("-1001987654321"), `{"ok":false,"error_code":403,"description":"Forbidden: bot is not a member of the supergroup chat"}`},
			[]string{group, supergroup}, "", "no longer a member", true},
		{"the supergroup throttles", public, []string{migrated("-1001987654321"), `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}}`},
			[]string{group, supergroup}, "", "flood control", false},
		{"migration to the same chat", public, []string{migrated("-987654321")},
			[]string{group}, "", "became a supergroup (chat -987654321)", true},
		{"migration to a user id", public, []string{migrated("1111111")},
			[]string{group}, "", "became a supergroup (chat 1111111)", true},
		{"a private reply is never redirected", nil, []string{migrated("-1001987654321")},
			[]string{`{"chat_id":1111111,"text":"hello"}`}, "", "became a supergroup (chat -1001987654321)", true},
		{"other 400 unchanged", public, []string{`{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`},
			[]string{group}, "", "never have written to the bot", true},
		{"other 400 with parameters unchanged", public, []string{`{"ok":false,"error_code":400,"description":"Bad Request: message is too long","parameters":{}}`},
			[]string{group}, "", "Telegram refused the request (400): Bad Request: message is too long", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, srv := newSeqStub(t, tt.answers...)
			out := outbound(srv.URL, "hello")
			if tt.change != nil {
				tt.change(&out)
			}
			res, err := (&Adapter{Client: srv.Client(), Now: func() time.Time { return testNow }}).Send(context.Background(), out)
			if tt.wantErr == "" {
				if err != nil || res.PlatformID != tt.wantID || res.Status != care.DeliverySent {
					t.Errorf("Send = %+v, %v; want %q sent", res, err, tt.wantID)
				}
			} else {
				var se *channel.SendError
				if !errors.As(err, &se) || se.Permanent != tt.permanent || !strings.Contains(se.Reason, tt.wantErr) {
					t.Errorf("Send = %+v, %v; want an error (permanent %v) about %q", res, err, tt.permanent, tt.wantErr)
				}
			}
			got := s.requests()
			if len(got) != len(tt.wantBodies) {
				t.Fatalf("%d requests %q, want %d", len(got), got, len(tt.wantBodies))
			}
			for i, body := range got {
				var g, w map[string]any
				if err := json.Unmarshal([]byte(body), &g); err != nil {
					t.Fatalf("request %d %s: %v", i, body, err)
				}
				if err := json.Unmarshal([]byte(tt.wantBodies[i]), &w); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(w, g); diff != "" {
					t.Errorf("request %d %s (-want +got):\n%s", i, body, diff)
				}
			}
		})
	}
}

// TestSendMigratedGroupFake follows a migration tgfake reports as the Bot
// API does.
func TestSendMigratedGroupFake(t *testing.T) {
	t.Parallel()
	f := tgfake.New()
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(srv.Close)
	group := &tgfake.Chat{ID: -987654321, Type: "group", Title: "Acme Users"}
	asked, err := f.Deliver(context.Background(), tgfake.Message{From: tgfake.User{ID: 1111111, FirstName: "Ana"}, Chat: group,
		Text: "@parley_fake_bot is the shop open?"})
	if err != nil {
		t.Fatal(err)
	}
	f.Migrate(group.ID, -1001987654321)
	out := outbound(srv.URL, "Yes, until six.")
	out.Message.Visibility, out.Message.ReplyToPlatformID = care.Public, MessageID(group.ID, asked)
	res, err := (&Adapter{Client: srv.Client()}).Send(context.Background(), out)
	if err != nil || res.PlatformID != "-1001987654321:1" {
		t.Fatalf("Send = %+v, %v; want -1001987654321:1", res, err)
	}
	sent := f.Sent()
	if len(sent) != 1 || sent[0].ChatID != -1001987654321 || sent[0].ReplyTo != 0 || sent[0].Text != "Yes, until six." {
		t.Errorf("sent %+v, want one unquoted message in the supergroup", sent)
	}
}

// TestSendRefusedFake: the refusals tgfake answers as the Bot API does are
// this chat's, Refused so that the inbox's health stays clear; a revoked
// token is the bot's.
func TestSendRefusedFake(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		prepare func(f *tgfake.Fake, out *channel.Outbound)
		status  int
		reason  string
		refused bool
	}{
		{"blocked", func(f *tgfake.Fake, _ *channel.Outbound) { f.Block(1111111) }, 403, "the customer blocked the bot", true},
		{"chat unknown to the bot", func(_ *tgfake.Fake, out *channel.Outbound) { out.Contact.Identities[0].PlatformUserID = "2222222" },
			400, "may never have written to the bot", true},
		{"revoked token", func(_ *tgfake.Fake, out *channel.Outbound) { out.Inbox.Credentials[CredBotToken] = "1:revoked" },
			401, "bot_token", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := tgfake.New()
			srv := httptest.NewServer(f.Handler())
			t.Cleanup(srv.Close)
			if _, err := f.Deliver(context.Background(), tgfake.Message{From: tgfake.User{ID: 1111111, FirstName: "Ana"}, Text: "hello?"}); err != nil {
				t.Fatal(err)
			}
			out := outbound(srv.URL, "Still there?")
			tt.prepare(f, &out)
			_, err := (&Adapter{Client: srv.Client()}).Send(context.Background(), out)
			var se *channel.SendError
			if !errors.As(err, &se) || !se.Permanent || se.Status != tt.status || se.Refused != tt.refused || !strings.Contains(se.Reason, tt.reason) {
				t.Errorf("Send = %+v, want permanent, status %d, refused %v, about %q", se, tt.status, tt.refused, tt.reason)
			}
			if n := len(f.Sent()); n != 0 {
				t.Errorf("the fake took %d messages", n)
			}
		})
	}
}
