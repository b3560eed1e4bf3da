package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/listen"
	"github.com/parleyhq/parley/internal/web"
	"github.com/parleyhq/parley/internal/web/webtest"
)

// listenSubjects is a workspace listening for its own Acme and for
// Globex.
const listenSubjects = `{"subjects":[{"name":"Acme","own":true,"terms":["acme","#acme"]},{"name":"Globex","terms":["globex"]}]}`

// foundPost is a post listening found, as the tests store it.
type foundPost struct {
	at        time.Time
	subjects  []string
	sentiment float64
	text, url string
	handle    string
	name      string
	followers int64
	source    care.Channel
}

// addFound stores found posts for the fixture's workspace through the
// store, as the searches do.
func (f *fixture) addFound(posts ...foundPost) {
	f.t.Helper()
	batch := make([]care.ListenPost, len(posts))
	for i, p := range posts {
		f.seq++
		src := p.source
		if src == "" {
			src = care.ChannelBluesky
		}
		batch[i] = care.ListenPost{WorkspaceID: f.ws.ID, InboxID: f.inbox.ID, Source: src, PlatformID: "post-" + strconv.Itoa(f.seq),
			URL: p.url, Author: care.Author{PlatformUserID: "u-" + p.handle, Handle: p.handle, DisplayName: p.name, Followers: p.followers},
			Text: p.text, PostedAt: p.at, FoundAt: p.at, Subjects: p.subjects, Sentiment: p.sentiment}
	}
	if _, err := f.store.AddListenPosts(context.Background(), batch); err != nil {
		f.t.Fatal(err)
	}
}

// day is a time of a November 2026 day, UTC.
func day(d, hour int) time.Time { return time.Date(2026, 11, d, hour, 0, 0, 0, time.UTC) }

var (
	sovRow    = regexp.MustCompile(`(?s)<tr class="(own)?">\s*<th scope="row"><bdi>([^<]*)</bdi>.*?</tr>`)
	sovWidth  = regexp.MustCompile(`<rect class="sov-fill" width="([^"]*)"`)
	sovCells  = regexp.MustCompile(`<td[^>]*>(.*?)</td>`)
	spikeLink = regexp.MustCompile(`<li(?: class="angry")?><a href="([^"]+)"><bdi>([^<]*)</bdi>, ([^<]*)</a>: (\d+) posts where about ([^ ]+) were expected · ([^ ]+) negative</li>`)
	foundItem = regexp.MustCompile(`<li class="found-post">`)
	olderHref = regexp.MustCompile(`<a class="button older" href="([^"]+)"`)
	postTimes = regexp.MustCompile(`<time datetime="([^"]+)"`)
	markup    = regexp.MustCompile(`<[^>]*>`)
	chartBars = regexp.MustCompile(`(?s)<figure class="volume( own)?">\s*<figcaption><bdi>([^<]*)</bdi>(.*?)</figure>`)
)

// sovRows reads the share-of-voice table: per subject whether it is own,
// its bar's width and its cells after the name.
func sovRows(t *testing.T, body string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, m := range sovRow.FindAllStringSubmatch(body, -1) {
		row := []string{m[1]}
		if w := sovWidth.FindStringSubmatch(m[0]); w != nil {
			row = append(row, w[1])
		}
		for _, c := range sovCells.FindAllStringSubmatch(m[0], -1) {
			row = append(row, html.UnescapeString(strings.TrimSpace(markup.ReplaceAllString(c[1], ""))))
		}
		out[m[2]] = row
	}
	return out
}

