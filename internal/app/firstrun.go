package app

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/config"
)

// firstRun prepares a fresh install: a default workspace and, when there is
// no user at all, the first admin, whose password is printed this once.
func firstRun(ctx context.Context, store care.Store, cfg *config.Config, stdout io.Writer) error {
	ws, err := defaultWorkspace(ctx, store)
	if err != nil {
		return err
	}
	n, err := store.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	u, password, err := accounts.CreateUser(ctx, store, ws.ID, cfg.AdminEmail, "Admin", care.RoleAdmin, "", time.Now())
	if care.ErrorCode(err) == care.ECONFLICT {
		// Another node starting on the same database made the first
		// admin a moment ago, and printed its password.
		return nil
	}
	if err != nil {
		return fmt.Errorf("create first admin: %w", err)
	}
	fmt.Fprintf(stdout, "\nParley's first admin was created. Sign in with:\n\n    email:    %s\n    password: %s\n\nThis password is shown once; change it after signing in.\n\nNew to Parley? \"parley demo\" (go run ./cmd/parley demo) shows it handling a brand's\ncustomers on every channel, with nothing to connect.\n\n", u.Email, password)
	return nil
}

// defaultWorkspace returns the first workspace, creating "default" if none.
func defaultWorkspace(ctx context.Context, store care.Store) (*care.Workspace, error) {
	wss, err := store.Workspaces(ctx)
	if err != nil {
		return nil, err
	}
	if len(wss) > 0 {
		return &wss[0], nil
	}
	ws := &care.Workspace{Slug: "default", Name: "Default workspace", CreatedAt: time.Now()}
	err = store.CreateWorkspace(ctx, ws)
	if care.ErrorCode(err) == care.ECONFLICT {
		// Another node starting on the same database made it first.
		if wss, err = store.Workspaces(ctx); err == nil && len(wss) > 0 {
			return &wss[0], nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("create default workspace: %w", err)
	}
	return ws, nil
}

// workspaceBySlug finds the named workspace, or the default one for "".
func workspaceBySlug(ctx context.Context, store care.Store, slug string) (*care.Workspace, error) {
	if slug == "" {
		return defaultWorkspace(ctx, store)
	}
	return store.WorkspaceBySlug(ctx, slug)
}
