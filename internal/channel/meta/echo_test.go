package meta_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/meta/metafake"
)

// receiveDelivery has a receive d, signed as Meta signs it, for inbox in.
// It may run on another goroutine than the test's (a fake's OnSend).
func receiveDelivery(t *testing.T, a channel.Webhook, in care.Inbox, d *metafake.Delivery) []channel.Event {
	t.Helper()
	body := d.Body()
	h := http.Header{}
	h.Set(meta.SignatureHeader, meta.Sign(appSecret, body))
	evs, err := a.Receive(h, body, in, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Errorf("Receive: %v", err)
	}
	return evs
}

// TestInstagramEchoOfOwnSend: Instagram's echoes carry neither app_id nor
// metadata, so the echo of Parley's own message is known by what this
// process sent: the id Meta answered with, or, when the echo comes before
// that answer, the send under way to the same person with the same text.
// A message the brand typed in Meta's tools is still the brand's echo,
// even with the same text once Parley's send is over.
func TestInstagramEchoOfOwnSend(t *testing.T) {
	for _, appID := range []string{"", "42"} {
		t.Run("app_id "+appID, func(t *testing.T) {
			e := newEnv(t)
			e.fake.AppID = "42"
			in := e.ig
			if appID != "" {
				in.Credentials[meta.CredAppID] = appID
			}
			e.fake.Message(metafake.Message{Account: igID, From: igsid, Text: "Do you ship to Portugal?"})
			last := &care.Message{SentAt: e.now}

			// The echo arrives while the send is under way.
			var during, foreign []channel.Event
			e.fake.OnSend = func(s metafake.Sent) {
				d, _ := e.fake.Echo(s.ID)
				during = receiveDelivery(t, e.g, in, d)
				_, other := e.fake.ToolEcho(igID, igsid, "Typed in the Instagram app", "")
				foreign = receiveDelivery(t, e.g, in, other)
			}
			res, err := e.g.Send(context.Background(), outbound(in, care.Private, "Yes we do", "", igsid, last))
			if err != nil {
				t.Fatal(err)
			}
			e.fake.OnSend = nil
			if len(during) != 0 {
				t.Errorf("echo of Parley's send, before Meta's answer: %d events, want none: %+v", len(during), during)
			}
			if len(foreign) != 1 || foreign[0].Inbound.Kind != care.KindEcho {
				t.Errorf("another message typed in the Instagram app meanwhile: %+v, want one echo", foreign)
			}

			// After the answer, by its id, even if Meta's text differs.
			d, _ := e.fake.Echo(res.PlatformID)
			if evs := receiveDelivery(t, e.g, in, d); len(evs) != 0 {
				t.Errorf("echo of Parley's send after Meta's answer: %+v, want none", evs)
			}
			altered := &metafake.Delivery{Object: "instagram", Entries: d.Entries}
			altered.Entries[0] = bytes.Replace(altered.Entries[0], []byte(`"Yes we do"`), []byte(`"Yes  we do!"`), 1)
			if evs := receiveDelivery(t, e.g, in, altered); len(evs) != 0 {
				t.Errorf("echo of Parley's send with other text: %+v, want none", evs)
			}

			// The same words typed in the app afterwards are the brand's.
			mid, d := e.fake.ToolEcho(igID, igsid, "Yes we do", "")
			evs := receiveDelivery(t, e.g, in, d)
			if len(evs) != 1 || evs[0].Inbound.Kind != care.KindEcho || evs[0].Inbound.PlatformID != mid || evs[0].Inbound.Author.PlatformUserID != igsid {
				t.Errorf("message typed in the app: %+v, want an echo to %s", evs, igsid)
			}
		})
	}
}

