package web_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

var slaChip = regexp.MustCompile(`<span class="sla[^"]*"[^>]*>[^<]*</span>`)

// A conversation's nearest SLA deadline shows as a chip in its list row
// and its header, in words ("Reply due in 29 min", "Reply overdue 5 min"),
// and the live fragments carry it as the rest of the row.
func TestSLADueChip(t *testing.T) {
	f := newFixture(t)
	due := func(c *care.Conversation, u care.SLAUpdate) {
		t.Helper()
		u.State = []byte(`{}`)
		if _, err := f.store.UpdateConversation(t.Context(), c.ID, care.ConversationUpdate{SLA: &u}, f.now); err != nil {
			t.Fatal(err)
		}
	}
	at := func(d time.Duration) *time.Time { v := f.now.Add(d); return &v }
	soon := f.conversation(f.inbox, "Ana", "Where is my order?")
	due(soon, care.SLAUpdate{FirstResponseDue: at(29*time.Minute + 30*time.Second), ResolutionDue: at(8 * time.Hour)})
	late := f.conversation(f.inbox, "Ben", "Still nothing.")
	due(late, care.SLAUpdate{NextResponseDue: at(-5 * time.Minute), ResolutionDue: at(2 * time.Hour)})
	long := f.conversation(f.inbox, "Cy", "Please close my account.")
	due(long, care.SLAUpdate{ResolutionDue: at(3 * time.Hour)})
	done := f.conversation(f.inbox, "Di", "Thanks!")
	due(done, care.SLAUpdate{FirstResponseDue: at(-time.Hour)})
	resolved := care.StatusResolved
	if _, err := f.store.UpdateConversation(t.Context(), done.ID, care.ConversationUpdate{Status: &resolved}, f.now); err != nil {
		t.Fatal(err)
	}
	none := f.conversation(f.inbox, "Ed", "Hello")

	c := f.login()
	// chip is the SLA chip of a conversation's list row, "" for none.
	chip := func(page string, id care.ID) string {
		t.Helper()
		row := regexpFind(t, page, `(?s)<li class="row[^"]*" data-id="`+itoa(id)+`">.*?</li>`)
		return slaChip.FindString(row)
	}
	_, list := c.get("/?status=all")
	for _, tc := range []struct {
		c    *care.Conversation
		want string
	}{
		{soon, `<span class="sla" title="First reply due Tue 24 Nov 2026, 10:29 UTC">Reply due in 29 min</span>`},
		{late, `<span class="sla sla-over" title="Next reply was due Tue 24 Nov 2026, 09:55 UTC">Reply overdue 5 min</span>`},
		{long, `<span class="sla" title="Resolution due Tue 24 Nov 2026, 13:00 UTC">Resolution due in 3 h</span>`},
		{done, ""},
		{none, ""},
	} {
		if got := chip(list, tc.c.ID); got != tc.want {
			t.Errorf("list row of %d: chip %s, want %s", tc.c.ID, got, tc.want)
		}
	}
	// The header says it too, and so does the live fragment, as of now.
	_, page := c.get(convPath(late, ""))
	head := regexpFind(t, page, `(?s)<header class="conv-head">.*?</header>`)
	if !strings.Contains(head, `<span class="sla sla-over" title="Next reply was due Tue 24 Nov 2026, 09:55 UTC">Reply overdue 5 min</span>`) {
		t.Errorf("the header lacks the overdue chip:\n%s", head)
	}
	f.now = f.now.Add(10 * time.Minute)
	_, live := c.get(convPath(soon, "/live"))
	if !strings.Contains(live, `>Reply due in 19 min</span>`) {
		t.Errorf("the live header, 10 minutes on, lacks the chip:\n%s", regexpFind(t, live, `(?s)<header class="conv-head">.*?</header>`))
	}
	_, frag := c.get("/list?status=all")
	if got := chip(frag, late.ID); !strings.Contains(got, ">Reply overdue 15 min</span>") {
		t.Errorf("the live list, 10 minutes on, shows %s", got)
	}
}
