package meta_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/meta/metafake"
)

const (
	pageID    = "1001"
	igID      = "17841400000000001"
	psid      = "2002"
	igsid     = "3003"
	appSecret = "s3cret"
)

// env is a fake Graph API over real HTTP and inboxes pointing at it.
type env struct {
	fake   *metafake.Fake
	srv    *httptest.Server
	now    time.Time
	fb, ig care.Inbox
	m      *meta.Messenger
	g      *meta.Instagram
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	e.fake = metafake.New(appSecret)
	e.fake.Now = func() time.Time { return e.now }
	e.fake.AddPage(pageID, "page-token")
	e.fake.AddInstagram(igID, "ig-token")
	e.srv = httptest.NewServer(e.fake.Handler())
	t.Cleanup(e.srv.Close)
	e.fb = care.Inbox{ID: 1, Channel: care.ChannelFacebook, ExternalID: pageID, Credentials: map[string]string{
		meta.CredAppSecret: appSecret, meta.CredPageAccessToken: "page-token", meta.CredAPIBase: e.srv.URL}}
	e.ig = care.Inbox{ID: 2, Channel: care.ChannelInstagram, ExternalID: igID, Credentials: map[string]string{
		meta.CredAppSecret: appSecret, meta.CredAccessToken: "ig-token", meta.CredAPIBase: e.srv.URL}}
	clock := func() time.Time { return e.now }
	e.m = &meta.Messenger{Now: clock}
	e.g = &meta.Instagram{Now: clock}
	return e
}

// outbound is a reply in in's conversation with the customer customerID.
func outbound(in care.Inbox, vis care.Visibility, text, replyTo, customerID string, last *care.Message) channel.Outbound {
	return channel.Outbound{
		Message:        care.Message{ID: 9, Direction: care.DirectionOut, Visibility: vis, Text: text, ReplyToPlatformID: replyTo},
		Inbox:          in,
		Contact:        care.Contact{ID: 5, Identities: []care.Identity{{ID: 1, Platform: in.Channel, PlatformUserID: customerID}}},
		IdempotencyKey: "parley-message-9", LastInbound: last,
	}
}

func sendErr(t *testing.T, err error) *channel.SendError {
	t.Helper()
	var se *channel.SendError
	if !errors.As(err, &se) {
		t.Fatalf("error = %v (%T), want a *channel.SendError", err, err)
	}
	return se
}

func TestSendWindows(t *testing.T) {
	tests := []struct {
		name      string
		age       time.Duration
		wantType  string
		wantTag   string
		permanent bool
	}{
		{"within 24 hours", time.Hour, "RESPONSE", "", false},
		{"after 24 hours, human agent", 30 * time.Hour, "MESSAGE_TAG", "HUMAN_AGENT", false},
		{"just under 7 days", 7*24*time.Hour - time.Hour, "MESSAGE_TAG", "HUMAN_AGENT", false},
		{"after 7 days", 8 * 24 * time.Hour, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, tc := range []struct {
				a        channel.Sender
				in       func(*env) care.Inbox
				account  string
				customer string
			}{
				{&meta.Messenger{}, func(e *env) care.Inbox { return e.fb }, pageID, psid},
				{&meta.Instagram{}, func(e *env) care.Inbox { return e.ig }, igID, igsid},
			} {
				e := newEnv(t)
				a := e.m.Send
				if tc.account == igID {
					a = e.g.Send
				}
				at := e.now.Add(-tt.age)
				e.fake.Message(metafake.Message{Account: tc.account, From: tc.customer, Text: "hi", At: at})
				res, err := a(context.Background(), outbound(tc.in(e), care.Private, "Hello", "", tc.customer, &care.Message{SentAt: at}))
				sent := e.fake.Sent()
				if tt.permanent {
					if se := sendErr(t, err); !se.Permanent || !strings.Contains(se.Reason, "7 days") {
						t.Errorf("Send after %v = %+v, want a permanent refusal naming 7 days", tt.age, se)
					}
					if len(sent) != 0 {
						t.Errorf("Meta was called after %v: %+v", tt.age, sent)
					}
					continue
				}
				if err != nil {
					t.Fatalf("Send after %v: %v", tt.age, err)
				}
				if len(sent) != 1 || sent[0].MessagingType != tt.wantType || sent[0].Tag != tt.wantTag || sent[0].RecipientID != tc.customer || sent[0].Text != "Hello" {
					t.Fatalf("sent %+v, want one %s/%s message to %s", sent, tt.wantType, tt.wantTag, tc.customer)
				}
				if res.PlatformID != sent[0].ID || res.Status != care.DeliverySent {
					t.Errorf("Send = %+v, want platform id %s, sent", res, sent[0].ID)
				}
				if tc.account == pageID && sent[0].Metadata != "parley:parley-message-9" {
					t.Errorf("metadata = %q, want the idempotency key marked as Parley's", sent[0].Metadata)
				}
			}
		})
	}
}