// TestCommentEchoes: the account's own replies to comments are the
// brand's answers. One typed in Meta Business Suite or the Instagram app is
// an echo replying to the comment answered; one Parley posted is skipped,
// by the id Meta answered with or, before the answer, by the reply under
// way; the account's own comments that answer no comment are skipped.
func TestCommentEchoes(t *testing.T) {
	e := newEnv(t)
	fbComment, _ := e.fake.Comment(metafake.Comment{Account: pageID, From: "7001", Name: "Ana", Post: pageID + "_55", Text: "Broken on arrival"})
	igComment, _ := e.fake.Comment(metafake.Comment{Account: igID, From: igsid, Name: "ana", Post: "17887498072083520", Text: "Ship to Portugal?"})
	for _, tt := range []struct {
		name    string
		a       adapter
		in      care.Inbox
		comment string
	}{
		{"facebook", e.m, e.fb, fbComment},
		{"instagram", e.g, e.ig, igComment},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id, d := e.fake.ToolReply(tt.in.ExternalID, tt.comment, "Sorry! Check your messages")
			evs := receiveDelivery(t, tt.a, tt.in, d)
			if len(evs) != 1 {
				t.Fatalf("reply typed in Meta's tools: %d events, want 1: %+v", len(evs), evs)
			}
			got := evs[0].Inbound
			if got.Kind != care.KindEcho || got.PlatformID != id || got.ReplyToPlatformID != tt.comment ||
				got.Visibility != care.Public || got.Text != "Sorry! Check your messages" || got.Author.PlatformUserID != tt.in.ExternalID {
				t.Errorf("reply typed in Meta's tools = %+v, want a public echo answering %s", got, tt.comment)
			}

			var during []channel.Event
			e.fake.OnSend = func(s metafake.Sent) {
				d, _ := e.fake.ReplyEcho(s.ID)
				during = receiveDelivery(t, tt.a, tt.in, d)
			}
			res, err := tt.a.Send(context.Background(), outbound(tt.in, care.Public, "We're on it", tt.comment, "7001", nil))
			e.fake.OnSend = nil
			if err != nil {
				t.Fatal(err)
			}
			if len(during) != 0 {
				t.Errorf("echo of Parley's reply before Meta's answer: %+v, want none", during)
			}
			d, _ = e.fake.ReplyEcho(res.PlatformID)
			if evs := receiveDelivery(t, tt.a, tt.in, d); len(evs) != 0 {
				t.Errorf("echo of Parley's reply after Meta's answer: %+v, want none", evs)
			}
		})
	}

	// The Page's own comment on its post, and the Instagram account's on
	// its media, answer no one.
	own := []*metafake.Delivery{
		{Object: "page", Entries: []json.RawMessage{json.RawMessage(`{"id":"` + pageID + `","time":1772366000,"changes":[{"field":"feed","value":` +
			`{"from":{"id":"` + pageID + `","name":"Acme"},"message":"New arrivals","post_id":"` + pageID + `_55","comment_id":"55_1","parent_id":"` + pageID + `_55","item":"comment","verb":"add","created_time":1772366000}}]}`)}},
		{Object: "instagram", Entries: []json.RawMessage{json.RawMessage(`{"id":"` + igID + `","time":1772366000,"changes":[{"field":"comments","value":` +
			`{"id":"17900000000000099","from":{"id":"` + igID + `","username":"acme"},"text":"Link in bio","media":{"id":"17887498072083520"}}}]}`)}},
	}
	for _, d := range own {
		if evs := receiveDelivery(t, e.m, e.fb, d); len(evs) != 0 {
			t.Errorf("the account's own comment answering no comment: %+v, want none", evs)
		}
	}
}

// TestReferralNotes: the ad, link or plugin a customer came from is kept
// with the message or tap that brought them, cleaned and cut short; a
// referral on its own (a customer back in a thread) is no message.
func TestReferralNotes(t *testing.T) {
	long := strings.Repeat("Summer shoes ", 40)
	tests := []struct {
		name, object, item, want string
	}{
		{"messenger ad", "page",
			`{"sender":{"id":"2002"},"recipient":{"id":"1001"},"timestamp":1772366000000,"message":{"mid":"m_1","text":"Is this available?",` +
				`"referral":{"ref":"spring","ad_id":"2384","source":"ADS","type":"OPEN_THREAD","ads_context_data":{"ad_title":"Summer shoes","photo_url":"https://scontent.xx.fbcdn.net/ad.jpg","post_id":"1001_99"}}}}`,
			"Is this available?\n\n[Came from an ad: \"Summer shoes\", ad 2384, ref spring]"},
		{"instagram ad", "instagram",
			`{"sender":{"id":"3003"},"recipient":{"id":"17841400000000001"},"timestamp":1772366000000,"message":{"mid":"aWdfMQ","text":"price?",` +
				`"referral":{"ad_id":"1","source":"ADS","type":"OPEN_THREAD","ads_context_data":{"ad_title":"` + long + `","product_id":"77"}}}}`,
			"price?\n\n[Came from an ad: \"" + channel.CleanName(long, 200) + "\", product 77, ad 1]"},
		{"ig.me link on an icebreaker", "instagram",
			`{"sender":{"id":"3003"},"recipient":{"id":"17841400000000001"},"timestamp":1772366000000,"postback":{"mid":"aWdfMg","title":"What are your hours?","payload":"HOURS",` +
				`"referral":{"ref":"bio","source":"SHORTLINKS","type":"OPEN_THREAD"}}}`,
			"What are your hours?\n\n[Came from an ig.me link: ref bio]"},
		{"chat plugin", "page",
			`{"sender":{"id":"2002"},"recipient":{"id":"1001"},"timestamp":1772366000000,"message":{"mid":"m_2","text":"hi",` +
				`"referral":{"ref":"home","source":"CUSTOMER_CHAT_PLUGIN","type":"OPEN_THREAD","referer_uri":"https://acme.example/help\u0000"}}}`,
			"hi\n\n[Came from the chat plugin: on https://acme.example/help, ref home]"},
		{"shop product", "instagram",
			`{"sender":{"id":"3003"},"recipient":{"id":"17841400000000001"},"timestamp":1772366000000,"message":{"mid":"aWdfMw","text":"in blue?","referral":{"product":{"id":"5544"}}}}`,
			"in blue?\n\n[Referred: product 5544]"},
		{"a referral of an odd shape costs the referral, not the message", "page",
			`{"sender":{"id":"2002"},"recipient":{"id":"1001"},"timestamp":1772366000000,"message":{"mid":"m_3","text":"hello",` +
				`"referral":{"source":"ADS","ad_id":"1","ads_context_data":["not","an","object"]}}}`,
			"hello"},
		{"referral on its own", "page",
			`{"sender":{"id":"2002"},"recipient":{"id":"1001"},"timestamp":1772366000000,"referral":{"ref":"summer","source":"SHORTLINK","type":"OPEN_THREAD"}}`,
			""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			account := pageID
			if tt.object == "instagram" {
				account = igID
			}
			d := &metafake.Delivery{Object: tt.object, Entries: []json.RawMessage{json.RawMessage(
				`{"id":"` + account + `","time":1772366000000,"messaging":[` + tt.item + `]}`)}}
			evs := receiveDelivery(t, &meta.Messenger{}, care.Inbox{ID: 1, Channel: care.ChannelFacebook, ExternalID: pageID,
				Credentials: map[string]string{meta.CredAppSecret: appSecret}}, d)
			switch {
			case tt.want == "" && len(evs) != 0:
				t.Errorf("Receive = %+v, want no event", evs)
			case tt.want != "" && (len(evs) != 1 || evs[0].Inbound.Text != tt.want):
				t.Errorf("Receive = %+v, want one event with text %q", evs, tt.want)
			}
		})
	}
}

