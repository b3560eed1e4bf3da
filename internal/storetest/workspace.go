package storetest

import (
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func testWorkspaces(t *testing.T, open opener) {
	t.Run("CreateAndGet", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := &care.Workspace{Slug: "acme", Name: "Acme Support", CreatedAt: at(0)}
		must(t, s.CreateWorkspace(ctx, w), "CreateWorkspace")
		if w.ID == 0 {
			t.Fatal("CreateWorkspace did not assign an ID")
		}
		want := &care.Workspace{ID: w.ID, Slug: "acme", Name: "Acme Support", CreatedAt: micro(at(0))}

		got, err := s.Workspace(ctx, w.ID)
		must(t, err, "Workspace(%d)", w.ID)
		if d := diff(want, got); d != "" {
			t.Errorf("Workspace(%d) mismatch (-want +got):\n%s", w.ID, d)
		}
		checkUTC(t, "Workspace.CreatedAt", got.CreatedAt)

		got, err = s.WorkspaceBySlug(ctx, "acme")
		must(t, err, "WorkspaceBySlug")
		if d := diff(want, got); d != "" {
			t.Errorf("WorkspaceBySlug(%q) mismatch (-want +got):\n%s", "acme", d)
		}
	})

	t.Run("List", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		got, err := s.Workspaces(ctx)
		must(t, err, "Workspaces")
		if len(got) != 0 {
			t.Fatalf("Workspaces() on a fresh store = %v, want none", got)
		}
		var want []care.Workspace
		for _, slug := range []string{"b-brand", "a-brand", "c-brand"} {
			w := mustWorkspace(t, s, slug)
			want = append(want, care.Workspace{ID: w.ID, Slug: slug, Name: w.Name, CreatedAt: micro(at(0))})
		}
		got, err = s.Workspaces(ctx)
		must(t, err, "Workspaces")
		if d := diff(want, got); d != "" {
			t.Errorf("Workspaces() mismatch (-want +got):\n%s", d)
		}
	})

	t.Run("DuplicateSlug", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		mustWorkspace(t, s, "acme")
		err := s.CreateWorkspace(ctx, &care.Workspace{Slug: "acme", Name: "Other", CreatedAt: at(0)})
		wantCode(t, err, care.ECONFLICT, "CreateWorkspace(duplicate slug)")
		got, err := s.Workspaces(ctx)
		must(t, err, "Workspaces")
		if len(got) != 1 {
			t.Errorf("Workspaces() after a conflict = %d workspaces, want 1", len(got))
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		mustWorkspace(t, s, "acme")
		_, err := s.Workspace(ctx, missingID)
		wantCode(t, err, care.ENOTFOUND, "Workspace(missing)")
		_, err = s.WorkspaceBySlug(ctx, "nope")
		wantCode(t, err, care.ENOTFOUND, "WorkspaceBySlug(missing)")
	})
}