// TestListeningReport: a fortnight of posts about Acme and Globex, read
// on the page: share of voice, tone, reach, the volume charts, the spike
// and the posts it links to, and the CSV link.
func TestListeningReport(t *testing.T) {
	t.Parallel()
	f := newFixture(t) // now is Tuesday 24 November 2026, 10:00 UTC
	f.setting(listen.SettingName, listenSubjects)
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	var posts []foundPost
	// A quiet week and a half for Acme, one post a day, then on the 21st
	// twelve, eight of them angry: a spike.
	for d := 10; d <= 20; d++ {
		posts = append(posts, foundPost{at: day(d, 9), subjects: []string{"Acme"}, sentiment: 0.5, text: "Acme is lovely",
			handle: "fan" + strconv.Itoa(d), name: "Fan", followers: 100})
	}
	for i := range 12 {
		s := -0.7
		if i >= 8 {
			s = 0
		}
		posts = append(posts, foundPost{at: day(21, 8).Add(time.Duration(i) * time.Minute), subjects: []string{"Acme"}, sentiment: s,
			text: "Acme lost my parcel " + strconv.Itoa(i), handle: "angry" + strconv.Itoa(i), followers: 10})
	}
	// Globex: five, one about both.
	for d := 18; d <= 22; d++ {
		subjects := []string{"Globex"}
		if d == 22 {
			subjects = []string{"Acme", "Globex"}
		}
		posts = append(posts, foundPost{at: day(d, 12), subjects: subjects, sentiment: -0.3, text: "Globex or Acme?",
			handle: "g" + strconv.Itoa(d), followers: 1000, source: care.ChannelMastodon})
	}
	f.addFound(posts...)

	sup := f.loginAs(lee)
	const period = "from=2026-11-10&to=2026-11-23&tz=UTC&step=day"
	res, body := sup.get("/listening?" + period)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /listening = %d:\n%s", res.StatusCode, body)
	}
	for _, want := range []string{
		`<a class="listening-link" href="/listening"`,
		`<strong>Tue 10 Nov 2026 – Mon 23 Nov 2026</strong> (UTC) · by day · 28 posts · <a href="#subjects">Subjects</a>`,
		`value="2026-11-10"`, `value="2026-11-23"`, `<option value="day" selected>`,
		`<h2>Volume over time</h2>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the listening page lacks %s", want)
		}
	}

	// Acme: 24 posts (11 + 12 + the shared one) of 29 counted per
	// subject; Globex 5.
	rows := sovRows(t, body)
	for name, want := range map[string][]string{
		// own, bar width, posts, share, positive, neutral, negative, net, reach
		"Acme":   {"own", "82.76", "24", "82.8%", "11", "4", "9", "+8%", "2.2k"},
		"Globex": {"", "17.24", "5", "17.2%", "0", "0", "5", "−100%", "5k"},
	} {
		if got := rows[name]; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s's row = %q, want %q", name, got, want)
		}
	}

	// A chart per subject: Acme's is its own brand's, with a bar for each
	// day that had posts, negatives at their foot.
	charts := chartBars.FindAllStringSubmatch(body, -1)
	if len(charts) != 2 || charts[0][2] != "Acme" || charts[0][1] != " own" || charts[1][2] != "Globex" || charts[1][1] != "" {
		t.Fatalf("charts = %d, want Acme's (own) then Globex's", len(charts))
	}
	if n := strings.Count(charts[0][3], `<rect class="vol"`); n != 13 {
		t.Errorf("Acme's chart has %d bars, want 13 (the days with posts)", n)
	}
	if !strings.Contains(charts[0][3], `<title>Sat 21 Nov 2026: 12 posts, 8 negative, net −67%</title>`) ||
		!strings.Contains(charts[0][3], `class="vol-neg"`) || !strings.Contains(charts[0][3], `>Tue 10 Nov</text>`) {
		t.Errorf("Acme's chart lacks the 21st's figures, its negative part or its first label:\n%s", charts[0][3])
	}

	// The spike, linking to its posts.
	m := spikeLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no spike on the page:\n%s", body)
	}
	if m[2] != "Acme" || m[3] != "Sat 21 Nov 2026" || m[4] != "12" || m[5] != "1" || m[6] != "66.7%" || !strings.Contains(m[0], `class="angry"`) {
		t.Errorf("spike = %q, want Acme's 12 posts of the 21st where 1 was expected, 66.7%% negative, marked angry", m[1:])
	}
	link, err := url.Parse(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	if q := link.Query(); link.Path != "/listening" || q.Get("subject") != "Acme" || q.Get("bucket") != "2026-11-21T00:00:00Z" ||
		q.Get("from") != "2026-11-10" || q.Get("tz") != "UTC" || link.Fragment != "posts" {
		t.Errorf("the spike links to %s, want Acme's posts of the 21st in the same report", link)
	}
	_, spikeBody := sup.get(link.RequestURI())
	if n := len(foundItem.FindAllString(spikeBody, -1)); n != 12 || !strings.Contains(spikeBody, "Posts found · Sat 21 Nov 2026") ||
		!strings.Contains(spikeBody, "Show the whole period's posts") || strings.Contains(spikeBody, "Acme is lovely") {
		t.Errorf("the spike's link shows %d posts, want the 12 of the 21st only, labelled, with a way back", n)
	}

	// The posts: newest first, each with its source, author, time,
	// subjects and tone.
	times := postTimes.FindAllStringSubmatch(body, -1)
	if len(times) != 28 {
		t.Fatalf("the page lists %d posts, want 28", len(times))
	}
	for i := 1; i < len(times); i++ {
		if times[i-1][1] < times[i][1] {
			t.Fatalf("posts are not newest first: %s before %s", times[i-1][1], times[i][1])
		}
	}
	first := body[strings.Index(body, `<li class="found-post">`):]
	first = first[:strings.Index(first, "</li>")]
	for _, want := range []string{`<span class="ch ch-mastodon">Mastodon</span>`, `<bdi class="handle">@g22</bdi>`, `1k followers`,
		`datetime="2026-11-22T12:00:00Z"`, `<span class="tag"><bdi>Acme</bdi></span>`, `<span class="tag"><bdi>Globex</bdi></span>`,
		`<span class="badge sent-negative">negative</span>`, `Globex or Acme?`} {
		if !strings.Contains(first, want) {
			t.Errorf("the newest post lacks %s:\n%s", want, first)
		}
	}

	// Filters: Mastodon's posts, and Globex's.
	_, body2 := sup.get("/listening?" + period + "&source=mastodon")
	if n := len(foundItem.FindAllString(body2, -1)); n != 5 || !strings.Contains(body2, `<option value="mastodon" selected>`) {
		t.Errorf("source=mastodon lists %d posts, want 5 and the choice kept", n)
	}
	_, body2 = sup.get("/listening?" + period + "&subject=Globex")
	if n := len(foundItem.FindAllString(body2, -1)); n != 5 || !strings.Contains(body2, `<option value="Globex" selected>`) {
		t.Errorf("subject=Globex lists %d posts, want 5 and the choice kept", n)
	}
	_, body2 = sup.get("/listening?" + period + "&subject=Initech")
	if !strings.Contains(body2, "No posts match these filters.") || !strings.Contains(body2, `<option value="Initech" selected>`) {
		t.Error("a subject with no posts does not say so")
	}

	// The CSV link asks the API for the same report.
	csv := csvHref.FindStringSubmatch(body)
	if csv == nil {
		t.Fatal("no Download CSV link")
	}
	csvLink, _ := url.Parse(html.UnescapeString(csv[1]))
	want := url.Values{"from": {"2026-11-10"}, "to": {"2026-11-23"}, "tz": {"UTC"}, "step": {"day"}, "format": {"csv"}}
	if csvLink.Path != "/api/v1/listening/report" || csvLink.Query().Encode() != want.Encode() {
		t.Errorf("CSV link = %s, want /api/v1/listening/report?%s", csvLink, want.Encode())
	}
}

// TestListeningDefaults: without a period the page reports the last 30
// days, today included, and says so in its form.
func TestListeningDefaults(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setting(listen.SettingName, listenSubjects)
	f.addFound(foundPost{at: day(24, 9), subjects: []string{"Acme"}, text: "acme today", handle: "a"},
		foundPost{at: day(20, 9), subjects: []string{"Globex"}, text: "globex", handle: "b"})
	ada := f.user("ada@acme.test", "Ada Admin", care.RoleAdmin)
	admin := f.loginAs(ada)
	res, body := admin.get("/listening")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /listening = %d", res.StatusCode)
	}
	for _, want := range []string{`name="from" value="2026-10-26"`, `name="to" value="2026-11-24"`,
		`<strong>Mon 26 Oct 2026 – Tue 24 Nov 2026</strong> (UTC) · by day · 2 posts · <a href="#subjects">Subjects</a>`, "acme today"} {
		if !strings.Contains(body, want) {
			t.Errorf("the default report lacks %s", want)
		}
	}
	// In hours, in another zone: the buckets are labelled on its clock.
	_, body = admin.get("/listening?from=2026-11-24&to=2026-11-24&step=hour&tz=America/New_York")
	if !strings.Contains(body, `<title>Tue 24 Nov 04:00 EST: 1 post, 0 negative, net 0%</title>`) ||
		!strings.Contains(body, `(America/New_York) · by hour`) || !strings.Contains(body, `<option value="hour" selected>`) {
		t.Errorf("the hourly report is not on New York's clock:\n%s", body)
	}
}

// TestListeningEmpty: what the page says with no subject, with subjects
// but nothing found yet, and for a period with nothing.
func TestListeningEmpty(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	ada := f.user("ada@acme.test", "Ada Admin", care.RoleAdmin)
	sup, admin := f.loginAs(lee), f.loginAs(ada)

	_, body := sup.get("/listening")
	for _, want := range []string{"Listening is off: there is no subject yet.", "connected X, Bluesky, Mastodon and Reddit accounts",
		"An admin adds the subjects on this page.", "No posts found in this period."} {
		if !strings.Contains(body, want) {
			t.Errorf("a supervisor's page without subjects lacks %q", want)
		}
	}
	if strings.Contains(body, `class="subjects-form"`) || strings.Contains(body, "Volume over time") {
		t.Error("a supervisor is offered the subjects' form, or charts of nothing")
	}
	_, body = admin.get("/listening")
	if !strings.Contains(body, "Add the first subjects below.") || !strings.Contains(body, `name="name_0"`) ||
		strings.Index(body, `class="subjects-form"`) > strings.Index(body, `class="listen-form`) {
		t.Error("an admin without subjects is not offered the form first")
	}

	f.setting(listen.SettingName, listenSubjects)
	_, body = sup.get("/listening")
	if !strings.Contains(body, "Nothing found yet: the first posts appear after the next search") || strings.Contains(body, "Listening is off") {
		t.Errorf("subjects without posts do not say nothing was found yet:\n%s", body)
	}
	f.addFound(foundPost{at: day(1, 9), subjects: []string{"Acme"}, text: "old news", handle: "o"})
	_, body = sup.get("/listening?from=2026-11-10&to=2026-11-20")
	if !strings.Contains(body, "Nothing was found about the subjects in this period.") || !strings.Contains(body, "No posts found in this period.") ||
		strings.Contains(body, "Spikes") || strings.Contains(body, "old news") {
		t.Errorf("a period with nothing does not say so")
	}
	if rows := sovRows(t, body); rows["Acme"] == nil || rows["Acme"][2] != "0" || rows["Acme"][len(rows["Acme"])-2] != "–" {
		t.Errorf("an empty period's table = %q, want Acme with 0 posts and no net", rows["Acme"])
	}
}