func TestSendNoCustomerMessage(t *testing.T) {
	e := newEnv(t)
	_, err := e.m.Send(context.Background(), outbound(e.fb, care.Private, "Hello", "", psid, nil))
	if se := sendErr(t, err); !se.Permanent {
		t.Errorf("Send without a customer message = %+v, want permanent", se)
	}
	// The adapter thinks the window is open; Meta, which never saw the
	// customer write, refuses: a permanent failure with Meta's reason.
	_, err = e.m.Send(context.Background(), outbound(e.fb, care.Private, "Hello", "", psid, &care.Message{SentAt: e.now}))
	if se := sendErr(t, err); !se.Permanent || se.Status != 400 {
		t.Errorf("Send to a stranger = %+v, want permanent 400", se)
	}
}

func TestPrivateReplyOnce(t *testing.T) {
	e := newEnv(t)
	commentID, _ := e.fake.Comment(metafake.Comment{Account: pageID, From: "7001", Name: "Ana", PSID: psid, Post: pageID + "_55", Text: "Where is my order?"})
	out := outbound(e.fb, care.Private, "We've sent you a message", commentID, "7001", nil)
	res, err := e.m.Send(context.Background(), out)
	if err != nil {
		t.Fatalf("first private reply: %v", err)
	}
	sent := e.fake.Sent()
	if len(sent) != 1 || sent[0].CommentID != commentID || sent[0].RecipientID != "" || sent[0].Customer != psid || res.PlatformID != sent[0].ID {
		t.Fatalf("sent %+v, result %+v; want one private reply to comment %s reaching %s", sent, res, commentID, psid)
	}
	if res.RecipientID != psid {
		t.Errorf("RecipientID = %q, want the commenter's Messenger id %q", res.RecipientID, psid)
	}
	_, err = e.m.Send(context.Background(), out)
	// Refused: the reply's own trouble, so the inbox's health stays clear.
	if se := sendErr(t, err); !se.Permanent || !se.Refused || !strings.Contains(se.Reason, "already has its private reply") {
		t.Errorf("second private reply = %+v, want a permanent refusal 'already has its private reply'", se)
	}

	e.now = e.now.Add(8 * 24 * time.Hour)
	old, _ := e.fake.Comment(metafake.Comment{Account: igID, From: igsid, Name: "ana", Post: "17887498072083520", Text: "hi", At: e.now.Add(-8 * 24 * time.Hour)})
	_, err = e.g.Send(context.Background(), outbound(e.ig, care.Private, "Hi", old, igsid, nil))
	if se := sendErr(t, err); !se.Permanent || !se.Refused || !strings.Contains(se.Reason, "older than 7 days") {
		t.Errorf("private reply to an old comment = %+v, want permanent, older than 7 days", se)
	}
}

