package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/config"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/postgres"
	"github.com/parleyhq/parley/internal/sqlite"
	"github.com/parleyhq/parley/internal/sqlstore"
	"github.com/parleyhq/parley/internal/triage"
)

// migrate applies pending migrations. Opening a store migrates it; this
// command reports what it did, for operators who migrate before rolling out.
func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config.Config
	if err := parseFlags("migrate", args, stderr, cfg.Register); err != nil {
		return err
	}
	store, err := openStore(ctx, &cfg, newLogger(&cfg, stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	fs := sqlite.Migrations()
	if cfg.UsesPostgres() {
		fs = postgres.Migrations()
	}
	applied, err := sqlstore.Migrate(ctx, store.Writer(), fs, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s schema is up to date (%d migrations applied now)\n", store.Dialect(), len(applied))
	return nil
}

// replay marks stored inbound events unprocessed and runs the pipeline on
// them. Threading is idempotent: messages already stored are skipped.
func replay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config.Config
	var inbox int64
	var since string
	err := parseFlags("replay", args, stderr, func(fs *flag.FlagSet) {
		cfg.Register(fs)
		fs.Int64Var(&inbox, "inbox", 0, "replay only this inbox's events (default: all)")
		fs.StringVar(&since, "since", "", "replay events received at or after this RFC 3339 time (default: all)")
	})
	if err != nil {
		return err
	}
	var from time.Time
	if since != "" {
		if from, err = time.Parse(time.RFC3339, since); err != nil {
			return fmt.Errorf("--since must be an RFC 3339 time such as 2026-11-24T09:00:00Z")
		}
	}
	if inbox < 0 {
		return fmt.Errorf("--inbox must be an inbox id (see GET /api/v1/inboxes), or 0 for all")
	}
	log := newLogger(&cfg, stderr)
	store, err := openStore(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	// "Replayed 0 events" for a mistyped id would read as "nothing to do".
	if inbox > 0 {
		if _, err := store.Inbox(ctx, inbox); care.ErrorCode(err) == care.ENOTFOUND {
			return fmt.Errorf("--inbox %d: there is no such inbox", inbox)
		} else if err != nil {
			return fmt.Errorf("--inbox %d: %w", inbox, err)
		}
	}
	n, err := store.ResetRaw(ctx, inbox, from)
	if err != nil {
		return err
	}
	p := &ingest.Pipeline{Store: store, Logger: log, Triage: &triage.Triager{Store: store}}
	done := 0
	for {
		k, err := p.RunOnce(ctx)
		if err != nil {
			return err
		}
		if k == 0 {
			break
		}
		done += k
		fmt.Fprintf(stderr, "\rreplayed %d of %d events", done, n)
	}
	fmt.Fprintf(stderr, "\n")
	fmt.Fprintf(stdout, "replayed %d events\n", done)
	return nil
}

const userUsage = `usage: parley user create --email ADDR --name NAME --role admin|supervisor|agent [--password PW] [--workspace SLUG]
       parley user password --email ADDR [--password PW]`

func userCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "password" {
		return userPasswordCmd(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "create" {
		return errors.New(userUsage)
	}
	var cfg config.Config
	var email, name, role, password, ws string
	err := parseFlags("user create", args[1:], stderr, func(fs *flag.FlagSet) {
		cfg.Register(fs)
		fs.StringVar(&email, "email", "", "the user's email address, their login")
		fs.StringVar(&name, "name", "", "the user's name as colleagues see it")
		fs.StringVar(&role, "role", "agent", "admin, supervisor or agent")
		fs.StringVar(&password, "password", "", "initial password (default: generated and printed)")
		fs.StringVar(&ws, "workspace", "", "workspace slug (default: the first workspace)")
	})
	if err != nil {
		return err
	}
	store, err := openStore(ctx, &cfg, newLogger(&cfg, stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	w, err := workspaceBySlug(ctx, store, ws)
	if err != nil {
		return err
	}
	u, generated, err := accounts.CreateUser(ctx, store, w.ID, email, name, care.Role(role), password, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "user %d %s (%s in %s)\n", u.ID, u.Email, role, w.Slug)
	if generated != "" {
		fmt.Fprintf(stdout, "password: %s\n", generated)
	}
	return nil
}

// userPasswordCmd sets a new password for a user who lost theirs, the
// first admin's included: printed once when generated, as at creation.
func userPasswordCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config.Config
	var email, password string
	err := parseFlags("user password", args, stderr, func(fs *flag.FlagSet) {
		cfg.Register(fs)
		fs.StringVar(&email, "email", "", "the user's email address, their login")
		fs.StringVar(&password, "password", "", "the new password (default: generated and printed)")
	})
	if err != nil {
		return err
	}
	if email == "" {
		return errors.New(userUsage)
	}
	store, err := openStore(ctx, &cfg, newLogger(&cfg, stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	u, generated, err := accounts.SetPassword(ctx, store, email, password)
	if err != nil {
		return err
	}
	ms, err := store.Memberships(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := store.AppendAudit(ctx, &care.AuditEntry{WorkspaceID: m.WorkspaceID, Actor: "cli", Action: "user.password",
			Target: fmt.Sprintf("user:%d", u.ID), CreatedAt: time.Now()}); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "new password for user %d %s\n", u.ID, u.Email)
	if generated != "" {
		fmt.Fprintf(stdout, "password: %s\n", generated)
	}
	return nil
}

// tokenCmd prints only the new token, so scripts can capture it:
// TOKEN=$(parley token create --name ci --role admin).
func tokenCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: parley token create --name NAME --role admin|supervisor|agent [--workspace SLUG]")
	}
	var cfg config.Config
	var name, role, ws string
	err := parseFlags("token create", args[1:], stderr, func(fs *flag.FlagSet) {
		cfg.Register(fs)
		fs.StringVar(&name, "name", "", "what the token is for")
		fs.StringVar(&role, "role", "agent", "admin, supervisor or agent")
		fs.StringVar(&ws, "workspace", "", "workspace slug (default: the first workspace)")
	})
	if err != nil {
		return err
	}
	store, err := openStore(ctx, &cfg, newLogger(&cfg, stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	w, err := workspaceBySlug(ctx, store, ws)
	if err != nil {
		return err
	}
	t, secret, err := accounts.CreateToken(ctx, store, w.ID, 0, name, care.Role(role), time.Now())
	if err != nil {
		return err
	}
	if err := store.AppendAudit(ctx, &care.AuditEntry{WorkspaceID: w.ID, Actor: "cli", Action: "token.create",
		Target: fmt.Sprintf("token:%d", t.ID), CreatedAt: time.Now()}); err != nil {
		return err
	}
	fmt.Fprintln(stdout, secret)
	return nil
}
