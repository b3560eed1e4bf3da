package bluesky_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/bluesky/bskyfake"
	"github.com/parleyhq/parley/internal/listen"
)

// TestListeningEndToEnd listens on the fake Bluesky through the poll
// runner: the workspace's subjects are searched with the inbox's account,
// what others say about them is stored once with its tone, the brand's
// own posts are not, and a later round brings only what is new.
func TestListeningEndToEnd(t *testing.T) {
	p := newParley(t)
	if err := p.store.SetSetting(p.ctx, p.inbox.WorkspaceID, listen.SettingName, []byte(`{"subjects":[
		{"name":"Acme","own":true,"terms":["acme"]},
		{"name":"Rival","terms":["rival"],"exclude":["rival sons"]}]}`), p.clock.Now()); err != nil {
		t.Fatal(err)
	}
	p.publish(ana, bskyfake.PostInput{Text: "Acme lost my parcel again, awful service"})
	p.publish(ben, bskyfake.PostInput{Text: "Rival delivered in a day, love it"})
	p.publish(ben, bskyfake.PostInput{Text: "Rival Sons played a great set"}) // the band, not the brand
	p.publish(brand, bskyfake.PostInput{Text: "Acme news: parcels are faster now"})
	p.publish(ana, bskyfake.PostInput{Text: "nothing about anyone"})
	p.clock.Add(5 * time.Minute)

	search := func() {
		t.Helper()
		wait, err := p.runner.SearchOnce(p.ctx, p.inbox.ID)
		if err != nil || wait != 2*time.Minute {
			t.Fatalf("SearchOnce = %v, %v; want Bluesky's 2-minute interval", wait, err)
		}
	}
	found := func() []string {
		t.Helper()
		posts, err := p.store.ListenPosts(p.ctx, p.inbox.WorkspaceID, care.ListenFilter{
			From: p.clock.Now().Add(-24 * time.Hour), To: p.clock.Now().Add(time.Hour), Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, fp := range posts {
			if fp.Source != care.ChannelBluesky || fp.InboxID != p.inbox.ID || !strings.HasPrefix(fp.URL, "https://bsky.app/profile/") {
				t.Errorf("found post %+v", fp)
			}
			out = append(out, fmt.Sprintf("%s %s %s", fp.Author.Handle, strings.Join(fp.Subjects, "+"), listen.Label(fp.Sentiment)))
		}
		slices.Sort(out)
		return out
	}

	search()
	want := []string{"@ana.bsky.social Acme negative", "@ben.example.net Rival positive"}
	if got := found(); !slices.Equal(got, want) {
		t.Fatalf("found %q, want %q", got, want)
	}

	// The next round: only what is new, and a post found by both
	// subjects' searches is stored once.
	p.publish(ben, bskyfake.PostInput{Text: "acme or rival, who is faster?"})
	p.clock.Add(5 * time.Minute)
	search()
	want = append(want, "@ben.example.net Acme+Rival neutral")
	slices.Sort(want)
	if got := found(); !slices.Equal(got, want) {
		t.Fatalf("after a second round found %q, want %q", got, want)
	}
	search()
	if got := found(); len(got) != len(want) {
		t.Errorf("a third round with nothing new found %q", got)
	}

	// What the report makes of it.
	now := p.clock.Now()
	points, err := p.store.ListenPoints(p.ctx, p.inbox.WorkspaceID, now.Add(-24*time.Hour), now.Add(time.Hour), 1000)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := listen.ParseSettings([]byte(`{"subjects":[{"name":"Acme","own":true,"terms":["acme"]},{"name":"Rival","terms":["rival"]}]}`))
	rep := listen.Summarize(points, st.Subjects, now.Add(-24*time.Hour), now.Add(time.Hour), listen.Hour, time.UTC)
	if rep.Total != 3 || rep.Subjects[0].Posts != 2 || rep.Subjects[1].Posts != 2 || rep.Subjects[0].Share != 0.5 || rep.Subjects[0].Negative != 1 {
		t.Errorf("report: total %d, subjects %+v", rep.Total, rep.Subjects)
	}
}