func TestSendPublicReply(t *testing.T) {
	e := newEnv(t)
	fbComment, _ := e.fake.Comment(metafake.Comment{Account: pageID, From: "7001", Post: pageID + "_55", Text: "Where is my order?"})
	igComment, _ := e.fake.Comment(metafake.Comment{Account: igID, From: igsid, Post: "17887498072083520", Text: "Ship to Portugal?"})
	igReply, _ := e.fake.Comment(metafake.Comment{Account: igID, From: "3004", Post: "17887498072083520", Parent: igComment, Text: "same"})
	tests := []struct {
		name     string
		send     func(context.Context, channel.Outbound) (channel.Result, error)
		out      channel.Outbound
		wantPath string
		wantOn   string
	}{
		{"facebook comment", e.m.Send, outbound(e.fb, care.Public, "It ships today", fbComment, "7001", nil), "/" + fbComment + "/comments", fbComment},
		{"instagram comment", e.g.Send, outbound(e.ig, care.Public, "Yes, we do", igComment, igsid, nil), "/" + igComment + "/replies", igComment},
		{"instagram reply to a reply goes to the top-level comment", e.g.Send, outbound(e.ig, care.Public, "Yes", igReply, "3004", nil), "/" + igReply + "/replies", igComment},
		{"instagram mention", e.g.Send, outbound(e.ig, care.Public, "Thanks!", "mention:17918195224117851:17894227972186120", "mention:1", nil), "/" + igID + "/mentions", "17894227972186120"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(e.fake.Sent())
			res, err := tt.send(context.Background(), tt.out)
			if err != nil {
				t.Fatal(err)
			}
			sent := e.fake.Sent()[before:]
			if len(sent) != 1 || sent[0].Path != tt.wantPath || sent[0].CommentID != tt.wantOn || sent[0].Text != tt.out.Message.Text || res.PlatformID != sent[0].ID {
				t.Errorf("sent %+v, result %+v; want %s on %s", sent, res, tt.wantPath, tt.wantOn)
			}
		})
	}
	if _, err := e.m.Send(context.Background(), outbound(e.fb, care.Public, "Hi", "m_not_a_comment", "7001", nil)); !sendErr(t, err).Permanent {
		t.Errorf("public reply to a message id: want a permanent error")
	}
}

// TestSendToDeletedComment: a comment deleted on the platform before Parley
// heard of it (or by a reply queued just before) comes back as Graph error
// 100 subcode 33, "Object with ID … does not exist"; the reply fails saying
// the comment is gone and what to do, not "invalid request". The same error
// on a call that addresses no comment says nothing of comments.
func TestSendToDeletedComment(t *testing.T) {
	e := newEnv(t)
	fbComment, _ := e.fake.Comment(metafake.Comment{Account: pageID, From: "7001", Post: pageID + "_55", Text: "Where is my order?"})
	igComment, _ := e.fake.Comment(metafake.Comment{Account: igID, From: igsid, Post: "17887498072083520", Text: "Ship to Portugal?"})
	e.fake.RemoveComment(pageID, fbComment)
	e.fake.RemoveComment(igID, igComment)
	noObject := metafake.Failure{Status: http.StatusBadRequest, Code: 100, Subcode: 33, Type: "GraphMethodException",
		Message: "Unsupported post request. Object with ID '" + igID + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation."}
	tests := []struct {
		name   string
		send   func(context.Context, channel.Outbound) (channel.Result, error)
		out    channel.Outbound
		fail   *metafake.Failure
		reason string // the whole reason, or a part of it when not is set
		not    string // what the reason must not say
	}{
		{"facebook comment", e.m.Send, outbound(e.fb, care.Public, "It ships today", fbComment, "7001", nil), nil,
			"the comment this answers is gone from Facebook (its author deleted it, or the Page can no longer see it): reply to another of their comments, or in private to a message they sent the Page", ""},
		{"instagram comment", e.g.Send, outbound(e.ig, care.Public, "Yes, we do", igComment, igsid, nil), nil,
			"the comment this answers is gone from Instagram (its author deleted it, or the Instagram account can no longer see it): reply to another of their comments, or in private to a message they sent the Instagram account", ""},
		{"instagram mention: the object is the account", e.g.Send, outbound(e.ig, care.Public, "Thanks!", "mention:17918195224117851:17894227972186120", "mention:1", nil), &noObject,
			"invalid", "gone"},
		{"direct message: the object is the account", e.g.Send, outbound(e.ig, care.Private, "Hi", "", igsid, &care.Message{SentAt: e.now}), &noObject,
			"invalid", "gone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fail != nil {
				e.fake.FailNext(*tt.fail)
			}
			_, err := tt.send(context.Background(), tt.out)
			se := sendErr(t, err)
			ok := se.Permanent && strings.Contains(se.Reason, tt.reason) && (tt.not == "" && se.Reason == tt.reason || tt.not != "" && !strings.Contains(se.Reason, tt.not))
			if !ok {
				t.Errorf("Send = %+v\nwant permanent, reason %q (without %q)", se, tt.reason, tt.not)
			}
			// A comment gone is this reply's trouble; an account Meta
			// cannot find is the inbox's.
			if gone := tt.not == ""; se.Refused != gone {
				t.Errorf("Refused = %v, want %v", se.Refused, gone)
			}
		})
	}
}