// TestSkippedKindsLogged: what a delivery holds that Parley skips is
// logged, each kind once, at debug level when skipped on purpose and at
// info level when unknown, with anything from the payload quoted and cut
// short.
func TestSkippedKindsLogged(t *testing.T) {
	var buf bytes.Buffer
	m := &meta.Messenger{Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	// A kind's name is the sender's to choose: an escape sequence, 5000
	// bytes.
	hostile := `\u001b[31m` + strings.Repeat("x", 5000) + `\n`
	d := &metafake.Delivery{Object: "page", Entries: []json.RawMessage{
		json.RawMessage(`{"id":"` + pageID + `","time":1772366000000,"messaging":[` +
			`{"sender":{"id":"2002"},"recipient":{"id":"1001"},"timestamp":1772366000000,"optin":{"type":"notification_messages"}},` +
			`{"sender":{"id":"2002"},"recipient":{"id":"1001"},"timestamp":1772366000000,"` + hostile + `":{"a":1}},` +
			`{"sender":{"id":"2002"},"recipient":{"id":"1001"},"timestamp":1772366000000,"referral":{"ref":"summer","source":"SHORTLINK","type":"OPEN_THREAD"}},` +
			`{"sender":{"id":"2002"},"recipient":{"id":"1001"},"timestamp":1772366000000,"read":{"watermark":1772366000000}}],` +
			`"changes":[{"field":"feed","value":{"item":"status","verb":"add","post_id":"1001_7","message":"visitor post"}},` +
			`{"field":"ratings","value":{"item":"rating","verb":"add"}},` +
			`{"field":"feed","value":{"item":"comment","verb":"hide","comment_id":"55_1"}}]}`),
		json.RawMessage(`"not an entry"`),
	}}
	receiveDelivery(t, m, care.Inbox{ID: 7, Channel: care.ChannelFacebook, ExternalID: pageID,
		Credentials: map[string]string{meta.CredAppSecret: appSecret}}, d)
	logs := buf.String()
	for _, want := range []string{
		`level=DEBUG msg="meta: part of a delivery skipped" channel=facebook inbox=7 account=1001 what="messaging item \"optin\""`,
		`level=INFO msg="meta: part of a delivery skipped" channel=facebook inbox=7 account=1001 what="messaging item \"\\x1b[31m` + strings.Repeat("x", 35) + `\""`,
		`level=DEBUG msg="meta: part of a delivery skipped" channel=facebook inbox=7 account=1001 what="a referral of source \"SHORTLINK\" without a message"`,
		`what="a read watermark, which names no message"`,
		`level=DEBUG msg="meta: part of a delivery skipped" channel=facebook inbox=7 account=1001 what="feed item \"status\", verb \"add\""`,
		`level=INFO msg="meta: part of a delivery skipped" channel=facebook inbox=7 account=1001 what="field \"ratings\""`,
		`what="feed comment verb \"hide\""`,
		`level=INFO msg="meta: part of a delivery skipped" channel=facebook inbox=7 what="entry 1, which is not an object with an id"`,
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s\nlogs:\n%s", want, logs)
		}
	}
	for line := range strings.Lines(logs) {
		if len(line) > 400 || strings.Contains(line, "\x1b") {
			t.Errorf("log line unbounded or raw: %.200q", line)
		}
	}
}
