package reviews

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/reviews/gbpfake"
)

// TestSend answers a review: PUT …/reply with the text, and the reply's
// message id, which the poll's echo shares.
func TestSend(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	name := g.fake.Review(gbpfake.ReviewInput{Reviewer: jane, Stars: 2, Comment: "slow"})
	res, err := g.adapter.Send(context.Background(), outbound(g.inbox, "Sorry, Jane – we've added staff.", name))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != care.DeliverySent || res.PlatformID != ReplyID(name, "Sorry, Jane – we've added staff.") {
		t.Errorf("Send = %+v", res)
	}
	calls := g.fake.Calls()
	if len(calls) != 1 || calls[0].Method != http.MethodPut || calls[0].Review != name || calls[0].Comment != "Sorry, Jane – we've added staff." {
		t.Errorf("calls = %+v", calls)
	}
	if got, _ := g.fake.Reply(name); got != "Sorry, Jane – we've added staff." {
		t.Errorf("reply on Google = %q", got)
	}

	// The review answered may be named by an edit's id, or be the
	// customer's last message.
	g.clock.Add(time.Minute)
	out := outbound(g.inbox, "Thanks for coming back!", "")
	out.LastInbound = &care.Message{PlatformID: editID(name, g.clock.Now())}
	if _, err := g.adapter.Send(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	if got, _ := g.fake.Reply(name); got != "Thanks for coming back!" {
		t.Errorf("reply on Google after the second send = %q", got)
	}
}

func TestSendRefused(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	name := g.fake.Review(gbpfake.ReviewInput{Reviewer: jane, Stars: 2, Comment: "slow"})
	for _, tc := range []struct {
		name    string
		change  func(*channel.Outbound)
		reason  string
		refused bool // the review's refusal, not the location's
	}{
		{"private", func(o *channel.Outbound) { o.Message.Visibility = care.Private }, "privately", false},
		{"note", func(o *channel.Outbound) { o.Message.Visibility = care.Note }, "only public", false},
		{"attachment", func(o *channel.Outbound) {
			o.Message.Attachments = []care.Attachment{{Kind: "image", URL: "https://x/y.png"}}
		}, "text only", false},
		{"empty", func(o *channel.Outbound) { o.Message.Text = " \n" }, "empty", false},
		{"too long", func(o *channel.Outbound) { o.Message.Text = strings.Repeat("é", 2049) }, "4096 bytes", false},
		{"not text", func(o *channel.Outbound) { o.Message.Text = "\xff" }, "not valid", false},
		{"no review", func(o *channel.Outbound) { o.Message.ReplyToPlatformID = "" }, "not a review", false},
		{"other location", func(o *channel.Outbound) { o.Message.ReplyToPlatformID = "accounts/1/locations/2/reviews/x" }, "not a review", false},
		{"bad external id", func(o *channel.Outbound) { o.Inbox.ExternalID = "x" }, "external_id", false},
		{"gone", func(o *channel.Outbound) { o.Message.ReplyToPlatformID = g.fake.Location + "/reviews/gone" }, "no longer exists", true},
	} {
		out := outbound(g.inbox, "Sorry!", name)
		tc.change(&out)
		_, err := g.adapter.Send(context.Background(), out)
		var se *channel.SendError
		if !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, tc.reason) || se.Refused != tc.refused {
			t.Errorf("%s: Send = %v, want a permanent error about %q, refused %v", tc.name, err, tc.reason, tc.refused)
		}
	}
	if n := len(g.fake.Calls()); n != 1 {
		t.Errorf("%d reply requests reached Google, want only the one for the deleted review", n)
	}
}

// TestSendGoogleErrors: quota and failures are temporary, an unverified
// location and a refused grant permanent, and a revoked token is renewed
// once.
func TestSendGoogleErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := newGoogle(t)
	name := g.fake.Review(gbpfake.ReviewInput{Reviewer: jane, Stars: 2, Comment: "slow"})
	send := func() (*channel.SendError, error) {
		_, err := g.adapter.Send(ctx, outbound(g.inbox, "Sorry!", name))
		var se *channel.SendError
		errors.As(err, &se)
		return se, err
	}
	g.fake.Throttle(1)
	if se, err := send(); se == nil || se.Permanent || se.RetryAfter != time.Minute || se.Status != http.StatusTooManyRequests || !strings.Contains(se.Reason, "quota") {
		t.Errorf("over quota: %v", err)
	}
	g.fake.FailNext(1)
	if se, err := send(); se == nil || se.Permanent || se.Status != http.StatusServiceUnavailable {
		t.Errorf("unavailable: %v", err)
	}
	g.fake.SetVerified(false)
	if se, err := send(); se == nil || !se.Permanent || se.Refused || !strings.Contains(se.Reason, "not verified") {
		t.Errorf("unverified: %v", err)
	}
	g.fake.SetVerified(true)
	g.fake.ExpireTokens()
	if _, err := send(); err != nil {
		t.Errorf("with a revoked access token: %v", err)
	}
	g.fake.Revoke()
	g.fake.ExpireTokens()
	if se, err := send(); se == nil || !se.Permanent || !strings.Contains(se.Reason, "connect the account again") {
		t.Errorf("revoked grant: %v", err)
	}
}

// TestSendUnreachable: no answer is a temporary error.
func TestSendUnreachable(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	name := g.fake.Review(gbpfake.ReviewInput{Reviewer: jane, Stars: 2})
	g.adapter.Client = &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		if strings.HasSuffix(r.URL.Path, "/reply") {
			return nil, errors.New("connection refused")
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	_, err := g.adapter.Send(context.Background(), outbound(g.inbox, "Sorry!", name))
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent {
		t.Errorf("Send = %v, want a temporary error", err)
	}
}