// TestListeningHostile: a post's text, author and link are a stranger's:
// escaped, and linked only when the link is http(s).
func TestListeningHostile(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setting(listen.SettingName, listenSubjects)
	f.addFound(foundPost{at: day(23, 9), subjects: []string{"Acme"}, sentiment: -0.9,
		text:   `<script>alert("text")</script> acme <img src=x onerror=alert(1)> https://evil.example/"><b>x`,
		handle: `<b>h</b>`, name: `<script>alert("name")</script>`, url: `https://bsky.app/profile/x/post/1?a="><script>alert(2)</script>`})
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	_, body := f.loginAs(lee).get("/listening")
	for _, bad := range []string{"<script>alert(", "<img src=x", "<b>h</b>", `"><script>`, "<b>x"} {
		if strings.Contains(body, bad) {
			t.Errorf("the page holds %s unescaped", bad)
		}
	}
	for _, want := range []string{`&lt;script&gt;alert(&#34;text&#34;)&lt;/script&gt; acme &lt;img src=x onerror=alert(1)&gt;`,
		`&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;`, `rel="noopener noreferrer nofollow" target="_blank">Open on Bluesky</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}

	// A link that is not http(s) never becomes one, even from a store
	// that kept it.
	for _, u := range []string{"https://bsky.app/ok", "javascript:alert(1)", "JavaScript://%0aalert(1)", "data:text/html,x", "//evil.example/x"} {
		srv := hostileLinks(t, f, u)
		c := f.loginAs(lee)
		c.base = srv.URL // the session is the store's, the cookie the host's
		res, body := c.get("/listening")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `<li class="found-post">`) {
			t.Fatalf("GET /listening with a post linking to %q = %d, want the post", u, res.StatusCode)
		}
		if strings.HasPrefix(u, "https:") {
			// The store's link is the one shown.
			if !strings.Contains(body, `href="`+u+`" rel="noopener noreferrer nofollow" target="_blank">Open on Bluesky</a>`) {
				t.Errorf("the post's link %q is not on the page", u)
			}
			continue
		}
		if strings.Contains(body, "Open on") || strings.Contains(strings.ToLower(body), "javascript:") || strings.Contains(body, "data:text") ||
			strings.Contains(body, `href="//evil.example`) {
			t.Errorf("the post's link %q is on the page:\n%s", u, body[strings.Index(body, `<li class="found-post">`):])
		}
	}
}

