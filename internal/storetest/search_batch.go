package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// testSearchInBatches: messages and contacts are searchable as soon as the
// transaction that stored them commits, however many it stored and
// whatever it did to them before committing; a transaction rolled back
// leaves nothing behind and does not keep later ones out of the index.
func testSearchInBatches(t *testing.T, open opener) {
	s := open(t)
	ctx := t.Context()
	w := mustWorld(t, s, "acme")
	newText := func(c *care.Conversation, text string, d time.Duration) *care.Message {
		m := newMessage(c, care.DirectionIn, care.Private, at(d))
		m.Text = text
		return m
	}
	find := func(q string) []care.ID {
		t.Helper()
		hits, err := s.Search(ctx, w.ws.ID, q, care.MaxSearchLimit)
		must(t, err, "Search(%q)", q)
		var ids []care.ID
		for _, h := range hits {
			if h.MessageID != 0 {
				ids = append(ids, h.MessageID)
			}
		}
		return ids
	}

	// A pass of the pipeline: many messages, one edited and one hidden
	// before the commit.
	var batch []*care.Message
	err := s.Update(ctx, func(q care.Queries) error {
		for i := range 40 {
			m := newText(w.conv, fmt.Sprintf("parcel number%d arrived", i), time.Duration(i)*time.Second)
			if err := q.CreateMessage(ctx, m); err != nil {
				return err
			}
			batch = append(batch, m)
		}
		if err := q.SetMessageText(ctx, batch[3].ID, "edited before commit"); err != nil {
			return err
		}
		return q.SetMessageHidden(ctx, batch[4].ID, ptr(at(time.Hour)))
	})
	must(t, err, "Update")
	if got := len(find("parcel arrived")); got != 39 {
		t.Errorf("Search(parcel arrived) = %d hits, want 39", got)
	}
	if got := find("number17"); len(got) != 1 || got[0] != batch[17].ID {
		t.Errorf("Search(number17) = %v, want [%d]", got, batch[17].ID)
	}
	if got := find("number3"); len(got) != 0 {
		t.Errorf("Search(number3) = %v: the text was edited before commit", got)
	}
	if got := find("edited commit"); len(got) != 1 || got[0] != batch[3].ID {
		t.Errorf("Search(edited commit) = %v, want [%d]", got, batch[3].ID)
	}

	// New customers, one renamed before the commit: found under the
	// names they have when it commits.
	var renamed, kept *care.Identity
	err = s.Update(ctx, func(q care.Queries) error {
		var err error
		a := care.Author{PlatformUserID: "7001", DisplayName: "Quentin Brightwater", Handle: "qbright"}
		if _, _, err = q.ResolveIdentity(ctx, w.ws.ID, care.ChannelX, a, at(0)); err != nil {
			return err
		}
		a.DisplayName, a.Handle = "Quentin Darkwater", "qdark"
		if renamed, _, err = q.ResolveIdentity(ctx, w.ws.ID, care.ChannelX, a, at(time.Minute)); err != nil {
			return err
		}
		kept, _, err = q.ResolveIdentity(ctx, w.ws.ID, care.ChannelX, care.Author{PlatformUserID: "7002", DisplayName: "Rosalind Fernhill", Handle: "rfern"}, at(0))
		return err
	})
	must(t, err, "Update")
	for _, c := range []*care.Identity{renamed, kept} {
		mustConversation(t, s, newConversation(w.inbox, c.ContactID, at(time.Hour)))
	}
	contactHits := func(q string) []care.ID {
		t.Helper()
		hits, err := s.Search(ctx, w.ws.ID, q, care.MaxSearchLimit)
		must(t, err, "Search(%q)", q)
		var ids []care.ID
		for _, h := range hits {
			if h.MessageID == 0 {
				ids = append(ids, h.ContactID)
			}
		}
		return ids
	}
	for q, want := range map[string][]care.ID{
		"Brightwater": nil, "qbright": nil,
		"Darkwater": {renamed.ContactID}, "qdark": {renamed.ContactID}, "Fernhill": {kept.ContactID}, "rfern": {kept.ContactID},
	} {
		if got := contactHits(q); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("Search(%s) = contacts %v, want %v", q, got, want)
		}
	}

	// Edited after the commit: found by the new text only.
	must(t, s.SetMessageText(ctx, batch[5].ID, "rewritten afterwards"), "SetMessageText")
	if got := find("number5"); len(got) != 0 {
		t.Errorf("Search(number5) = %v after the edit", got)
	}
	if got := find("rewritten"); len(got) != 1 || got[0] != batch[5].ID {
		t.Errorf("Search(rewritten) = %v, want [%d]", got, batch[5].ID)
	}

	// Rolled back: gone, and the next message is indexed.
	errAbort := errors.New("abort")
	err = s.Update(ctx, func(q care.Queries) error {
		if err := q.CreateMessage(ctx, newText(w.conv, "phantom words", time.Hour)); err != nil {
			return err
		}
		return errAbort
	})
	if !errors.Is(err, errAbort) {
		t.Fatalf("Update = %v, want the abort", err)
	}
	if got := find("phantom"); len(got) != 0 {
		t.Errorf("Search(phantom) = %v after a rollback", got)
	}
	err = s.Update(ctx, func(q care.Queries) error {
		if _, _, err := q.ResolveIdentity(ctx, w.ws.ID, care.ChannelX, care.Author{PlatformUserID: "7003", DisplayName: "Phantom Customer"}, at(0)); err != nil {
			return err
		}
		return errAbort
	})
	if !errors.Is(err, errAbort) {
		t.Fatalf("Update = %v, want the abort", err)
	}
	ghost, _, err := s.ResolveIdentity(ctx, w.ws.ID, care.ChannelX, care.Author{PlatformUserID: "7004", DisplayName: "Phantom Follower"}, at(0))
	must(t, err, "ResolveIdentity")
	mustConversation(t, s, newConversation(w.inbox, ghost.ContactID, at(time.Hour)))
	if got := contactHits("phantom"); len(got) != 1 || got[0] != ghost.ContactID {
		t.Errorf("Search(phantom) = contacts %v, want [%d]", got, ghost.ContactID)
	}
	after := mustMessage(t, s, newText(w.conv, "phantom follows", 2*time.Hour))
	if got := find("phantom"); len(got) != 1 || got[0] != after.ID {
		t.Errorf("Search(phantom) = %v, want [%d]", got, after.ID)
	}
}