func TestModerate(t *testing.T) {
	e := newEnv(t)
	fbComment, _ := e.fake.Comment(metafake.Comment{Account: pageID, From: "7001", Post: pageID + "_55", Text: "spam"})
	igComment, _ := e.fake.Comment(metafake.Comment{Account: igID, From: igsid, Post: "17887498072083520", Text: "spam"})
	ctx := context.Background()
	for _, tc := range []struct {
		mod interface {
			Moderate(context.Context, care.Inbox, string, channel.ModerationAction) error
		}
		in care.Inbox
		id string
	}{{e.m, e.fb, fbComment}, {e.g, e.ig, igComment}} {
		if err := tc.mod.Moderate(ctx, tc.in, tc.id, channel.Hide); err != nil || !e.fake.Hidden(tc.id) {
			t.Errorf("hide %s: err %v, hidden %v", tc.id, err, e.fake.Hidden(tc.id))
		}
		if err := tc.mod.Moderate(ctx, tc.in, tc.id, channel.Unhide); err != nil || e.fake.Hidden(tc.id) {
			t.Errorf("unhide %s: err %v, hidden %v", tc.id, err, e.fake.Hidden(tc.id))
		}
		if err := tc.mod.Moderate(ctx, tc.in, tc.id, channel.Delete); err != nil || !e.fake.Deleted(tc.id) {
			t.Errorf("delete %s: err %v, deleted %v", tc.id, err, e.fake.Deleted(tc.id))
		}
		if err := tc.mod.Moderate(ctx, tc.in, tc.id, channel.Delete); err == nil || !sendErr(t, err).Permanent {
			t.Errorf("deleting %s twice: %v, want a permanent error", tc.id, err)
		}
	}
	if err := e.g.Moderate(ctx, e.ig, "mention:1:2", channel.Hide); err == nil {
		t.Errorf("hiding a mention on someone else's media: want an error")
	}
}