// linkStore answers found posts with a link of its choice.
type linkStore struct {
	care.Store
	url string
}

func (s linkStore) ListenPosts(ctx context.Context, ws care.ID, f care.ListenFilter) ([]care.ListenPost, error) {
	posts, err := s.Store.ListenPosts(ctx, ws, f)
	for i := range posts {
		posts[i].URL = s.url
	}
	return posts, err
}

// hostileLinks serves the fixture's interface over a store whose posts
// link to u; the fixture's sessions work on it.
func hostileLinks(t *testing.T, f *fixture, u string) *httptest.Server {
	t.Helper()
	st := linkStore{Store: f.store, url: u}
	now := func() time.Time { return f.now }
	h := &web.Handler{Store: st, Desk: &desk.Service{Store: st, Now: now}, Now: now, Location: time.UTC,
		API: &api.Server{Store: st, Now: now, SessionTTL: fixtureSessionTTL, Settings: fixtureSettings}}
	mux := http.NewServeMux()
	h.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestListeningPaging: posts come a page at a time, older ones behind a
// link, and the link's page follows on without a gap or a repeat.
func TestListeningPaging(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setting(listen.SettingName, listenSubjects)
	var posts []foundPost
	for i := range 63 {
		posts = append(posts, foundPost{at: day(23, 0).Add(time.Duration(i) * time.Minute), subjects: []string{"Acme"},
			text: "acme post " + strconv.Itoa(i) + ".", handle: "p" + strconv.Itoa(i)})
	}
	f.addFound(posts...)
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	sup := f.loginAs(lee)
	seen := map[string]bool{}
	page := "/listening?from=2026-11-20&to=2026-11-23"
	for n, want := range []int{50, 13} {
		res, body := sup.get(page)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", page, res.StatusCode)
		}
		items := regexp.MustCompile(`acme post (\d+)\.`).FindAllStringSubmatch(body, -1)
		if len(items) != want {
			t.Fatalf("page %d lists %d posts, want %d", n+1, len(items), want)
		}
		for _, it := range items {
			if seen[it[1]] {
				t.Errorf("post %s is on two pages", it[1])
			}
			seen[it[1]] = true
		}
		m := olderHref.FindStringSubmatch(body)
		if n == 1 {
			if m != nil || !strings.Contains(body, `>Newest</a>`) {
				t.Error("the last page offers older posts, or no way back to the newest")
			}
			break
		}
		if m == nil {
			t.Fatal("the first page has no link to older posts")
		}
		page = html.UnescapeString(m[1])
		if !strings.Contains(page, "from=2026-11-20") || !strings.Contains(page, "cursor=") {
			t.Errorf("the older link %s loses the period or has no cursor", page)
		}
	}
	if len(seen) != 63 {
		t.Errorf("the pages show %d posts, want 63", len(seen))
	}
	res, body := sup.get("/listening?from=2026-11-20&to=2026-11-23&cursor=nonsense")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "cursor is not one this API gave") ||
		!strings.Contains(body, "sov-table") {
		t.Errorf("a broken cursor = %d, want 400 said in the posts' section under the report", res.StatusCode)
	}
}

