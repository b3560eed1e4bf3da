package x

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

const testSecret = "test_consumer_secret"

var testNow = time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)

func quietAdapter() *Adapter {
	return &Adapter{Now: func() time.Time { return testNow }, Logger: slog.New(slog.DiscardHandler)}
}

func webhookInbox() care.Inbox {
	return care.Inbox{ID: 7, Channel: care.ChannelX, ExternalID: "1111111111111111111",
		Credentials: map[string]string{CredConsumerSecret: testSecret, CredAccessToken: "token"}}
}

func signed(body []byte) http.Header {
	h := http.Header{}
	h.Set(SignatureHeader, Sign(testSecret, body))
	return h
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Known vectors from CHANNELS.md §1.3, recomputed there with the standard
// library: the CRC of "challenge_string" and the signature of the
// documentation's direct_message_events example, byte for byte.
func TestSignVectors(t *testing.T) {
	if got, want := Sign(testSecret, []byte("challenge_string")), "sha256=583uAmerwtjpykYEAEm+CEIRm6dOywK4QKRr0ha/Pd4="; got != want {
		t.Errorf("Sign(challenge_string) = %q, want %q", got, want)
	}
	body := readTestdata(t, "aaa_direct_message_events.json")
	if got, want := Sign(testSecret, body), "sha256=jOXU3kVsWhBH2d1dOfkz+PiuIByEAUADWPLBrTqrOdo="; got != want {
		t.Errorf("Sign(aaa_direct_message_events.json) = %q, want %q", got, want)
	}
}

func TestHandshake(t *testing.T) {
	a := quietAdapter()
	tests := []struct {
		name     string
		query    string
		secret   string
		wantCode int
		wantBody string
	}{
		{"CRC vector", "crc_token=challenge_string", testSecret, 200, `{"response_token":"sha256=583uAmerwtjpykYEAEm+CEIRm6dOywK4QKRr0ha/Pd4="}` + "\n"},
		{"missing token", "", testSecret, 400, ""},
		{"empty token", "crc_token=", testSecret, 400, ""},
		{"oversized token", "crc_token=" + strings.Repeat("a", 2000), testSecret, 400, ""},
		{"no consumer secret", "crc_token=abc", "", 500, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := webhookInbox()
			in.Credentials[CredConsumerSecret] = tt.secret
			w := httptest.NewRecorder()
			a.Handshake(w, httptest.NewRequest("GET", "/webhooks/7?"+tt.query, nil), in)
			if w.Code != tt.wantCode {
				t.Fatalf("status %d, want %d (%s)", w.Code, tt.wantCode, w.Body)
			}
			if tt.wantBody != "" {
				if got := w.Body.String(); got != tt.wantBody {
					t.Errorf("body %q, want %q", got, tt.wantBody)
				}
				if ct := w.Header().Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q", ct)
				}
			}
		})
	}
}

type gotEvent struct {
	Account string
	Inbound care.Inbound
}