func TestSendErrors(t *testing.T) {
	tests := []struct {
		name       string
		fail       metafake.Failure
		permanent  bool
		retryAfter time.Duration // the least expected
		reason     string
		rateLimit  string
	}{
		{"application throttling with usage", metafake.Throttled(4, 19*time.Minute), false, 19 * time.Minute, "rate-limiting", "pages 100% used"},
		{"calls exceeded without an estimate", metafake.Throttled(613, 0), false, time.Minute, "rate-limiting", "pages 100% used"},
		{"business use case throttling", metafake.Throttled(80006, 5*time.Minute), false, 5 * time.Minute, "rate-limiting", ""},
		// Code 2: retried, saying it is also what a block looks like.
		{"outage", metafake.Outage(), false, 0, "unexpected error (code 2), which it also sends when the customer has blocked the business", ""},
		{"permission", metafake.PermissionDenied(), true, 0, "lacks a permission", ""},
		{"token", metafake.TokenExpired(), true, 0, "reconnect", ""},
		{"not JSON, 502", metafake.Failure{Status: 502}, false, 0, "502", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.fake.Message(metafake.Message{Account: pageID, From: psid, Text: "hi", At: e.now})
			e.fake.FailNext(tt.fail)
			_, err := e.m.Send(context.Background(), outbound(e.fb, care.Private, "Hello", "", psid, &care.Message{SentAt: e.now}))
			se := sendErr(t, err)
			if se.Permanent != tt.permanent || se.RetryAfter < tt.retryAfter || !strings.Contains(se.Reason, tt.reason) ||
				!strings.Contains(se.RateLimit, tt.rateLimit) || se.Status != max(tt.fail.Status, 400) {
				t.Errorf("Send = %+v; want permanent %v, retry after ≥ %v, reason with %q, rate limit with %q", se, tt.permanent, tt.retryAfter, tt.reason, tt.rateLimit)
			}
			if se.RetryAfter > channel.MaxRetryAfter {
				t.Errorf("RetryAfter %v exceeds the cap", se.RetryAfter)
			}
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		e := newEnv(t)
		e.srv.Close()
		_, err := e.m.Send(context.Background(), outbound(e.fb, care.Private, "Hello", "", psid, &care.Message{SentAt: e.now}))
		if se := sendErr(t, err); se.Permanent {
			t.Errorf("Send to a closed server = %+v, want temporary", se)
		}
	})
	t.Run("wrong token", func(t *testing.T) {
		e := newEnv(t)
		e.fb.Credentials[meta.CredPageAccessToken] = "stale"
		_, err := e.m.Send(context.Background(), outbound(e.fb, care.Private, "Hello", "", psid, &care.Message{SentAt: e.now}))
		if se := sendErr(t, err); !se.Permanent || !strings.Contains(se.Reason, "token") {
			t.Errorf("Send with a wrong token = %+v, want permanent, naming the token", se)
		}
	})
}

// TestSendToUserRef: a person known by a user_ref (see
// TestReceivePluginSender) is written to as recipient.user_ref, which the
// Send API accepts for people who wrote through a Messenger plugin
// (developers.facebook.com/docs/messenger-platform/reference/send-api,
// "recipient"); Instagram has no such recipient.
func TestSendToUserRef(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, string(b))
		io.WriteString(w, `{"recipient_id":"1254459154682919","message_id":"m_sent"}`)
	}))
	defer srv.Close()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	last := &care.Message{SentAt: now.Add(-time.Hour)}
	tests := []struct {
		name     string
		ch       care.Channel
		customer string
		wantBody string // "" when Send must refuse without calling Meta
	}{
		{"Messenger user_ref", care.ChannelFacebook, "user_ref:USER-REF-ID",
			`{"recipient":{"user_ref":"USER-REF-ID"},"messaging_type":"RESPONSE","message":{"text":"Hello","metadata":"parley:parley-message-9"}}` + "\n"},
		{"Messenger PSID", care.ChannelFacebook, "1254459154682919",
			`{"recipient":{"id":"1254459154682919"},"messaging_type":"RESPONSE","message":{"text":"Hello","metadata":"parley:parley-message-9"}}` + "\n"},
		{"empty user_ref", care.ChannelFacebook, "user_ref:", ""},
		{"Instagram user_ref", care.ChannelInstagram, "user_ref:USER-REF-ID", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got = nil
			in := care.Inbox{ID: 1, Channel: tt.ch, ExternalID: pageID, Credentials: map[string]string{
				meta.CredPageAccessToken: "page-token", meta.CredAccessToken: "ig-token", meta.CredAPIBase: srv.URL}}
			var a channel.Sender = &meta.Messenger{Now: func() time.Time { return now }}
			if tt.ch == care.ChannelInstagram {
				a = &meta.Instagram{Now: func() time.Time { return now }}
			}
			res, err := a.Send(context.Background(), outbound(in, care.Private, "Hello", "", tt.customer, last))
			if tt.wantBody == "" {
				if se := sendErr(t, err); !se.Permanent || len(got) != 0 {
					t.Errorf("Send = %+v after %d calls, want a permanent refusal without calling Meta", se, len(got))
				}
				return
			}
			if err != nil || res.PlatformID != "m_sent" {
				t.Fatalf("Send = %+v, %v", res, err)
			}
			if len(got) != 1 || got[0] != tt.wantBody {
				t.Errorf("sent %q, want %q", got, tt.wantBody)
			}
		})
	}
}