// TestListeningMistakes: a period or zone the report cannot take comes
// back above the form, as typed, with no report.
func TestListeningMistakes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setting(listen.SettingName, listenSubjects)
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	sup := f.loginAs(lee)
	for _, tc := range []struct {
		query, msg, kept string
	}{
		{"from=yesterday", "from must be a date such as 2026-11-01", `value="yesterday"`},
		{"from=2026-11-20&to=2026-11-10", "from must be before to", `value="2026-11-20"`},
		{"tz=Mars/Olympus", "Unknown time zone", `value="Mars/Olympus"`},
		{"step=week", "step must be day or hour", `name="from" value="2026-10-26"`},
		{"from=2026-01-01&to=2026-11-20&step=hour", "An hourly report covers at most", `<option value="hour" selected>`},
		{`tz="><script>alert(1)</script>`, "Unknown time zone", `value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`},
	} {
		t.Run(tc.query, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			res, body := sup.get("/listening?" + q.Encode())
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("status = %d, want 400", res.StatusCode)
			}
			flash := regexpFind(t, body, `<p class="flash error" role="alert">[^<]*</p>`)
			if !strings.Contains(flash, tc.msg) {
				t.Errorf("error = %s, want %q", flash, tc.msg)
			}
			if !strings.Contains(body, tc.kept) {
				t.Errorf("the form does not keep %s", tc.kept)
			}
			if strings.Contains(body, "sov-table") || strings.Contains(body, "csv-link") || strings.Contains(body, "<script>alert") {
				t.Error("a refused report shows a table, a CSV link or raw markup")
			}
		})
	}
}

// TestListeningRefused: agents and members of a partner team get 403 and
// no link, the partner team's own supervisor included; so do their posts
// to the subjects' form.
func TestListeningRefused(t *testing.T) {
	t.Parallel()
	w := newPartnerWorld(t)
	w.setting(listen.SettingName, listenSubjects)
	ina := w.loginAs(w.ina)
	for _, tc := range []struct {
		name string
		c    *client
		msg  string
	}{
		{"agent", ina, "Only supervisors and admins see listening."},
		{"partner agent", w.sam, "Only supervisors and admins see listening."},
		{"partner supervisor", w.louC, "Members of a partner team cannot see listening"},
	} {
		res, body := tc.c.get("/listening")
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, tc.msg) {
			t.Errorf("GET /listening as the %s = %d, want 403 saying %q", tc.name, res.StatusCode, tc.msg)
		}
		if strings.Contains(body, "sov-table") || strings.Contains(body, "Globex") {
			t.Errorf("the %s's refusal shows the report or the subjects", tc.name)
		}
		if _, body := tc.c.get("/"); strings.Contains(body, `href="/listening"`) {
			t.Errorf("the %s is offered the listening page", tc.name)
		}
		res, _ = tc.c.act("/listening", url.Values{"name_0": {"Hijack"}, "terms_0": {"x"}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("POST /listening as the %s = %d, want 403", tc.name, res.StatusCode)
		}
	}
	if res, _ := w.client().get("/listening?from=2026-11-01"); res.StatusCode != http.StatusSeeOther ||
		res.Header.Get("Location") != "/login?next=%2Flistening%3Ffrom%3D2026-11-01" {
		t.Errorf("GET /listening signed out = %d to %q, want the login form and back", res.StatusCode, res.Header.Get("Location"))
	}
	res, body := w.adaC.get("/listening")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `href="/listening"`) || !strings.Contains(body, `class="subjects-form"`) {
		t.Errorf("GET /listening as the admin = %d, want the page with the subjects' form", res.StatusCode)
	}
	if got := w.savedListening(); got != listenSubjects {
		t.Errorf("the refused posts changed the subjects to %s", got)
	}
}

// savedListening is the stored listening setting.
func (f *fixture) savedListening() string {
	f.t.Helper()
	doc, err := f.store.Setting(context.Background(), f.ws.ID, listen.SettingName)
	if err != nil {
		f.t.Fatal(err)
	}
	return string(doc)
}

