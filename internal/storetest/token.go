package storetest

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testTokens(t *testing.T, open opener) {
	t.Run("CreateAndGet", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		u := mustUser(t, s, "ada@example.com")
		// Hashes are binary: NUL and high bytes must survive.
		hash := []byte{0x00, 0xff, 0x10, 0x00, 0x80, 'a', 0xfe}
		tok := &care.Token{WorkspaceID: ws.ID, UserID: u.ID, Name: "CRM sync", Role: care.RoleAgent, Hash: hash, CreatedAt: at(0)}
		must(t, s.CreateToken(ctx, tok), "CreateToken")
		if tok.ID == 0 {
			t.Fatal("CreateToken did not assign an ID")
		}
		want := &care.Token{ID: tok.ID, WorkspaceID: ws.ID, UserID: u.ID, Name: "CRM sync", Role: care.RoleAgent, Hash: hash, CreatedAt: micro(at(0))}
		got, err := s.TokenByHash(ctx, hash)
		must(t, err, "TokenByHash")
		if d := diff(want, got); d != "" {
			t.Errorf("TokenByHash() mismatch (-want +got):\n%s", d)
		}
		checkUTC(t, "Token.CreatedAt", got.CreatedAt)

		for _, h := range [][]byte{hash[:len(hash)-1], append(append([]byte{}, hash...), 0), {}} {
			_, err := s.TokenByHash(ctx, h)
			wantCode(t, err, care.ENOTFOUND, "TokenByHash(%x)", h)
		}
	})

	t.Run("List", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		u := mustUser(t, s, "ada@example.com")
		var want []care.Token
		for i, tok := range []*care.Token{
			{WorkspaceID: ws.ID, UserID: u.ID, Name: "a", Role: care.RoleAdmin, Hash: []byte("hash-a"), CreatedAt: at(0)},
			{WorkspaceID: other.ID, Name: "b", Role: care.RoleAgent, Hash: []byte("hash-b"), CreatedAt: at(time.Minute)},
			{WorkspaceID: ws.ID, Name: "c", Role: care.RoleSupervisor, Hash: []byte("hash-c"), CreatedAt: at(2 * time.Minute)},
		} {
			must(t, s.CreateToken(ctx, tok), "CreateToken(%d)", i)
			if tok.WorkspaceID == ws.ID {
				w := *tok
				w.CreatedAt = micro(tok.CreatedAt)
				want = append(want, w)
			}
		}
		got, err := s.Tokens(ctx, ws.ID)
		must(t, err, "Tokens")
		if d := diff(want, got); d != "" {
			t.Errorf("Tokens(%d) mismatch (-want +got):\n%s", ws.ID, d)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		tok := &care.Token{WorkspaceID: ws.ID, Name: "a", Role: care.RoleAgent, Hash: []byte("hash-a"), CreatedAt: at(0)}
		keep := &care.Token{WorkspaceID: ws.ID, Name: "b", Role: care.RoleAgent, Hash: []byte("hash-b"), CreatedAt: at(0)}
		must(t, s.CreateToken(ctx, tok), "CreateToken")
		must(t, s.CreateToken(ctx, keep), "CreateToken")

		wantCode(t, s.DeleteToken(ctx, other.ID, tok.ID), care.ENOTFOUND, "DeleteToken(other workspace)")
		if _, err := s.TokenByHash(ctx, tok.Hash); err != nil {
			t.Fatalf("TokenByHash after a refused delete: %v", err)
		}
		must(t, s.DeleteToken(ctx, ws.ID, tok.ID), "DeleteToken")
		_, err := s.TokenByHash(ctx, tok.Hash)
		wantCode(t, err, care.ENOTFOUND, "TokenByHash(deleted)")
		wantCode(t, s.DeleteToken(ctx, ws.ID, tok.ID), care.ENOTFOUND, "DeleteToken(deleted)")
		got, err := s.Tokens(ctx, ws.ID)
		must(t, err, "Tokens")
		if len(got) != 1 || got[0].ID != keep.ID {
			t.Errorf("Tokens() after delete = %v, want only token %d", got, keep.ID)
		}
	})

	t.Run("LastUsed", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		tok := &care.Token{WorkspaceID: ws.ID, Name: "used", Role: care.RoleAgent, Hash: []byte("hash-used"), CreatedAt: at(0)}
		idle := &care.Token{WorkspaceID: ws.ID, Name: "idle", Role: care.RoleAgent, Hash: []byte("hash-idle"), CreatedAt: at(0)}
		must(t, s.CreateToken(ctx, tok), "CreateToken")
		must(t, s.CreateToken(ctx, idle), "CreateToken")
		for _, step := range []struct {
			name     string
			id       care.ID
			at, want time.Time
		}{
			{"first use", tok.ID, at(time.Minute), at(time.Minute)},
			{"a later use", tok.ID, at(2*time.Minute + time.Nanosecond), at(2 * time.Minute)},
			// Two nodes may record uses out of order: the latest stays.
			{"an earlier use recorded late", tok.ID, at(90 * time.Second), at(2 * time.Minute)},
			{"the same time again", tok.ID, at(2 * time.Minute), at(2 * time.Minute)},
		} {
			must(t, s.TouchToken(ctx, step.id, step.at), "TouchToken(%s)", step.name)
			got, err := s.TokenByHash(ctx, tok.Hash)
			must(t, err, "TokenByHash(%s)", step.name)
			if got.LastUsedAt == nil || !got.LastUsedAt.Equal(micro(step.want)) {
				t.Fatalf("%s: LastUsedAt = %v, want %v", step.name, got.LastUsedAt, micro(step.want))
			}
			checkUTC(t, "Token.LastUsedAt", *got.LastUsedAt)
		}
		list, err := s.Tokens(ctx, ws.ID)
		must(t, err, "Tokens")
		if len(list) != 2 || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(micro(at(2*time.Minute))) || list[1].LastUsedAt != nil {
			t.Errorf("Tokens() = %+v, want the used token's last use and none for the idle one", list)
		}
		// A token deleted while a request it authenticated was running.
		must(t, s.DeleteToken(ctx, ws.ID, tok.ID), "DeleteToken")
		must(t, s.TouchToken(ctx, tok.ID, at(time.Hour)), "TouchToken(deleted)")
	})

	t.Run("DuplicateHash", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		must(t, s.CreateToken(ctx, &care.Token{WorkspaceID: ws.ID, Name: "a", Role: care.RoleAgent, Hash: []byte("same"), CreatedAt: at(0)}), "CreateToken")
		err := s.CreateToken(ctx, &care.Token{WorkspaceID: other.ID, Name: "b", Role: care.RoleAgent, Hash: []byte("same"), CreatedAt: at(0)})
		wantCode(t, err, care.ECONFLICT, "CreateToken(duplicate hash)")
	})
}

