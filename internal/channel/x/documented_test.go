package x

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// The answers documented for the endpoints Parley calls parse as intended.
func TestDocumentedResponses(t *testing.T) {
	if got := createdID(readTestdata(t, "v2_post_create_response_DOC.json"), true); got != "1445880548472328192" {
		t.Errorf("createdID(post) = %q", got)
	}
	if got := createdID([]byte(`{"data":{"dm_conversation_id":"1582103724607971328","dm_event_id":"1582103724607971332"}}`), false); got != "1582103724607971332" {
		t.Errorf("createdID(DM) = %q", got)
	}

	mentions := readTestdata(t, "v2_mentions_timeline_response_DOC.json")
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		if r.Header.Get("Authorization") != "Bearer user-token" {
			w.WriteHeader(401)
			return
		}
		if strings.HasSuffix(r.URL.Path, "/mentions") {
			w.Write(mentions)
			return
		}
		w.Write([]byte(`{"meta":{"result_count":0}}`))
	}))
	defer srv.Close()
	a := quietAdapter()
	in := care.Inbox{ID: 3, Channel: care.ChannelX, ExternalID: "2244994945",
		Credentials: map[string]string{CredAccessToken: "user-token", CredAPIBase: srv.URL, CredMode: ModePoll}}
	evs, cursor, err := a.Poll(context.Background(), in, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	want := care.Inbound{Kind: care.KindMessage, Channel: care.ChannelX, PlatformID: "1301573587187331074", Visibility: care.Public,
		Text: "Hey @XDevelopers, love the new API!", SentAt: time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC),
		Author: care.Author{PlatformUserID: "1234567890", DisplayName: "Dev Person", Handle: "developer"},
		// public_metrics: 5 reposts, 2 replies, 42 likes, 1 quote.
		Engagement: 50, Charge: ChargePostRead}
	if diff := cmp.Diff(want, evs[0].Inbound); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
	if evs[0].Account != "2244994945" {
		t.Errorf("Account = %q", evs[0].Account)
	}
	// The first poll takes the newest page only, next_token or not.
	if want := `{"m":{"n":"1301573587187331074"},"d":{"n":"0"}}`; cursor != want {
		t.Errorf("cursor = %s, want %s", cursor, want)
	}
	if want := []string{"/2/users/2244994945/mentions", "/2/dm_events"}; !cmp.Equal(paths, want) {
		t.Errorf("paths = %v, want %v", paths, want)
	}
}

// A page of mentions as X may return it: a repost (its "RT @…" text
// mentions the account) is skipped; an edited post without created_at or
// public_metrics keeps its earlier version as a reference and its photo,
// not the media key X did not include; the cursor moves past all three.
func TestPollMentionsMixed(t *testing.T) {
	evs, cursor, err := pollMentionsPage(t, "v2_mentions_timeline_mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	var got []care.Inbound
	for _, ev := range evs {
		got = append(got, ev.Inbound)
	}
	want := []care.Inbound{
		{Kind: care.KindMessage, Channel: care.ChannelX, PlatformID: "1301573587187331074", Visibility: care.Public,
			Text: "Hey @XDevelopers, love the new API!", SentAt: time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC),
			Author:     care.Author{PlatformUserID: "1234567890", DisplayName: "Dev Person", Handle: "developer"},
			Engagement: 50, Charge: ChargePostRead},
		{Kind: care.KindMessage, Channel: care.ChannelX, PlatformID: "2090000000000000002", Visibility: care.Public,
			References: []string{"2090000000000000001"},
			Text:       "@XDevelopers the new docs say one thing & the API does another", SentAt: testNow,
			Attachments: []care.Attachment{{Kind: "image", URL: "https://pbs.twimg.com/media/GxYz0AbCdEfGhIj.jpg"}},
			Author:      care.Author{PlatformUserID: "3333333333333333333", DisplayName: "Third User", Handle: "ThirdUser", Followers: 12, Verified: true},
			Charge:      ChargePostRead},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if want := `{"m":{"n":"2090000000000000003"},"d":{"n":"0"}}`; cursor != want {
		t.Errorf("cursor = %s, want %s", cursor, want)
	}
}

// X answers some failed reads with a 200 whose body holds only "errors";
// beside data, errors are partial and the data is kept.
func TestPollRefusedIn200(t *testing.T) {
	tests := []struct {
		file       string
		wantErr    string // in the reason; "" for no error
		wantEvents int
	}{
		{"v2_mentions_user_not_found_CONSTRUCTED.json", "X does not find the inbox's account", 0},
		{"v2_mentions_partial_errors_CONSTRUCTED.json", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			evs, _, err := pollMentionsPage(t, tt.file)
			if len(evs) != tt.wantEvents {
				t.Errorf("Poll = %d events, want %d", len(evs), tt.wantEvents)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("Poll: %v", err)
				}
				return
			}
			var se *channel.SendError
			if !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, tt.wantErr) || !strings.Contains(se.Reason, "Could not find user") {
				t.Fatalf("Poll error = %#v, want a permanent refusal saying %q", err, tt.wantErr)
			}
		})
	}
}

// pollMentionsPage polls a first time from an X whose mentions answer is
// the testdata file and whose DMs are empty.
func pollMentionsPage(t *testing.T, file string) ([]channel.Event, string, error) {
	t.Helper()
	mentions := readTestdata(t, file)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/mentions") {
			w.Write(mentions)
			return
		}
		w.Write([]byte(`{"meta":{"result_count":0}}`))
	}))
	t.Cleanup(srv.Close)
	in := care.Inbox{ID: 3, Channel: care.ChannelX, ExternalID: "2244994945",
		Credentials: map[string]string{CredAccessToken: "user-token", CredAPIBase: srv.URL, CredMode: ModePoll}}
	return quietAdapter().Poll(context.Background(), in, "")
}