// TestListeningSubjects: an admin edits the subjects through the form;
// a mistake comes back beside it with the rows as typed; the form needs
// the session's CSRF token; supervisors read the subjects.
func TestListeningSubjects(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ada := f.user("ada@acme.test", "Ada Admin", care.RoleAdmin)
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	admin, sup := f.loginAs(ada), f.loginAs(lee)

	form := url.Values{
		"name_0": {" Acme "}, "own_0": {"on"}, "terms_0": {"Acme, #ACME\r\nacme   anvils\n\n"}, "exclude_0": {"Acme Jobs"},
		"name_2": {"Globex"}, "terms_2": {"globex"},
	}
	for _, tc := range []struct {
		name   string
		change func(url.Values)
		msg    string
		kept   []string
	}{
		{"no terms", func(v url.Values) { v.Set("terms_2", " , ") }, "subject 2, terms: the subject", []string{`name="name_1" value="Globex"`, `value="Acme"`}},
		{"same name", func(v url.Values) { v.Set("name_2", "ACME") }, "subject 2, name: &#34;ACME&#34; is also the name of subject 1", []string{`value="ACME"`}},
		{"no name", func(v url.Values) { v.Set("name_2", "") }, "subject 2, name: every subject needs a name", []string{`>globex</textarea>`}},
		{"bad term", func(v url.Values) { v.Set("exclude_0", "jobs, ***") }, "subject 1, excluded term 2", []string{`>jobs, ***</textarea>`}},
		{"hostile", func(v url.Values) { v.Set("name_2", `<script>alert(1)</script>`); v.Set("terms_2", "") }, "subject 2, terms",
			[]string{`value="&lt;script&gt;alert(1)&lt;/script&gt;"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := url.Values{}
			for k, vs := range form {
				v[k] = append([]string(nil), vs...)
			}
			tc.change(v)
			res, body := admin.act("/listening?from=2026-11-01&to=2026-11-20", v)
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("status = %d, want 400", res.StatusCode)
			}
			section := body[strings.Index(body, `id="subjects"`):]
			flash := regexpFind(t, section, `<p class="flash error" role="alert">[^<]*</p>`)
			if !strings.Contains(flash, tc.msg) {
				t.Errorf("error = %s, want %q", flash, tc.msg)
			}
			for _, k := range tc.kept {
				if !strings.Contains(section, k) {
					t.Errorf("the form does not keep %s", k)
				}
			}
			if !strings.Contains(body, `value="2026-11-01"`) || strings.Contains(body, "<script>alert") {
				t.Error("the refused form loses the report's period or shows raw markup")
			}
			if _, err := f.store.Setting(context.Background(), f.ws.ID, listen.SettingName); care.ErrorCode(err) != care.ENOTFOUND {
				t.Errorf("a refused form saved the setting: %v", err)
			}
		})
	}

	// Without the session's token, or as a supervisor: refused.
	res, body := admin.post("/listening", form)
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "This form has expired") {
		t.Errorf("POST /listening without the CSRF token = %d, want 403", res.StatusCode)
	}
	req, _ := http.NewRequest("POST", admin.base+"/listening", strings.NewReader(url.Values{"csrf": {admin.csrf}, "name_0": {"X"}, "terms_0": {"x"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res, _ := admin.do(req); res.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site POST /listening = %d, want 403", res.StatusCode)
	}
	res, body = sup.act("/listening", form)
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Only admins change what listening looks for.") {
		t.Errorf("POST /listening as a supervisor = %d, want 403", res.StatusCode)
	}
	if _, err := f.store.Setting(context.Background(), f.ws.ID, listen.SettingName); care.ErrorCode(err) != care.ENOTFOUND {
		t.Fatalf("a refused post saved the setting: %v", err)
	}

	// Saved: normalised by the parser, audited, and back on the page.
	res, _ = admin.act("/listening?from=2026-11-01&to=2026-11-20", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/listening?done=saved&from=2026-11-01&to=2026-11-20#subjects" {
		t.Fatalf("POST /listening = %d to %q, want 303 back to the report", res.StatusCode, res.Header.Get("Location"))
	}
	var saved listen.Settings
	if err := json.Unmarshal([]byte(f.savedListening()), &saved); err != nil {
		t.Fatal(err)
	}
	want := listen.Settings{Subjects: []listen.Subject{
		{Name: "Acme", Own: true, Terms: []string{"acme", "#acme", "acme anvils"}, Exclude: []string{"acme jobs"}},
		{Name: "Globex", Terms: []string{"globex"}},
	}}
	if got, _ := json.Marshal(saved); string(got) != mustJSON(t, want) {
		t.Errorf("saved %s, want %s", got, mustJSON(t, want))
	}
	audit, err := f.store.Audit(context.Background(), f.ws.ID, "setting:"+listen.SettingName, 10)
	if err != nil || len(audit) != 1 || audit[0].Action != "setting.update" || audit[0].Actor != "user:"+itoa(ada.ID) {
		t.Errorf("audit = %+v, %v; want one setting.update by the admin", audit, err)
	}
	_, body = admin.get("/listening?done=saved&from=2026-11-01&to=2026-11-20")
	for _, want := range []string{"Subjects saved.", `name="name_0" value="Acme"`, `name="own_0" checked`, `>acme, #acme, acme anvils</textarea>`,
		`>acme jobs</textarea>`, `name="name_1" value="Globex"`, `name="name_4" value=""`} {
		if !strings.Contains(body, want) {
			t.Errorf("the saved subjects' form lacks %s", want)
		}
	}
	_, body = sup.get("/listening")
	if strings.Contains(body, `class="subjects-form"`) ||
		!strings.Contains(body, `<tr><th scope="row"><bdi>Acme</bdi> <span class="badge b-own">own</span></th><td><bdi>acme, #acme, acme anvils</bdi></td><td><bdi>acme jobs</bdi></td></tr>`) {
		t.Error("a supervisor does not read the subjects, or is offered their form")
	}

	// Emptied: listening is off.
	res, _ = admin.act("/listening", url.Values{})
	if res.StatusCode != http.StatusSeeOther || f.savedListening() != `{"subjects":[]}` {
		t.Errorf("an empty form = %d and %s, want listening off", res.StatusCode, f.savedListening())
	}
}

// TestListeningSubjectsRoundTrip saves the page as it shows the subjects:
// terms set through the API that hold commas or quotes come back as they
// were, not split into other, broader terms.
func TestListeningSubjectsRoundTrip(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.loginAs(f.user("ada@acme.test", "Ada Admin", care.RoleAdmin))
	const doc = `{"subjects":[{"name":"Kit Kat","own":true,"terms":["kitkat","have a break, have a kit kat","\"give me a break, \" ad"],"exclude":["kit, kat jobs","#kitkat"]},{"name":"Twix","terms":["twix"]}]}`
	f.setting(listen.SettingName, doc)

	_, body := admin.get("/listening")
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input name="(name_\d+)" value="([^"]*)"|<textarea name="((?:terms|exclude)_\d+)"[^>]*>([^<]*)</textarea>|name="(own_\d+)" checked`).FindAllStringSubmatch(body, -1) {
		switch {
		case m[1] != "":
			form.Set(m[1], html.UnescapeString(m[2]))
		case m[3] != "":
			form.Set(m[3], html.UnescapeString(m[4]))
		default:
			form.Set(m[5], "on")
		}
	}
	if got, want := form.Get("terms_0"), `kitkat, "have a break, have a kit kat", """give me a break, "" ad"`; got != want {
		t.Errorf("the form shows terms %s, want %s", got, want)
	}
	if res, _ := admin.act("/listening", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the page unchanged = %d, want 303", res.StatusCode)
	}
	if got := f.savedListening(); got != doc {
		t.Errorf("saving the page unchanged stored\n%s\nwant\n%s", got, doc)
	}

	// What admins type: commas and lines separate terms, quotes keep a
	// comma in one.
	for _, tc := range []struct{ typed, want string }{
		{"kitkat, #kitkat\nkit kat", `["kitkat","#kitkat","kit kat"]`},
		{`kitkat, "have a break, have a kit kat"`, `["kitkat","have a break, have a kit kat"]`},
		{"\"have a break, have a kit kat\r\nkitkat", `["have a break, have a kit kat","kitkat"]`},
		{`"kit kat" bar, kitkat`, `["kit kat bar","kitkat"]`},
		{`"say ""hi"", kit kat"`, `["say \"hi\", kit kat"]`},
	} {
		if res, _ := admin.act("/listening", url.Values{"name_0": {"Kit Kat"}, "terms_0": {tc.typed}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("%q: status %d, want 303", tc.typed, res.StatusCode)
			continue
		}
		var saved listen.Settings
		if err := json.Unmarshal([]byte(f.savedListening()), &saved); err != nil || len(saved.Subjects) != 1 || mustJSON(t, saved.Subjects[0].Terms) != tc.want {
			t.Errorf("typed %q, saved %s, want terms %s", tc.typed, f.savedListening(), tc.want)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The listening page in a browser: the share-of-voice bars are drawn, the
// own brand's the accent colour, and the posts found are readable, with
// nothing refused by the Content-Security-Policy.
func TestBrowserListening(t *testing.T) {
	needChromium(t)
	s := webtest.Start(t)
	s.CreateUser("lee@example.com", "Lee Chan", password, care.RoleSupervisor)
	ctx := context.Background()
	if err := s.App.Store.SetSetting(ctx, s.WorkspaceID, listen.SettingName, []byte(listenSubjects), time.Now()); err != nil {
		t.Fatal(err)
	}
	now := time.Now().Add(-time.Hour)
	var posts []care.ListenPost
	for i, sub := range []string{"Acme", "Acme", "Acme", "Globex"} {
		posts = append(posts, care.ListenPost{WorkspaceID: s.WorkspaceID, Source: care.ChannelBluesky, PlatformID: "b" + strconv.Itoa(i),
			URL: "https://bsky.app/profile/maya/post/" + strconv.Itoa(i), Author: care.Author{Handle: "maya.bsky.social", DisplayName: "Maya Chen", Followers: 1200},
			Text: sub + " delivered my lamp a day early, lovely " + strconv.Itoa(i), PostedAt: now.Add(time.Duration(i) * time.Minute),
			Subjects: []string{sub}, Sentiment: 0.6})
	}
	if _, err := s.App.Store.AddListenPosts(ctx, posts); err != nil {
		t.Fatal(err)
	}

	b := openTab(t, s, desktop)
	b.login("lee@example.com", password)
	b.navigate("/listening")
	b.waitFor(`document.body.dataset.page === 'listening' && document.readyState === 'complete'`, 5*time.Second)
	bars := eval[[]float64](b, `[...document.querySelectorAll('.sov-fill')].map(r => r.getBoundingClientRect().width)`)
	if len(bars) != 2 || bars[0] <= 2*bars[1] || bars[1] <= 0 {
		t.Errorf("share-of-voice bars are %v px wide, want Acme's three times Globex's", bars)
	}
	if own, other := eval[string](b, `getComputedStyle(document.querySelector('tr.own .sov-fill')).fill`),
		eval[string](b, `getComputedStyle(document.querySelector('tr:not(.own) .sov-fill')).fill`); own == other {
		t.Errorf("the own brand's bar is coloured as a competitor's (%s)", own)
	}
	if !eval[bool](b, `[...document.querySelectorAll('.found-post')].some(p => p.offsetHeight > 0 && p.innerText.includes('delivered my lamp a day early, lovely 3'))`) {
		t.Error("the newest post is not visible")
	}
	if n := eval[int](b, `document.querySelectorAll('.volume-chart rect.vol').length`); n < 2 {
		t.Errorf("the volume charts have %d bars, want one per subject at least", n)
	}
	b.screenshot("listening-desktop")
	b.checkConsole()
}

// FuzzListeningForm posts whatever an admin might type into the subjects'
// form and asks for whatever report address someone might share: the page
// answers with a redirect or a mistake to correct, never a failure; what
// it saves is a setting the parser reads back; and what it shows back is
// escaped.
func FuzzListeningForm(f *testing.F) {
	for _, seed := range []struct{ name, terms, exclude, query string }{
		{"Acme", "acme, #acme\nacme anvils", "acme jobs", "from=2026-11-01&to=2026-11-20&step=day&tz=UTC"},
		{"", "", "", ""},
		{"<script>x</script>", "<script>x</script>", "", `tz="><script>x</script>`},
		{"Café", "café, @acme@mastodon.social", "", "step=hour&from=2026-11-23&to=2026-11-23&tz=Europe/London"},
		{"ソニー", "ソニー", "", "subject=%3Cscript%3Ex&bucket=2026-11-21T00:00:00Z"},
		{"A", ",,,\n\n", "***", "cursor=1.2&source=x"},
		{"\xff\xfe", "\x00", "\u202e", "from=\xff&to=9999-99-99"},
		{strings.Repeat("n", 61), strings.Repeat("t,", 30), strings.Repeat("e\n", 30), "step=hour&from=2026-01-01&to=2026-11-20"},
	} {
		f.Add(seed.name, seed.terms, seed.exclude, seed.query)
	}
	fx := newFixture(f)
	ada := fx.user("ada@acme.test", "Ada Admin", care.RoleAdmin)
	admin := fx.loginAs(ada)
	fx.addFound(foundPost{at: day(21, 9), subjects: []string{"Acme"}, text: "acme <script>x</script>", handle: "h"})
	f.Fuzz(func(t *testing.T, name, terms, exclude, query string) {
		c := *admin
		c.t = t
		form := url.Values{"name_0": {name}, "own_0": {"on"}, "terms_0": {terms}, "exclude_0": {exclude}}
		res, body := c.act("/listening", form)
		switch res.StatusCode {
		case http.StatusSeeOther:
			doc, err := fx.store.Setting(context.Background(), fx.ws.ID, listen.SettingName)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := listen.ParseSettings(doc); err != nil {
				t.Fatalf("the form saved %s, which does not parse: %v", doc, err)
			}
		case http.StatusBadRequest:
			if !strings.Contains(body, `<p class="flash error" role="alert">`) {
				t.Fatalf("a refused form says nothing:\n%s", body)
			}
		default:
			t.Fatalf("POST /listening = %d:\n%s", res.StatusCode, body)
		}
		if strings.Contains(body, "<script>x") {
			t.Fatal("the form shows raw markup")
		}
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		res, body = c.get("/listening?" + q.Encode())
		if res.StatusCode >= 500 || strings.Contains(body, "<script>x") {
			t.Fatalf("GET /listening?%s = %d, or raw markup:\n%s", q.Encode(), res.StatusCode, body)
		}
	})
}