func TestReceiveGolden(t *testing.T) {
	ms := func(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	x := care.ChannelX
	tests := []struct {
		file string
		want []gotEvent
	}{
		{"aaa_direct_message_events.json", []gotEvent{{"4337869213", care.Inbound{Kind: care.KindMessage, Channel: x,
			PlatformID: "954491830116155396", Visibility: care.Private, Text: "Hello World!", SentAt: ms(1516403560557),
			Author: care.Author{PlatformUserID: "3001969357", DisplayName: "Jordan Brinks", Handle: "furiouscamper", Followers: 22, AccountCreated: sinceMillis(1422556069340)}}}}},
		{"aaa_direct_message_events_sent.json", []gotEvent{{"4337869213", care.Inbound{Kind: care.KindEcho, Channel: x,
			PlatformID: "954491830116155400", Visibility: care.Private, Text: "Thanks Jordan, a replacement is on its way.", SentAt: ms(1516403640112),
			Author: care.Author{PlatformUserID: "3001969357", DisplayName: "Jordan Brinks", Handle: "furiouscamper", Followers: 22, AccountCreated: sinceMillis(1422556069340)}}}}},
		{"aaa_tweet_delete_events.json", []gotEvent{{"930524282358325248", care.Inbound{Kind: care.KindDelete, Channel: x,
			PlatformID: "1045405559317569537", Visibility: care.Public, SentAt: ms(1432228155593),
			Author: care.Author{PlatformUserID: "930524282358325248"}}}}},
		{"aaa_tweet_create_events_reply.json", []gotEvent{{"1615654896", care.Inbound{Kind: care.KindMessage, Channel: x,
			PlatformID: "1296887316556980230", ReplyToPlatformID: "1296887091901718529", Visibility: care.Public,
			Text:   "See how @PennMedCDH are using Twitter data to understand the COVID-19 health crisis 📊\n\nhttps://t.co/1tdA8uDWes",
			SentAt: ms(1598037005584),
			Author: care.Author{PlatformUserID: "2244994945", DisplayName: "Twitter Dev", Handle: "TwitterDev", Followers: 512292, Verified: true, AccountCreated: since("2013-12-14T04:35:55Z")}}}}},
		{"aaa_tweet_create_events_long_mention.json", []gotEvent{{"3001969357", care.Inbound{Kind: care.KindMessage, Channel: x,
			PlatformID: "2029391742123040768", Visibility: care.Public,
			Text: "@furiouscamper my tent arrived with a torn rain fly & no stakes. Order 88213. I've waited on hold for 40 minutes, " +
				"this is the third time I've asked for a replacement <sigh>. Photos attached. https://t.co/aB3dE6gH9k",
			Attachments: []care.Attachment{{Kind: "image", URL: "https://pbs.twimg.com/media/GlT0rnFWkAA8c2x.jpg"}},
			SentAt:      ms(1772529267512),
			Author:      care.Author{PlatformUserID: "1517162345678901248", DisplayName: "Maren Okafor", Handle: "marenhikes", Followers: 12410, AccountCreated: since("2022-04-21T15:02:11Z")}}}}},
		{"aaa_tweet_create_events_own_reply.json", []gotEvent{{"3001969357", care.Inbound{Kind: care.KindEcho, Channel: x,
			PlatformID: "2029395915384037376", ReplyToPlatformID: "2029391742123040768", Visibility: care.Public,
			Text:   "@marenhikes We're sorry, Maren. A replacement fly and stakes ship today; check your DMs for tracking.",
			SentAt: ms(1772530262004),
			Author: care.Author{PlatformUserID: "1517162345678901248", DisplayName: "Maren Okafor", Handle: "marenhikes"}}}}},
		// The documentation's longform example: text cut at 140 with
		// truncated true, the whole post in extended_tweet, a numeric id
		// rounded beside the exact id_str, and user_has_blocked as the
		// string "false".
		{"aaa_tweet_create_events_longform.json", []gotEvent{{"1661523610111193088", care.Inbound{Kind: care.KindMessage, Channel: x,
			PlatformID: "1924465506158878979", Visibility: care.Public,
			Text: "The Antikythera Mechanism: A Window into Ancient Ingenuity Discovered in 1901 among the wreckage of a Roman ship off the " +
				"Greek island of Antikythera, the Antikythera Mechanism is often hailed as the world's first analog computer. This intricate " +
				"bronze device, dating back to around 100 BCE, has captivated historians, archaeologists, and scientists with its sophisticated " +
				"design & mysterious purpose.\n@xai\n@HistoryInPics",
			SentAt: ms(1747663306664),
			Author: care.Author{PlatformUserID: "1603419180975409153", DisplayName: "Ancient Tech Notes", Handle: "ancienttech", Followers: 1204, AccountCreated: since("2022-12-15T15:30:00Z")}}}}},
		{"aaa_tweet_create_events_retweet.json", nil},
		{"aaa_tweet_create_events_blocked.json", nil},
		{"aaa_tweet_create_events_blocked_string.json", nil},
		{"aaa_tweet_create_events_is_blocked_by.json", nil},
		{"aaa_replay_job_status.json", nil},
		{"aaa_direct_message_indicate_typing_events.json", nil},
		{"aaa_direct_message_mark_read_events.json", nil},
		{"aaa_user_event.json", nil},
		{"aaa_favorite_events.json", nil},
		{"aaa_follow_events.json", nil},
		// A photo in a DM: X's file opens only with the account's
		// credentials, and the t.co link to it leaves the text; the
		// welcome message and quick reply it answers change nothing.
		{"aaa_direct_message_events_media_CONSTRUCTED.json", []gotEvent{{"4337869213", care.Inbound{Kind: care.KindMessage, Channel: x,
			PlatformID: "954491830116155397", Visibility: care.Private, Text: "The zip broke on day two", SentAt: ms(1516403590557),
			Attachments: []care.Attachment{{Kind: "image", URL: DMMediaScheme + "https://ton.twitter.com/1.1/ton/data/dm/954491830116155397/954491800000000001/Xk2mLq8v.jpg"}},
			Author:      care.Author{PlatformUserID: "3001969357", DisplayName: "Jordan Brinks", Handle: "furiouscamper", Followers: 22, AccountCreated: sinceMillis(1422556069340)}}}}},
		// The customer read the account's DMs: the last one is read. The
		// account reading the customer's is not a status.
		{"aaa_direct_message_mark_read_events_CONSTRUCTED.json", []gotEvent{{"4337869213", care.Inbound{Kind: care.KindStatus, Channel: x,
			PlatformID: "963085315333238788", Status: care.DeliveryRead, ReadUpTo: true, SentAt: ms(1518452444662)}}}},
		{"xaa_post_mention_create.json", []gotEvent{{"1111111111111111111", care.Inbound{Kind: care.KindMessage, Channel: x,
			PlatformID: "2080765813578191303", Visibility: care.Public, Text: "hey @ExampleUser", SentAt: at("2026-07-24T21:23:23Z"), Charge: ChargePostDelivered,
			Author: care.Author{PlatformUserID: "2222222222222222222", DisplayName: "OtherUser", Handle: "OtherUser", Followers: 97, AccountCreated: since("2026-04-20T19:55:59Z")}}}}},
		{"xaa_post_reply_create.json", []gotEvent{{"1111111111111111111", care.Inbound{Kind: care.KindMessage, Channel: x,
			PlatformID: "2090000000000000001", ReplyToPlatformID: "2080761390344937796", Visibility: care.Public,
			Text: "@ExampleUser Great post — thanks for sharing!", SentAt: at("2026-08-12T18:00:00Z"), Charge: ChargePostDelivered,
			Author: care.Author{PlatformUserID: "2222222222222222222"}}}}},
		{"xaa_post_quote_create.json", []gotEvent{{"1111111111111111111", care.Inbound{Kind: care.KindMessage, Channel: x,
			PlatformID: "2090000000000000002", Visibility: care.Public, Text: "Adding some context to this. https://t.co/xxxxxxxx",
			SentAt: at("2026-08-12T18:05:00Z"), Charge: ChargePostDelivered, Author: care.Author{PlatformUserID: "2222222222222222222"}}}}},
		{"xaa_post_create.json", nil},
		// The account's own reply, with in_reply_to_tweet_id but no
		// in_reply_to_user_id: the customer answered is found among the
		// included posts.
		{"xaa_post_create_reply.json", []gotEvent{{"1111111111111111111", care.Inbound{Kind: care.KindEcho, Channel: x,
			PlatformID: "2090000000000000010", ReplyToPlatformID: "2090000000000000001", Visibility: care.Public,
			Text: "@OtherUser Thanks! A fix ships on Monday & we'll post here.", SentAt: at("2026-08-12T18:20:00Z"), Charge: ChargePostDelivered,
			Author: care.Author{PlatformUserID: "2222222222222222222", DisplayName: "OtherUser", Handle: "OtherUser", Followers: 97, AccountCreated: since("2026-04-20T19:55:59Z")}}}}},
		// Every optional field absent or null, unknown fields beside them,
		// the event type in another case, and an edit: its earlier
		// version is a reference.
		{"xaa_post_mention_create_sparse.json", []gotEvent{{"1111111111111111111", care.Inbound{Kind: care.KindMessage, Channel: x,
			PlatformID: "2080766000000000000", Visibility: care.Public, References: []string{"2080765813578191303"},
			Text: "@ExampleUser my order still hasn't shipped (edited: order 5521)", SentAt: testNow, Charge: ChargePostDelivered,
			Author: care.Author{PlatformUserID: "3333333333333333333"}}}}},
		{"xaa_post_repost_create.json", nil},
		{"xaa_broadcast_chat.json", nil},
		{"xaa_unknown_event_type.json", nil},
		{"xaa_post_delete.json", []gotEvent{{"1111111111111111111", care.Inbound{Kind: care.KindDelete, Channel: x,
			PlatformID: "2080761269309813134", Visibility: care.Public, SentAt: testNow,
			Author: care.Author{PlatformUserID: "1111111111111111111"}}}}},
		{"xaa_dm_received.json", []gotEvent{{"1111111111111111111", care.Inbound{Kind: care.KindMessage, Channel: x,
			PlatformID: "2080765901528535096", Visibility: care.Private, Text: "hello!", SentAt: ms(1784928224372), Charge: ChargeDMDelivered,
			Author: care.Author{PlatformUserID: "2222222222222222222", DisplayName: "OtherUser", Handle: "OtherUser", Followers: 97, AccountCreated: since("2026-04-20T19:55:59Z")}}}}},
		{"xaa_dm_sent.json", []gotEvent{{"1111111111111111111", care.Inbound{Kind: care.KindEcho, Channel: x,
			PlatformID: "2080763914820927863", Visibility: care.Private, Text: "Thanks for the update!", SentAt: ms(1784927750704),
			Author: care.Author{PlatformUserID: "2244994945", DisplayName: "X Developers", Handle: "XDevelopers", Followers: 694887, Verified: true, AccountCreated: since("2013-12-14T04:35:55Z")}}}}},
		{"xaa_follow_follow.json", nil},
		{"xaa_like_create.json", nil},
		{"xaa_profile_update_bio.json", nil},
		{"xaa_oauth_revoke.json", nil},
		{"xaa_chat_received.json", nil},
	}
	a := quietAdapter()
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body := readTestdata(t, tt.file)
			evs, err := a.Receive(signed(body), body, webhookInbox(), testNow)
			if err != nil {
				t.Fatalf("Receive: %v", err)
			}
			var got []gotEvent
			for _, ev := range evs {
				got = append(got, gotEvent{ev.Account, ev.Inbound})
				if err := ev.Inbound.Validate(); err != nil {
					t.Errorf("event %s does not validate: %v", ev.Inbound.PlatformID, err)
				}
				// Each event's raw payload is a delivery of that event
				// alone, which parses back to the same event.
				again, err := a.Receive(signed(ev.Raw), ev.Raw, webhookInbox(), testNow)
				if err != nil || len(again) != 1 {
					t.Fatalf("Receive(Raw) = %d events, %v; want 1 (raw %s)", len(again), err, ev.Raw)
				}
				if diff := cmp.Diff(ev.Inbound, again[0].Inbound); diff != "" {
					t.Errorf("Raw parses to a different event (-first +again):\n%s", diff)
				}
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("events mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// A platform time more than a day ahead of the clock is not believed: the
// receipt time stands in for it.
func TestReceiveDistrustsFutureTimes(t *testing.T) {
	a := quietAdapter()
	earlier := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	body := readTestdata(t, "xaa_dm_received.json") // sent 2026-07-25
	evs, err := a.Receive(signed(body), body, webhookInbox(), earlier)
	if err != nil || len(evs) != 1 {
		t.Fatalf("Receive = %d, %v", len(evs), err)
	}
	if got := evs[0].Inbound.SentAt; !got.Equal(earlier) {
		t.Errorf("SentAt = %v, want %v", got, earlier)
	}
}

func TestReceiveRejects(t *testing.T) {
	a := quietAdapter()
	body := readTestdata(t, "xaa_post_mention_create.json")
	tests := []struct {
		name     string
		header   http.Header
		body     []byte
		inbox    func(*care.Inbox)
		wantCode string
	}{
		{"wrong signature", http.Header{SignatureHeader: {Sign("other secret", body)}}, body, nil, care.EUNAUTHORIZED},
		{"no signature", http.Header{}, body, nil, care.EUNAUTHORIZED},
		{"hex instead of base64", http.Header{SignatureHeader: {"sha256=8ce5d4de456c5a1047d9dd5d39f933f8f8ae2"}}, body, nil, care.EUNAUTHORIZED},
		{"signature of another body", signed([]byte("{}")), body, nil, care.EUNAUTHORIZED},
		{"no consumer secret", signed(body), body, func(in *care.Inbox) { delete(in.Credentials, CredConsumerSecret) }, care.EUNAUTHORIZED},
		{"not JSON", signed([]byte("not json")), []byte("not json"), nil, care.EINVALID},
		{"JSON array", signed([]byte("[]")), []byte("[]"), nil, care.EINVALID},
		{"data not an object", signed([]byte(`{"data":[1]}`)), []byte(`{"data":[1]}`), nil, care.EINVALID},
		{"events not a list", signed([]byte(`{"for_user_id":"1","tweet_create_events":{}}`)),
			[]byte(`{"for_user_id":"1","tweet_create_events":{}}`), nil, care.EINVALID},
		{"post payload not an object", signed([]byte(`{"data":{"event_type":"post.mention.create","payload":[]}}`)),
			[]byte(`{"data":{"event_type":"post.mention.create","payload":[]}}`), nil, care.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := webhookInbox()
			if tt.inbox != nil {
				tt.inbox(&in)
			}
			evs, err := a.Receive(tt.header, tt.body, in, testNow)
			if code := care.ErrorCode(err); code != tt.wantCode || evs != nil {
				t.Errorf("Receive = %d events, %v (%s); want code %s", len(evs), err, code, tt.wantCode)
			}
		})
	}
}

func TestReceiveSkipsBrokenEvents(t *testing.T) {
	a := quietAdapter()
	// One good mention beside one without an id and one whose user id is
	// not numeric: the good one is kept.
	body := []byte(`{"for_user_id":"3001969357","tweet_create_events":[
		{"id_str":"2029391742123040768","text":"@furiouscamper hi","user":{"id_str":"151","name":"A","screen_name":"a"}},
		{"text":"@furiouscamper no id","user":{"id_str":"152"}},
		{"id_str":"2029391742123040769","text":"@furiouscamper bad user","user":{"id_str":"x152"}},
		{"id_str":"2029391742123040770","text":"","user":{"id_str":"153"}},
		"not an object"]}`)
	evs, err := a.Receive(signed(body), body, webhookInbox(), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Inbound.PlatformID != "2029391742123040768" {
		t.Errorf("Receive kept %v, want only 2029391742123040768", evs)
	}
}

func TestReceiveBounds(t *testing.T) {
	a := quietAdapter()
	long := strings.Repeat("長", 30000) // 90 KB, over care.MaxTextBytes
	name := strings.Repeat("n", 600)
	body := []byte(`{"data":{"event_type":"post.mention.create","filter":{"user_id":"1111111111111111111"},
		"payload":{"id":"2090000000000000009","author_id":"2222","text":"short","note_tweet":{"text":"` + long + `\u0000"}},
		"includes":{"users":[{"id":"2222","name":"` + name + `\nsecond line","username":"u","public_metrics":{"followers_count":-5}}]}}}`)
	evs, err := a.Receive(signed(body), body, webhookInbox(), testNow)
	if err != nil || len(evs) != 1 {
		t.Fatalf("Receive = %d, %v", len(evs), err)
	}
	in := evs[0].Inbound
	if len(in.Text) > care.MaxTextBytes || !strings.HasSuffix(in.Text, "…") || strings.ContainsRune(in.Text, 0) {
		t.Errorf("text not bounded: %d bytes", len(in.Text))
	}
	if len(in.Author.DisplayName) > care.MaxNameBytes || strings.ContainsRune(in.Author.DisplayName, '\n') {
		t.Errorf("name not bounded: %q", in.Author.DisplayName)
	}
	if in.Author.Followers != 0 {
		t.Errorf("negative followers kept: %d", in.Author.Followers)
	}
}

func FuzzReceive(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			f.Add(readTestdata(f, e.Name()))
		}
	}
	f.Add([]byte(`{"data":{"event_type":"dm.received","payload":{"direct_message_events":[{"id":"1","message_create":{"sender_id":"2","target":{"recipient_id":"3"},"message_data":{"text":"x"}}}],"users":{"2":{"data":{"id":"2"}}}}}}`))
	f.Add([]byte(`{"for_user_id":1,"tweet_create_events":[{"id":12,"user":{"id":13},"text":"a","retweeted_status":null}]}`))
	a := quietAdapter()
	f.Fuzz(func(t *testing.T, body []byte) {
		evs, err := a.Receive(signed(body), body, webhookInbox(), testNow)
		if err != nil {
			if code := care.ErrorCode(err); code != care.EINVALID {
				t.Fatalf("Receive error %v, want EINVALID", err)
			}
			return
		}
		for _, ev := range evs {
			checkEvent(t, ev)
		}
	})
}

func checkEvent(t *testing.T, ev channel.Event) {
	t.Helper()
	in := ev.Inbound
	in.InboxID = 1
	if err := in.Validate(); err != nil {
		t.Fatalf("event does not validate: %v", err)
	}
	if in.Channel != care.ChannelX || !validID(in.PlatformID) || ev.Account != "" && !validID(ev.Account) {
		t.Fatalf("bad event %+v", ev)
	}
	if len(ev.Raw) == 0 || !bytes.HasPrefix(bytes.TrimSpace(ev.Raw), []byte("{")) {
		t.Fatalf("raw payload %q", ev.Raw)
	}
}

// sinceMillis is an account's creation time in epoch milliseconds, as the
// Account Activity API's users map gives it.
func sinceMillis(ms int64) *time.Time {
	t := time.UnixMilli(ms).UTC()
	return &t
}

// since is an account's creation time, as the payloads give it.
func since(rfc3339 string) *time.Time {
	t, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		panic(err)
	}
	return &t
}

// X delivers a reply that @mentions the account both as post.mention.create
// and as post.reply.create, and may deliver any event twice; each yields the
// same PlatformID, the post's id, so Parley stores the message once. The
// envelope's event_uuid differs between the two and is not a dedupe key.
func TestReceiveSamePostTwoEvents(t *testing.T) {
	a := quietAdapter()
	mention := readTestdata(t, "xaa_post_mention_create.json")
	asReply := bytes.Replace(mention, []byte(`"event_type": "post.mention.create"`), []byte(`"event_type": "post.reply.create"`), 1)
	asReply = bytes.Replace(asReply, []byte(`"event_uuid": "2080765813578191303"`), []byte(`"event_uuid": "-1"`), 1)
	if bytes.Count(asReply, []byte("post.reply.create")) != 1 || bytes.Contains(asReply, []byte(`"event_uuid": "2080765813578191303"`)) {
		t.Fatal("the fixture no longer has the shape this test rewrites")
	}
	var ids []string
	for _, body := range [][]byte{mention, asReply, mention} {
		evs, err := a.Receive(signed(body), body, webhookInbox(), testNow)
		if err != nil || len(evs) != 1 {
			t.Fatalf("Receive = %d events, %v", len(evs), err)
		}
		ids = append(ids, evs[0].Inbound.PlatformID)
	}
	if want := []string{"2080765813578191303", "2080765813578191303", "2080765813578191303"}; !cmp.Equal(ids, want) {
		t.Errorf("PlatformIDs = %v, want %v", ids, want)
	}
}
