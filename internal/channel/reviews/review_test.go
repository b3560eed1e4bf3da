package reviews

import (
	"encoding/json"
	"fmt"
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

// goldenReview is what the golden files show of one review of a page: the
// events it makes as a new review (its message, its edit when it was
// edited, its reply's echo), or that it was skipped.
type goldenReview struct {
	Index   int            `json:"index"`
	Skipped bool           `json:"skipped,omitempty"`
	Events  []care.Inbound `json:"events,omitempty"`
}

type goldenPage struct {
	Reviews       []goldenReview `json:"reviews"`
	NextPageToken string         `json:"next_page_token,omitempty"`
}

// checkEvent fails unless ev passes the core's validation and carries its
// review's bytes.
func checkEvent(t interface {
	Helper()
	Errorf(format string, args ...any)
}, ev channel.Event) {
	t.Helper()
	in := ev.Inbound
	in.InboxID = 7
	if err := in.Validate(); err != nil {
		t.Errorf("event %+v: %v", ev.Inbound, err)
	}
	if in.Channel != care.ChannelReviews || !json.Valid(ev.Raw) {
		t.Errorf("event %s: channel %q, raw %q", in.PlatformID, in.Channel, ev.Raw)
	}
}

// allEvents is every event a review can make.
func allEvents(r *review) []channel.Event {
	evs := []channel.Event{r.message()}
	if !r.updated.Equal(r.created) {
		evs = append(evs, r.edit())
	}
	if e, ok := r.echo(); ok {
		evs = append(evs, e)
	}
	return evs
}

// TestParseGolden maps every page in testdata/reviews and compares the
// events with testdata/golden (go test -update rewrites them).
func TestParseGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/reviews/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no pages in testdata/reviews: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var page listJSON
			if err := json.Unmarshal(body, &page); err != nil {
				t.Fatalf("page: %v", err)
			}
			got := goldenPage{NextPageToken: page.NextPageToken}
			for i, raw := range page.Reviews {
				r, err := parseReview(testLocation, raw)
				if err != nil {
					got.Reviews = append(got.Reviews, goldenReview{Index: i, Skipped: true})
					continue
				}
				g := goldenReview{Index: i}
				for _, ev := range allEvents(&r) {
					checkEvent(t, ev)
					g.Events = append(g.Events, ev.Inbound)
				}
				got.Reviews = append(got.Reviews, g)
			}
			path := filepath.Join("testdata/golden", name)
			if *updateGolden {
				b, _ := json.MarshalIndent(got, "", "  ")
				if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			var want goldenPage
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStars(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5,
		"STAR_RATING_UNSPECIFIED": 0, "": 0, "five": 0, "SIX": 0} {
		if got := stars(in); got != want {
			t.Errorf("stars(%q) = %d, want %d", in, got, want)
		}
	}
	for n, want := range map[int]string{0: "", 1: "★☆☆☆☆", 2: "★★☆☆☆", 5: "★★★★★", 6: "", -1: ""} {
		if got := starLine(n); got != want {
			t.Errorf("starLine(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestOriginal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "Great food", "Great food"},
		{"translated", "(Translated by Google) Ok\n\n(Original)\nОк", "Ок"},
		{"paragraphs kept", "(Translated by Google) A.\n\nB.\n\n(Original)\nА.\n\nБ.", "А.\n\nБ."},
		{"first marker is the boundary", "(Translated by Google) x\n\n(Original)\ny (Original) z", "y (Original) z"},
		{"leading space", "  \n(Translated by Google) x\n\n(Original)\ny", "y"},
		{"prefix mid-text is the customer's", "I wrote (Translated by Google) myself\n\n(Original)\nno", "I wrote (Translated by Google) myself\n\n(Original)\nno"},
		{"no original kept whole", "(Translated by Google) only a translation", "(Translated by Google) only a translation"},
		{"empty original kept whole", "(Translated by Google) x\n\n(Original)\n  ", "(Translated by Google) x\n\n(Original)\n  "},
	} {
		if got := original(tc.in); got != tc.want {
			t.Errorf("%s: original(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// TestAuthor: an anonymous reviewer is one identity per review, a named
// one with a photo the same across reviews and photo sizes, a named one
// without a photo one per review.
func TestAuthor(t *testing.T) {
	t.Parallel()
	const photo = "https://lh3.googleusercontent.com/a-/ALV-UjXjane=s120-c-rp-mo-br100"
	anon1, anon2 := author("r1", "A Google User", "", true), author("r2", "A Google User", "", true)
	if anon1.PlatformUserID != "anonymous:r1" || anon1.PlatformUserID == anon2.PlatformUserID || anon1.DisplayName != "A Google User" {
		t.Errorf("anonymous = %+v, %+v", anon1, anon2)
	}
	if a := author("r3", "", "", true); a.DisplayName != anonymousName {
		t.Errorf("anonymous without a name = %+v", a)
	}
	jane1 := author("r1", "Jane Doe", photo, false)
	jane2 := author("r9", " Jane   Doe ", "https://lh3.googleusercontent.com/a-/ALV-UjXjane=s40", false)
	if !strings.HasPrefix(jane1.PlatformUserID, "reviewer:") || jane1 != jane2 || jane1.DisplayName != "Jane Doe" {
		t.Errorf("named = %+v, %+v; want one identity", jane1, jane2)
	}
	if other := author("r1", "Jane Doe", "https://lh3.googleusercontent.com/a-/ALV-UjXother=s120", false); other.PlatformUserID == jane1.PlatformUserID {
		t.Error("two photos gave one identity")
	}
	if a := author("r4", "John Smith", "", false); a.PlatformUserID != "review:r4" {
		t.Errorf("named without a photo = %+v, want one identity per review", a)
	}
	if a := author("r5", "Eve", "javascript:alert(1)", false); a.PlatformUserID != "review:r5" {
		t.Errorf("named with a bad photo address = %+v", a)
	}
}

func TestParseID(t *testing.T) {
	t.Parallel()
	name := testLocation + "/reviews/AbFvOqm"
	at := time.Date(2026, 11, 24, 9, 0, 0, 500, time.UTC)
	for _, tc := range []struct {
		id   string
		kind idKind
		hash string
		ok   bool
	}{
		{name, idReview, "", true},
		{editID(name, at), idEdit, "", true},
		{ReplyID(name, "Thanks!"), idReply, replyHash("Thanks!"), true},
		{name + "@yesterday", 0, "", false},
		{name + "/reply/XYZ", 0, "", false},
		{name + "/reply/0123456789ab/x", 0, "", false},
		{"accounts/1/locations/2/reviews/AbFvOqm", 0, "", false},
		{testLocation + "/reviews/../x", 0, "", false},
		{testLocation + "/reviews/", 0, "", false},
		{"", 0, "", false},
		{"t1_abc", 0, "", false},
	} {
		gotName, kind, hash, ok := parseID(testLocation, tc.id)
		if ok != tc.ok || kind != tc.kind || hash != tc.hash || ok && gotName != name {
			t.Errorf("parseID(%q) = %q, %v, %q, %v; want %v, %q, %v", tc.id, gotName, kind, hash, ok, tc.kind, tc.hash, tc.ok)
		}
	}
	if replyHash(" Thanks!\r\n") != replyHash("Thanks!") || replyHash("Thanks") == replyHash("Thanks!") {
		t.Error("replyHash does not compare replies as Google stores them")
	}
}

// TestMessageIDsFit: the longest name a review may have still gives ids
// within the core's bound.
func TestMessageIDsFit(t *testing.T) {
	t.Parallel()
	name := testLocation + "/reviews/" + strings.Repeat("A", maxNameBytes-len(testLocation)-len("/reviews/"))
	if !reviewName(testLocation, name) || reviewName(testLocation, name+"A") {
		t.Fatalf("reviewName does not bound names at %d bytes", maxNameBytes)
	}
	at := time.Date(2026, 11, 24, 9, 0, 0, 123456789, time.FixedZone("x", 3600))
	for _, id := range []string{name, editID(name, at), ReplyID(name, "x")} {
		if len(id) > care.MaxPlatformIDBytes {
			t.Errorf("id %q is %d bytes", id, len(id))
		}
	}
}

func TestDropFormat(t *testing.T) {
	t.Parallel()
	const scotland = "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"
	tests := []struct{ in, want string }{
		{"Ana\u202Eevil", "Anaevil"},
		{"zero\u200Bwidth\uFEFF", "zerowidth"},
		{"family 👨\u200D👩\u200D👧", "family 👨\u200D👩\u200D👧"},
		{"Fiona " + scotland, "Fiona " + scotland},
	}
	for _, tt := range tests {
		if got := dropFormat(tt.in); got != tt.want {
			t.Errorf("dropFormat(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestMedia spells out the attachments of the reviews of
// testdata/reviews/media_CONSTRUCTED.json: photos by their thumbnailUrl, a
// video by its videoUrl, at most maxMedia, each once, and nothing of what
// is not a plain https URL.
func TestMedia(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/reviews/media_CONSTRUCTED.json")
	if err != nil {
		t.Fatal(err)
	}
	var page listJSON
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	const p = "https://lh3.googleusercontent.com/geougc-cs/AMBA38t"
	img := func(s string) care.Attachment { return care.Attachment{Kind: "image", URL: p + s + "=w600-h450-p"} }
	var terrace []care.Attachment
	for n := 1; n <= maxMedia; n++ {
		terrace = append(terrace, img(fmt.Sprintf("Terrace%02d", n)))
	}
	want := [][]care.Attachment{
		{img("PizzaCold1"), img("TableSticky2")},
		{{Kind: "video", URL: "https://lh3.googleusercontent.com/ggs/AF1QipDoorVideo3=m18"}, img("OpeningHours4")},
		{img("Fallback5"), img("Twice6")},
		terrace,
		nil,
		{img("Dessert7")},
	}
	if len(page.Reviews) != len(want) {
		t.Fatalf("%d reviews, want %d", len(page.Reviews), len(want))
	}
	for i, raw := range page.Reviews {
		r, err := parseReview(testLocation, raw)
		if err != nil {
			t.Errorf("review %d: %v", i, err)
			continue
		}
		for _, ev := range allEvents(&r) {
			var w []care.Attachment
			if ev.Inbound.Kind == care.KindMessage {
				w = want[i]
			}
			if got := ev.Inbound.Attachments; !cmp.Equal(got, w, cmpopts.EquateEmpty()) {
				t.Errorf("review %d, %s %s: attachments %+v, want %+v", i, ev.Inbound.Kind, ev.Inbound.PlatformID, got, w)
			}
		}
	}
}

func TestMediaURL(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"https://lh3.googleusercontent.com/p/AF1Qip=w600-h450-p":                     true,
		"https://lh3.googleusercontent.com/p/a%20b?x=1#f":                            true,
		"http://lh3.googleusercontent.com/p/plain":                                   false,
		"javascript:alert(1)":                                                        false,
		"https://user:pw@evil.example/x.jpg":                                         false,
		"https:///no-host":                                                           false,
		"//lh3.googleusercontent.com/no-scheme":                                      false,
		"https://lh3.googleusercontent.com/has space":                                false,
		"https://lh3.googleusercontent.com/a\"onerror=b":                             false,
		"https://lh3.googleusercontent.com/a<b>":                                     false,
		"https://lh3.googleusercontent.com/ok\u202egpj.exe":                          false,
		"https://lh3.googleusercontent.com/nul\x00":                                  false,
		"https://lh3.googleusercontent.com/\n":                                       false,
		"https://lh3.googleusercontent.com/" + strings.Repeat("x", maxMediaURLBytes): false,
		"": false,
	} {
		if got := mediaURL(s); got != want {
			t.Errorf("mediaURL(%q) = %v, want %v", s, got, want)
		}
	}
}
