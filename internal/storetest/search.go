package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testSearch(t *testing.T, open opener) {
	s := open(t)
	ctx := t.Context()
	w := mustWorld(t, s, "acme")
	say := func(c *care.Conversation, text string, d time.Duration) *care.Message {
		m := newMessage(c, care.DirectionIn, care.Public, at(d))
		m.Text = text
		return mustMessage(t, s, m)
	}
	older := say(w.conv, "Where is my order? It was due Monday.", time.Minute)
	newer := say(w.conv, "Still waiting for the ORDER, any news", 2*time.Minute)
	say(w.conv, "thanks anyway", 3*time.Minute)

	// A contact matched by name and by handle.
	a := care.Author{PlatformUserID: "42", DisplayName: "Zelda Quartermain", Handle: "zquartz"}
	zid, _, err := s.ResolveIdentity(ctx, w.ws.ID, care.ChannelX, a, at(0))
	must(t, err, "ResolveIdentity")
	zconv := mustConversation(t, s, newConversation(w.inbox, zid.ContactID, at(time.Hour)))

	// Another workspace with the same words must never show up.
	o := mustWorld(t, s, "other")
	m := newMessage(o.conv, care.DirectionIn, care.Public, at(time.Hour))
	m.Text = "order order Zelda Quartermain zquartz"
	mustMessage(t, s, m)
	oa := care.Author{PlatformUserID: "43", DisplayName: "Zelda Quartermain", Handle: "zquartz"}
	oid, _, err := s.ResolveIdentity(ctx, o.ws.ID, care.ChannelX, oa, at(0))
	must(t, err, "ResolveIdentity other")
	mustConversation(t, s, newConversation(o.inbox, oid.ContactID, at(time.Hour)))

	search := func(q string) []care.SearchHit {
		t.Helper()
		hits, err := s.Search(ctx, w.ws.ID, q, 0)
		must(t, err, "Search(%q)", q)
		for _, h := range hits {
			if h.ConversationID != w.conv.ID && h.ConversationID != zconv.ID {
				t.Errorf("Search(%q) hit %+v outside the workspace", q, h)
			}
			if n := len([]rune(h.Snippet)); n > care.MaxSnippet {
				t.Errorf("Search(%q) snippet has %d runes", q, n)
			}
		}
		return hits
	}

	hits := search("order")
	if len(hits) != 2 || hits[0].MessageID != newer.ID || hits[1].MessageID != older.ID {
		t.Fatalf("Search(order) = %+v, want messages %d then %d", hits, newer.ID, older.ID)
	}
	if h := hits[1]; h.ConversationID != w.conv.ID || h.ContactID != w.identity.ContactID || !strings.Contains(h.Snippet, "my order") {
		t.Errorf("Search(order) hit = %+v", h)
	}
	if hits := search("order monday"); len(hits) != 1 || hits[0].MessageID != older.ID {
		t.Errorf("Search(order monday) = %+v, want only message %d", hits, older.ID)
	}
	if hits := search("nothing-matches-this"); len(hits) != 0 {
		t.Errorf("Search(no match) = %+v", hits)
	}
	for _, q := range []string{"quartermain", "Zelda", "zquartz"} {
		hits := search(q)
		if len(hits) != 1 || hits[0].MessageID != 0 || hits[0].ContactID != zid.ContactID || hits[0].ConversationID != zconv.ID {
			t.Errorf("Search(%q) = %+v, want contact %d in conversation %d", q, hits, zid.ContactID, zconv.ID)
		} else if !strings.Contains(hits[0].Snippet, "Zelda") {
			t.Errorf("Search(%q) snippet = %q", q, hits[0].Snippet)
		}
	}

	// A renamed handle is found under its new name only.
	a.Handle = "zeldaq"
	_, _, err = s.ResolveIdentity(ctx, w.ws.ID, care.ChannelX, a, at(time.Minute))
	must(t, err, "ResolveIdentity rename")
	if hits := search("zquartz"); len(hits) != 0 {
		t.Errorf("Search(old handle) = %+v", hits)
	}
	if hits := search("zeldaq"); len(hits) != 1 {
		t.Errorf("Search(new handle) = %+v", hits)
	}

	// Limit.
	if hits, err := s.Search(ctx, w.ws.ID, "order", 1); err != nil || len(hits) != 1 || hits[0].MessageID != newer.ID {
		t.Errorf("Search(order, 1) = %+v, %v", hits, err)
	}

	// User text is words, never search syntax.
	for _, q := range []string{`"`, `""`, `*`, `order*`, `NEAR(order`, `NEAR(order monday)`, `order OR thanks`, `-order`,
		`order -monday`, `text:order`, `^order`, `(order`, `order)`, `'`, `\`, `AND`, `NOT order`, `{text}: order`,
		`'; DROP TABLE messages; --`, `%`, `_`, "\x00", `!!!`, `@`, `e` + "\u0301", `🙂`, `order & monday | !x <-> y:*`} {
		if _, err := s.Search(ctx, w.ws.ID, q, 0); err != nil {
			t.Errorf("Search(%q) = %v, want no error", q, err)
		}
	}
	if hits := search(`order OR thanks`); len(hits) != 0 {
		t.Errorf("Search(order OR thanks) = %+v: OR must be a word, not an operator", hits)
	}
	if hits := search(`-monday order`); len(hits) != 1 || hits[0].MessageID != older.ID {
		t.Errorf("Search(-monday order) = %+v: - must not exclude", hits)
	}
	if hits := search(`"order`); len(hits) != 2 {
		t.Errorf(`Search("order) = %+v`, hits)
	}

	for _, q := range []string{"", "   ", strings.Repeat("a", care.MaxSearchQuery+1)} {
		_, err := s.Search(ctx, w.ws.ID, q, 0)
		wantCode(t, err, care.EINVALID, "Search(%.20q)", q)
	}
	if _, err := s.Search(ctx, w.ws.ID, strings.Repeat("a", care.MaxSearchQuery), 0); err != nil {
		t.Errorf("Search(%d bytes) = %v", care.MaxSearchQuery, err)
	}

	// A handle is shown with one "@", whether or not the platform gave it
	// one (Mastodon's "@user@host" does; X's does not).
	for i, tc := range []struct{ name, handle, want string }{
		{"Veraheld", "@veraheld", "@veraheld"},
		{"Quillon", "quillon", "@quillon"},
		{"Ottoheld", "@ottoheld@social.example", "@ottoheld@social.example"},
	} {
		a := care.Author{PlatformUserID: "handle-" + tc.handle, DisplayName: tc.name, Handle: tc.handle}
		id, _, err := s.ResolveIdentity(ctx, w.ws.ID, care.ChannelAPI, a, at(0))
		must(t, err, "ResolveIdentity(%q)", tc.handle)
		mustConversation(t, s, newConversation(w.inbox, id.ContactID, at(time.Duration(i)*time.Minute)))
		hits, err := s.Search(ctx, w.ws.ID, tc.name, 0)
		must(t, err, "Search(%q)", tc.name)
		if len(hits) != 1 || hits[0].ContactID != id.ContactID {
			t.Errorf("Search(%q) = %+v, want contact %d", tc.name, hits, id.ContactID)
			continue
		}
		if snip := hits[0].Snippet; !strings.Contains(snip, " "+tc.want) || strings.Contains(snip, "@@") {
			t.Errorf("Search(%q) snippet = %q, want the handle as %q", tc.name, snip, tc.want)
		}
	}

	// A fediverse handle's user part alone finds its contact.
	fedi := care.Author{PlatformUserID: "fedi-1", DisplayName: "Marguerite Lune", Handle: "@margot@social.example"}
	fid, _, err := s.ResolveIdentity(ctx, w.ws.ID, care.ChannelMastodon, fedi, at(0))
	must(t, err, "ResolveIdentity(fediverse)")
	mustConversation(t, s, newConversation(w.inbox, fid.ContactID, at(5*time.Minute)))
	for _, q := range []string{"margot", "Margot"} {
		hits, err := s.Search(ctx, w.ws.ID, q, 0)
		must(t, err, "Search(%q)", q)
		if len(hits) != 1 || hits[0].ContactID != fid.ContactID {
			t.Errorf("Search(%q) = %+v, want the contact whose handle is @margot@social.example", q, hits)
		}
	}

	// A long message yields a snippet around the match.
	long := say(w.conv, strings.Repeat("filler words here ", 40)+"the needle is here "+strings.Repeat("more filler ", 40), 4*time.Minute)
	hits = search("needle")
	if len(hits) != 1 || hits[0].MessageID != long.ID || !strings.Contains(hits[0].Snippet, "needle") {
		t.Errorf("Search(needle) = %+v", hits)
	}
}