func testSessions(t *testing.T, open opener) {
	t.Run("CreateAndGet", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		u := mustUser(t, s, "ada@example.com")
		hash := []byte{0x00, 0x01, 0xff, 's'}
		sess := &care.Session{Hash: hash, UserID: u.ID, CSRF: "csrf-token", CreatedAt: at(0), ExpiresAt: at(24 * time.Hour)}
		must(t, s.CreateSession(ctx, sess), "CreateSession")
		want := &care.Session{Hash: hash, UserID: u.ID, CSRF: "csrf-token", CreatedAt: micro(at(0)), ExpiresAt: micro(at(24 * time.Hour))}
		got, err := s.SessionByHash(ctx, hash)
		must(t, err, "SessionByHash")
		if d := diff(want, got); d != "" {
			t.Errorf("SessionByHash() mismatch (-want +got):\n%s", d)
		}
		checkUTC(t, "Session times", got.CreatedAt, got.ExpiresAt)
		_, err = s.SessionByHash(ctx, []byte("missing"))
		wantCode(t, err, care.ENOTFOUND, "SessionByHash(missing)")
	})

	t.Run("Delete", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		u := mustUser(t, s, "ada@example.com")
		for _, h := range []string{"a", "b"} {
			must(t, s.CreateSession(ctx, &care.Session{Hash: []byte(h), UserID: u.ID, CSRF: h, CreatedAt: at(0), ExpiresAt: at(time.Hour)}), "CreateSession")
		}
		must(t, s.DeleteSession(ctx, []byte("a")), "DeleteSession")
		_, err := s.SessionByHash(ctx, []byte("a"))
		wantCode(t, err, care.ENOTFOUND, "SessionByHash(deleted)")
		if _, err := s.SessionByHash(ctx, []byte("b")); err != nil {
			t.Errorf("SessionByHash(other session): %v", err)
		}
	})

	t.Run("DeleteExpired", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		u := mustUser(t, s, "ada@example.com")
		now := at(time.Hour)
		sessions := map[string]time.Time{
			"long-gone": now.Add(-24 * time.Hour),
			"just-gone": now.Add(-time.Second),
			"live":      now.Add(time.Second),
			"long-live": now.Add(24 * time.Hour),
		}
		for h, exp := range sessions {
			must(t, s.CreateSession(ctx, &care.Session{Hash: []byte(h), UserID: u.ID, CSRF: h, CreatedAt: at(0), ExpiresAt: exp}), "CreateSession(%s)", h)
		}
		n, err := s.DeleteExpiredSessions(ctx, now)
		must(t, err, "DeleteExpiredSessions")
		if n != 2 {
			t.Errorf("DeleteExpiredSessions() = %d, want 2", n)
		}
		for h, exp := range sessions {
			_, err := s.SessionByHash(ctx, []byte(h))
			if exp.Before(now) {
				wantCode(t, err, care.ENOTFOUND, "SessionByHash(%s)", h)
			} else if err != nil {
				t.Errorf("SessionByHash(%s): %v", h, err)
			}
		}
		n, err = s.DeleteExpiredSessions(ctx, now)
		must(t, err, "DeleteExpiredSessions")
		if n != 0 {
			t.Errorf("DeleteExpiredSessions() again = %d, want 0", n)
		}
	})
}
