package api_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

type listeningReport struct {
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Step     string    `json:"step"`
	Location string    `json:"location"`
	Total    int       `json:"total"`
	Subjects []struct {
		Name     string  `json:"name"`
		Own      bool    `json:"own"`
		Posts    int     `json:"posts"`
		Share    float64 `json:"share"`
		Negative int     `json:"negative"`
		Reach    int64   `json:"reach"`
		Series   []struct {
			Start time.Time `json:"start"`
			Posts int       `json:"posts"`
		} `json:"series"`
	} `json:"subjects"`
	Spikes []struct {
		Subject string    `json:"subject"`
		Start   time.Time `json:"start"`
		Posts   int       `json:"posts"`
	} `json:"spikes"`
}

type listeningPage struct {
	Posts []struct {
		ID         care.ID  `json:"id"`
		PlatformID string   `json:"platform_id"`
		Source     string   `json:"source"`
		Text       string   `json:"text"`
		Subjects   []string `json:"subjects"`
	} `json:"posts"`
	NextCursor string `json:"next_cursor"`
}

// TestListening stores a fortnight of found posts, a quiet week of the
// brand's and then a burst of complaints, with a competitor's steady
// chatter, and reads the report and the posts as a supervisor would.
func TestListening(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	sup := ta.token(t, workspace1, care.RoleSupervisor)
	admin := ta.token(t, workspace1, care.RoleAdmin)
	agent := ta.token(t, workspace1, care.RoleAgent)

	// Without subjects the report is empty, not an error.
	var rep listeningReport
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/listening/report", "", &rep)
	if rep.Total != 0 || len(rep.Subjects) != 0 || rep.Step != "day" || rep.Location != "UTC" {
		t.Errorf("report without subjects = %+v", rep)
	}

	ta.must(t, http.StatusOK, admin, "PUT", "/api/v1/settings/listening",
		`{"subjects":[{"name":"Acme","own":true,"terms":["acme"]},{"name":"Rival","terms":["rival"]}]}`, nil)
	ta.call(t, admin, "PUT", "/api/v1/settings/listening", `{"subjects":[{"name":"Acme","terms":[]}]}`).problem(t, http.StatusBadRequest)

	in := &care.Inbox{WorkspaceID: workspace1, Channel: care.ChannelX, Name: "@acme"}
	if err := ta.Store.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	day0 := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -13)
	var posts []care.ListenPost
	add := func(id string, subjects []string, at time.Time, sentiment float64, text string) {
		posts = append(posts, care.ListenPost{WorkspaceID: workspace1, InboxID: in.ID, Source: care.ChannelX, PlatformID: id,
			Author: care.Author{PlatformUserID: "u" + id, Handle: "@u" + id, Followers: 100}, Text: text,
			PostedAt: at, FoundAt: at, Subjects: subjects, Sentiment: sentiment})
	}
	for d := range 13 {
		for i := range 2 {
			add(fmt.Sprintf("a%d-%d", d, i), []string{"Acme"}, day0.AddDate(0, 0, d).Add(time.Duration(9+i)*time.Hour), 0.5, "acme is fine")
			add(fmt.Sprintf("r%d-%d", d, i), []string{"Rival"}, day0.AddDate(0, 0, d).Add(time.Duration(9+i)*time.Hour), 0, "rival exists")
		}
	}
	for i := range 30 { // the 14th day: acme's bags are lost
		add(fmt.Sprintf("burst-%d", i), []string{"Acme"}, day0.AddDate(0, 0, 13).Add(time.Duration(i)*time.Minute), -0.8, "<b>acme</b> lost my bag")
	}
	add("both", []string{"Acme", "Rival"}, day0.AddDate(0, 0, 13).Add(time.Hour), 0, "acme or rival?")
	if n, err := ta.Store.AddListenPosts(ctx, posts); err != nil || n != len(posts) {
		t.Fatalf("AddListenPosts = %d, %v", n, err)
	}

	from, to := day0.Format(time.DateOnly), day0.AddDate(0, 0, 13).Format(time.DateOnly)
	rep = listeningReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/listening/report?from="+from+"&to="+to, "", &rep)
	if len(rep.Subjects) != 2 || rep.Total != len(posts) || !rep.From.Equal(day0) || !rep.To.Equal(day0.AddDate(0, 0, 14)) {
		t.Fatalf("report = %+v, want two subjects and %d posts over 14 days", rep, len(posts))
	}
	acme, rival := rep.Subjects[0], rep.Subjects[1]
	if acme.Name != "Acme" || !acme.Own || acme.Posts != 26+31 || acme.Negative != 30 || acme.Reach != int64(57*100) || len(acme.Series) != 14 {
		t.Errorf("Acme = %+v", acme)
	}
	if rival.Posts != 27 || rival.Own {
		t.Errorf("Rival = %+v", rival)
	}
	if want := 57.0 / 84; acme.Share < want-1e-9 || acme.Share > want+1e-9 {
		t.Errorf("Acme's share of voice = %v, want %v", acme.Share, want)
	}
	if len(rep.Spikes) != 1 || rep.Spikes[0].Subject != "Acme" || !rep.Spikes[0].Start.Equal(day0.AddDate(0, 0, 13)) || rep.Spikes[0].Posts != 31 {
		t.Errorf("spikes = %+v, want Acme's burst on the last day", rep.Spikes)
	}

	// Hours, in a zone; CSV.
	rep = listeningReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/listening/report?step=hour&tz=Europe/London&from="+to+"&to="+to, "", &rep)
	if rep.Step != "hour" || rep.Location != "Europe/London" || len(rep.Subjects[0].Series) < 23 {
		t.Errorf("hourly report: step %q in %q, %d buckets", rep.Step, rep.Location, len(rep.Subjects[0].Series))
	}
	// A report of the last day alone judges it against the week before,
	// by day and by hour, without counting that week.
	if len(rep.Spikes) != 1 || !rep.Spikes[0].Start.Equal(day0.AddDate(0, 0, 13)) || rep.Spikes[0].Posts != 30 {
		t.Errorf("hourly spikes of the last day = %+v, want Acme's 30 posts in its first hour", rep.Spikes)
	}
	rep = listeningReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/listening/report?step=day&from="+to+"&to="+to, "", &rep)
	if len(rep.Spikes) != 1 || !rep.Spikes[0].Start.Equal(day0.AddDate(0, 0, 13)) || rep.Subjects[0].Posts != 31 {
		t.Errorf("the last day's report: spikes %+v, Acme %d posts; want its burst, and its 31 posts only", rep.Spikes, rep.Subjects[0].Posts)
	}
	res := ta.must(t, http.StatusOK, sup, "GET", "/api/v1/listening/report?format=csv&from="+from+"&to="+to, "", nil)
	rows, err := csv.NewReader(strings.NewReader(string(res.body))).ReadAll()
	if err != nil || len(rows) != 1+2*14 || rows[0][0] != "start" {
		t.Errorf("CSV: %d rows, %v", len(rows), err)
	}

	// Posts: newest first, filtered, in pages without gaps or repeats.
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		var page listeningPage
		q := url.Values{"subject": {"Acme"}, "limit": {"7"}, "from": {from}, "to": {to}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		ta.must(t, http.StatusOK, sup, "GET", "/api/v1/listening/posts?"+q.Encode(), "", &page)
		for _, p := range page.Posts {
			if seen[p.PlatformID] || !strings.Contains(strings.Join(p.Subjects, ","), "Acme") {
				t.Fatalf("page %d: %s repeated or not about Acme", pages, p.PlatformID)
			}
			seen[p.PlatformID] = true
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
		if pages > 20 {
			t.Fatal("paging never ends")
		}
	}
	if len(seen) != 57 {
		t.Errorf("paged through %d of Acme's posts, want 57", len(seen))
	}
	var page listeningPage
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/listening/posts?limit=1&subject=Rival&from="+from+"&to="+to, "", &page)
	if len(page.Posts) != 1 || page.Posts[0].PlatformID != "both" || page.NextCursor == "" {
		t.Errorf("Rival's newest = %+v", page)
	}
	page = listeningPage{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/listening/posts?source=bluesky&from="+from+"&to="+to, "", &page)
	if len(page.Posts) != 0 {
		t.Errorf("Bluesky's posts = %d, want none", len(page.Posts))
	}

	// Mistakes are named.
	for _, bad := range []string{
		"/api/v1/listening/report?step=week",
		"/api/v1/listening/report?from=2026-02-30",
		"/api/v1/listening/report?from=2020-01-01&to=2026-01-01",
		"/api/v1/listening/report?step=hour&from=2026-01-01&to=2026-03-01",
		"/api/v1/listening/report?tz=Mars/Olympus",
		"/api/v1/listening/report?from=2026-11-02&to=2026-11-01",
		"/api/v1/listening/posts?limit=0",
		"/api/v1/listening/posts?cursor=nonsense",
		"/api/v1/listening/posts?source=Carrier+Pigeon!",
	} {
		if pr := ta.call(t, sup, "GET", bad, "").problem(t, http.StatusBadRequest); pr.Detail == "" {
			t.Errorf("%s: no detail", bad)
		}
	}
	ta.call(t, agent, "GET", "/api/v1/listening/report", "").problem(t, http.StatusForbidden)

	// Local calendar days, whatever the clocks do: October in London has
	// 745 hours and is still a month of hours; in Santiago 6 September
	// starts at 01:00, when the clocks go forward.
	rep = listeningReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/listening/report?from=2026-10-01&to=2026-10-31&step=hour&tz=Europe/London", "", &rep)
	if n := len(rep.Subjects[0].Series); n != 745 {
		t.Errorf("October in London: %d hours, want 745", n)
	}
	rep = listeningReport{}
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/listening/report?from=2026-09-06&to=2026-09-07&tz=America/Santiago&step=day", "", &rep)
	if santiago, _ := time.LoadLocation("America/Santiago"); !rep.From.Equal(time.Date(2026, 9, 6, 1, 0, 0, 0, santiago)) || len(rep.Subjects[0].Series) != 2 {
		t.Errorf("Santiago's 6 September: from %v, %d days; want from 01:00, 2 days", rep.From, len(rep.Subjects[0].Series))
	}

	// Another workspace sees none of it.
	ws2 := &care.Workspace{Slug: "globex", Name: "Globex"}
	if err := ta.Store.CreateWorkspace(ctx, ws2); err != nil {
		t.Fatal(err)
	}
	other := ta.token(t, ws2.ID, care.RoleSupervisor)
	page = listeningPage{}
	ta.must(t, http.StatusOK, other, "GET", "/api/v1/listening/posts?from="+from+"&to="+to, "", &page)
	if len(page.Posts) != 0 {
		t.Errorf("another workspace sees %d posts", len(page.Posts))
	}
}

// TestListeningPostsZone reads one day in Tokyo: the posts listed for it
// are the ones the report counts for it, not those of the day in UTC.
func TestListeningPostsZone(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	sup := ta.token(t, workspace1, care.RoleSupervisor)
	admin := ta.token(t, workspace1, care.RoleAdmin)
	ta.must(t, http.StatusOK, admin, "PUT", "/api/v1/settings/listening", `{"subjects":[{"name":"Orbit","terms":["orbit"]}]}`, nil)
	in := &care.Inbox{WorkspaceID: workspace1, Channel: care.ChannelX, Name: "@orbit"}
	if err := ta.Store.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	// 23 November in Tokyo (UTC+9) is 22 November 15:00 to 23 November
	// 15:00 in UTC.
	var posts []care.ListenPost
	for id, at := range map[string]string{
		"before": "2026-11-22T14:30:00Z", "first": "2026-11-22T15:30:00Z", "evening": "2026-11-22T20:00:00Z",
		"last": "2026-11-23T10:00:00Z", "after": "2026-11-23T16:00:00Z",
	} {
		when, err := time.Parse(time.RFC3339, at)
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, care.ListenPost{WorkspaceID: workspace1, InboxID: in.ID, Source: care.ChannelX, PlatformID: id,
			Author: care.Author{PlatformUserID: "u-" + id, Handle: "@u" + id}, Text: "orbit again", PostedAt: when, FoundAt: when,
			Subjects: []string{"Orbit"}})
	}
	if n, err := ta.Store.AddListenPosts(ctx, posts); err != nil || n != len(posts) {
		t.Fatalf("AddListenPosts = %d, %v", n, err)
	}

	day := "from=2026-11-23&to=2026-11-23&tz=Asia/Tokyo"
	var rep listeningReport
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/listening/report?step=day&"+day, "", &rep)
	if len(rep.Subjects) != 1 || rep.Subjects[0].Posts != 3 {
		t.Fatalf("report of 23 November in Tokyo = %+v, want 3 posts", rep)
	}
	var page listeningPage
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/listening/posts?subject=Orbit&"+day, "", &page)
	var got []string
	for _, p := range page.Posts {
		got = append(got, p.PlatformID)
	}
	if want := "[last evening first]"; fmt.Sprint(got) != want || len(got) != rep.Subjects[0].Posts {
		t.Errorf("posts of 23 November in Tokyo = %v, want %v, as the report counts", got, want)
	}
	if pr := ta.call(t, sup, "GET", "/api/v1/listening/posts?tz=Mars/Olympus", "").problem(t, http.StatusBadRequest); !strings.Contains(pr.Detail, "Unknown time zone") {
		t.Errorf("an unknown zone: %q", pr.Detail)
	}
}

