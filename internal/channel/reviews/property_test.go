package reviews

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/reviews/gbpfake"
)

// TestPollProperty plays random histories of a location (reviews written,
// some published hours late; edits; replies made and deleted in Google's
// tools; time passing; polls at random) within the two days a deep walk
// covers, and checks that once a deep poll has run, what the events say
// of every review is what Google shows: its latest text, and its current
// reply or none. No review or edit is ever reported twice.
func TestPollProperty(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		f := gbpfake.New()
		clk := &clock{t: testNow}
		f.Now = clk.Now
		srv := httptest.NewServer(f.Handler())
		defer srv.Close()
		a := &Adapter{Client: srv.Client(), Now: clk.Now, Logger: slog.New(slog.DiscardHandler)}
		in := care.Inbox{ID: 1, Channel: care.ChannelReviews, ExternalID: f.Location,
			Credentials: map[string]string{CredClientID: f.ClientID, CredClientSecret: f.ClientSecret,
				CredRefreshToken: f.RefreshToken, CredAPIBase: srv.URL, CredTokenURL: srv.URL + "/token"}}
		var events []channel.Event
		cursor := ""
		poll := func() {
			evs, next, err := a.Poll(context.Background(), in, cursor)
			if err != nil {
				t.Fatalf("Poll: %v", err)
			}
			for _, ev := range evs {
				checkEvent(t, ev)
			}
			events, cursor = append(events, evs...), next
		}
		poll()
		reviewers := []gbpfake.Reviewer{jane, sam, anon, {Name: "Kim"}}
		comments := []string{"", "ok", "slow service", "great food"}
		replies := []string{"Thanks!", "Sorry!", "We fixed it"}
		var names []string
		pick := func() (string, bool) {
			if len(names) == 0 {
				return "", false
			}
			return names[rapid.IntRange(0, len(names)-1).Draw(t, "review")], true
		}
		for range rapid.IntRange(1, 30).Draw(t, "steps") {
			switch rapid.IntRange(0, 5).Draw(t, "action") {
			case 0:
				r := gbpfake.ReviewInput{Reviewer: rapid.SampledFrom(reviewers).Draw(t, "reviewer"),
					Stars: rapid.IntRange(0, 5).Draw(t, "stars"), Comment: rapid.SampledFrom(comments).Draw(t, "comment")}
				if rapid.IntRange(0, 3).Draw(t, "late") == 0 {
					r.At = clk.Now().Add(-time.Duration(rapid.IntRange(1, 6*60).Draw(t, "late minutes")) * time.Minute)
				}
				names = append(names, f.Review(r))
			case 1:
				if n, ok := pick(); ok {
					clk.Add(time.Second)
					_ = f.Edit(n, rapid.IntRange(0, 5).Draw(t, "stars"), rapid.SampledFrom(comments).Draw(t, "comment"))
				}
			case 2:
				if n, ok := pick(); ok {
					_ = f.OwnerReply(n, rapid.SampledFrom(replies).Draw(t, "reply"))
				}
			case 3:
				if n, ok := pick(); ok {
					f.DeleteOwnerReply(n)
				}
			case 4:
				clk.Add(time.Duration(rapid.IntRange(1, 3600).Draw(t, "seconds")) * time.Second)
			case 5:
				poll()
			}
		}
		clk.Add(2 * time.Hour)
		poll()
		poll()

		// What the events say of each review, in the order they came.
		text, shown := map[string]string{}, map[string]string{}
		reported := map[string]bool{}
		for _, ev := range events {
			in := ev.Inbound
			name, kind, _, ok := parseID(f.Location, in.PlatformID)
			if !ok {
				t.Fatalf("event id %q is not a review's", in.PlatformID)
			}
			switch {
			case kind == idReply && in.Kind == care.KindEcho:
				shown[name] = in.PlatformID
			case kind == idReply && in.Kind == care.KindDelete:
				if shown[name] == in.PlatformID {
					shown[name] = ""
				}
			default:
				if reported[in.PlatformID] {
					t.Fatalf("%s reported twice", in.PlatformID)
				}
				reported[in.PlatformID] = true
				text[name] = in.Text
			}
		}
		for _, r := range f.Reviews() {
			want := (&review{rating: r.Stars, comment: strings.TrimSpace(channel.CleanText(r.Comment, care.MaxTextBytes))}).text()
			if got := text[r.Name]; got != want && got != editedPrefix+want {
				t.Fatalf("review %s shows %q, want %q", r.Name, got, want)
			}
			wantReply := ""
			if r.Reply != "" {
				wantReply = ReplyID(r.Name, r.Reply)
			}
			if shown[r.Name] != wantReply {
				t.Fatalf("review %s shows reply %q, want %q", r.Name, shown[r.Name], wantReply)
			}
		}
	})
}
