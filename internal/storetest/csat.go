package storetest

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testSurveys(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	w := mustWorld(t, s, "acme")
	last, err := s.LastSurveyAt(ctx, w.ws.ID, w.identity.ContactID)
	must(t, err, "LastSurveyAt")
	if last != nil {
		t.Errorf("LastSurveyAt before any = %v", last)
	}
	sv := &care.Survey{WorkspaceID: w.ws.ID, ConversationID: w.conv.ID, ContactID: w.identity.ContactID, AgentID: 7, TeamID: 2,
		Channel: care.ChannelX, TokenHash: []byte("hash-1"), SentAt: at(0)}
	must(t, s.CreateSurvey(ctx, sv), "CreateSurvey")
	wantCode(t, s.CreateSurvey(ctx, &care.Survey{WorkspaceID: w.ws.ID, ConversationID: w.conv.ID, TokenHash: []byte("hash-1"), SentAt: at(0)}),
		care.ECONFLICT, "CreateSurvey(same token)")
	got, err := s.SurveyByToken(ctx, []byte("hash-1"))
	must(t, err, "SurveyByToken")
	if d := diff(&care.Survey{ID: sv.ID, WorkspaceID: w.ws.ID, ConversationID: w.conv.ID, ContactID: w.identity.ContactID, AgentID: 7, TeamID: 2,
		Channel: care.ChannelX, TokenHash: []byte("hash-1"), SentAt: micro(at(0))}, got); d != "" {
		t.Errorf("SurveyByToken (-want +got):\n%s", d)
	}
	_, err = s.SurveyByToken(ctx, []byte("nope"))
	wantCode(t, err, care.ENOTFOUND, "SurveyByToken(unknown)")
	last, err = s.LastSurveyAt(ctx, w.ws.ID, w.identity.ContactID)
	must(t, err, "LastSurveyAt")
	if last == nil || !last.Equal(micro(at(0))) {
		t.Errorf("LastSurveyAt = %v, want %v", last, at(0))
	}
	open1, err := s.OpenSurvey(ctx, w.ws.ID, w.identity.ContactID, care.ChannelX, at(-time.Hour))
	must(t, err, "OpenSurvey")
	if open1.ID != sv.ID {
		t.Errorf("OpenSurvey = %d, want %d", open1.ID, sv.ID)
	}
	_, err = s.OpenSurvey(ctx, w.ws.ID, w.identity.ContactID, care.ChannelX, at(time.Minute))
	wantCode(t, err, care.ENOTFOUND, "OpenSurvey(sent before since)")
	_, err = s.OpenSurvey(ctx, w.ws.ID, w.identity.ContactID, care.ChannelWhatsApp, at(-time.Hour))
	wantCode(t, err, care.ENOTFOUND, "OpenSurvey(other channel)")
	_, err = s.AnswerSurvey(ctx, sv.ID, 6, "", at(time.Hour))
	wantCode(t, err, care.EINVALID, "AnswerSurvey(score 6)")
	a, err := s.AnswerSurvey(ctx, sv.ID, 4, "  Quick and kind.  ", at(time.Hour))
	must(t, err, "AnswerSurvey")
	if a.Score != 4 || a.Comment != "Quick and kind." || a.AnsweredAt == nil {
		t.Errorf("AnswerSurvey = %+v", a)
	}
	_, err = s.AnswerSurvey(ctx, sv.ID, 1, "changed my mind", at(2*time.Hour))
	wantCode(t, err, care.ECONFLICT, "AnswerSurvey(twice)")
	_, err = s.OpenSurvey(ctx, w.ws.ID, w.identity.ContactID, care.ChannelX, at(-time.Hour))
	wantCode(t, err, care.ENOTFOUND, "OpenSurvey(answered)")
	c, err := s.ConversationSurvey(ctx, w.conv.ID)
	must(t, err, "ConversationSurvey")
	if c.ID != sv.ID || c.Score != 4 {
		t.Errorf("ConversationSurvey = %+v", c)
	}
	must(t, s.CreateSurvey(ctx, &care.Survey{WorkspaceID: w.ws.ID, ConversationID: w.conv.ID, ContactID: w.identity.ContactID, AgentID: 8,
		Channel: care.ChannelWhatsApp, TokenHash: []byte("hash-2"), SentAt: at(time.Minute)}), "CreateSurvey(2)")
	rows, err := s.CSATReport(ctx, w.ws.ID, at(-time.Hour), at(time.Hour), "agent")
	must(t, err, "CSATReport")
	want := []care.CSATReportRow{{Key: "7", Sent: 1, Answered: 1, AvgScore: 4, Satisfied: 1}, {Key: "8", Sent: 1}}
	if d := diff(want, rows); d != "" {
		t.Errorf("CSATReport(agent) (-want +got):\n%s", d)
	}
	_, err = s.CSATReport(ctx, w.ws.ID, at(0), at(1), "mood")
	wantCode(t, err, care.EINVALID, "CSATReport(bad grouping)")
}