// TestListeningImport imports posts found elsewhere: matched and read for
// tone as searched ones, counted once, mistakes named, admins only.
func TestListeningImport(t *testing.T) {
	ta := startApp(t)
	admin := ta.token(t, workspace1, care.RoleAdmin)
	sup := ta.token(t, workspace1, care.RoleSupervisor)
	body := `{"posts":[
		{"source":"news","platform_id":"n-1","url":"https://news.example/acme-outage","author":{"platform_user_id":"desk","display_name":"City News","followers":90000},
		 "text":"Acme outage leaves thousands without service, customers furious","posted_at":"2026-11-20T08:00:00Z"},
		{"source":"forum","platform_id":"f-9","text":"has anyone tried rival? acme keeps failing me","lang":"en","posted_at":"2026-11-20T09:30:00Z"},
		{"source":"forum","platform_id":"f-10","text":"nothing about either","posted_at":"2026-11-20T09:31:00Z"}]}`

	// No subjects yet: refused, nothing kept.
	ta.call(t, admin, "POST", "/api/v1/listening/posts", body).problem(t, http.StatusBadRequest)
	ta.must(t, http.StatusOK, admin, "PUT", "/api/v1/settings/listening",
		`{"subjects":[{"name":"Acme","own":true,"terms":["acme"]},{"name":"Rival","terms":["rival"]}]}`, nil)

	var res struct{ Received, Matched, Added int }
	ta.must(t, http.StatusOK, admin, "POST", "/api/v1/listening/posts", body, &res)
	if res.Received != 3 || res.Matched != 2 || res.Added != 2 {
		t.Errorf("import = %+v, want 3 received, 2 matched, 2 added", res)
	}
	res.Received, res.Matched, res.Added = 0, 0, 0
	ta.must(t, http.StatusOK, admin, "POST", "/api/v1/listening/posts", body, &res)
	if res.Matched != 2 || res.Added != 0 {
		t.Errorf("the same import again = %+v, want nothing added", res)
	}

	var page listeningPage
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/listening/posts?from=2026-11-19&to=2026-11-21", "", &page)
	if len(page.Posts) != 2 || page.Posts[0].PlatformID != "f-9" || page.Posts[0].Source != "forum" ||
		strings.Join(page.Posts[0].Subjects, ",") != "Acme,Rival" || page.Posts[1].PlatformID != "n-1" {
		t.Errorf("imported posts = %+v", page.Posts)
	}
	var rep listeningReport
	ta.must(t, http.StatusOK, sup, "GET", "/api/v1/listening/report?from=2026-11-19&to=2026-11-21", "", &rep)
	if rep.Total != 2 || rep.Subjects[0].Negative != 2 || rep.Subjects[0].Reach != 90000 {
		t.Errorf("report of imported posts: total %d, Acme %+v", rep.Total, rep.Subjects[0])
	}

	for _, bad := range []struct{ body, says string }{
		{`{"posts":[]}`, "1 to 500"},
		{`{"posts":[{"source":"News!","platform_id":"1","text":"acme","posted_at":"2026-11-20T08:00:00Z"}]}`, "posts[0].source"},
		{`{"posts":[{"source":"news","platform_id":"","text":"acme","posted_at":"2026-11-20T08:00:00Z"}]}`, "posts[0].platform_id"},
		{`{"posts":[{"source":"news","platform_id":"1","text":"acme","posted_at":"2999-01-01T00:00:00Z"}]}`, "future"},
		{`{"posts":[{"source":"news","platform_id":"1","text":"acme","url":"javascript:alert(1)","posted_at":"2026-11-20T08:00:00Z"}]}`, "posts[0].url"},
		{`{"posts":[{"source":"news","platform_id":"1","text":"acme\u0000","posted_at":"2026-11-20T08:00:00Z"}]}`, "posts[0]"},
		{`{"posts":[{"source":"news","platform_id":"1","text":"acme","posted_at":"2026-11-20T08:00:00Z","score":5}]}`, "score"},
	} {
		pr := ta.call(t, admin, "POST", "/api/v1/listening/posts", bad.body).problem(t, http.StatusBadRequest)
		if !strings.Contains(pr.Detail, bad.says) {
			t.Errorf("%s: detail %q does not say %q", bad.body, pr.Detail, bad.says)
		}
	}
	ta.call(t, sup, "POST", "/api/v1/listening/posts", body).problem(t, http.StatusForbidden)
}
