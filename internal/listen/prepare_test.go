package listen_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/listen"
)

func TestPrepare(t *testing.T) {
	st, err := listen.ParseSettings([]byte(`{"subjects":[{"name":"Acme","own":true,"terms":["acme"]},{"name":"Rival","terms":["rival"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	m := listen.NewMatcher(st.Subjects)
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	post := func(id, text string) care.ListenPost {
		return care.ListenPost{PlatformID: id, Text: text, PostedAt: now.Add(-time.Hour), URL: "https://x.example/" + id,
			Author: care.Author{PlatformUserID: "u-" + id, Followers: 5}}
	}
	in := []care.ListenPost{
		post("angry", "Acme lost my bag, awful"),
		post("both", "acme or rival?"),
		post("none", "nothing about anyone"),
		post("", "acme without an id"),
		post("own", "Acme news from Acme"),
		post("future", "acme from the future"),
		post("link", "acme with a script link"),
		post("nul", "acme\x00"),
		post("negative", "acme fans"),
	}
	in[4].Author.PlatformUserID = "brand"
	in[5].PostedAt = now.Add(time.Hour)
	in[6].URL = "javascript:alert(1)"
	in[8].Author.Followers = -3
	got := listen.Prepare(in, m, listen.Origin{WorkspaceID: 7, InboxID: 9, Source: care.ChannelX, OwnID: "brand"}, now)

	var ids []string
	for _, p := range got {
		ids = append(ids, p.PlatformID+":"+strings.Join(p.Subjects, "+"))
		if p.WorkspaceID != 7 || p.InboxID != 9 || p.Source != care.ChannelX || !p.FoundAt.Equal(now) || p.PostedAt.After(now) || p.Author.Followers < 0 {
			t.Errorf("%s stamped %+v", p.PlatformID, p)
		}
	}
	if want := "angry:Acme both:Acme+Rival future:Acme link:Acme negative:Acme"; strings.Join(ids, " ") != want {
		t.Errorf("kept %q, want %q", strings.Join(ids, " "), want)
	}
	if got[0].Sentiment >= 0 {
		t.Errorf("an angry post has sentiment %v", got[0].Sentiment)
	}
	if got[3].URL != "" {
		t.Errorf("a javascript: link was kept: %q", got[3].URL)
	}
	if in[0].WorkspaceID != 0 || in[0].Subjects != nil || in[8].Author.Followers != -3 {
		t.Error("Prepare changed its input")
	}
}

// TestPrepareNames checks that what is kept follows the matching of names
// written with punctuation, Arabic and Hebrew prefixes and marks, and
// invisible characters.
func TestPrepareNames(t *testing.T) {
	t.Parallel()
	st, err := listen.ParseSettings([]byte(`{"subjects":[{"name":"AT&T","terms":["at&t"]},{"name":"Zain","terms":["زين"]},{"name":"Parley","terms":["parley"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	m := listen.NewMatcher(st.Subjects)
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	var in []care.ListenPost
	for i, text := range []string{
		"see you at T-Mobile Arena",
		"AT & T dropped my call",
		"وَبِزَيْن",
		"بزينة",
		"Par\u200bley",
	} {
		in = append(in, care.ListenPost{PlatformID: strconv.Itoa(i), Text: text, PostedAt: now.Add(-time.Hour)})
	}
	var got []string
	for _, p := range listen.Prepare(in, m, listen.Origin{WorkspaceID: 1, Source: care.ChannelX}, now) {
		got = append(got, p.PlatformID+":"+strings.Join(p.Subjects, "+"))
	}
	if want := "1:AT&T 2:Zain 4:Parley"; strings.Join(got, " ") != want {
		t.Errorf("kept %q, want %q", strings.Join(got, " "), want)
	}
}
