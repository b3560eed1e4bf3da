package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/app"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/config"
	"github.com/parleyhq/parley/internal/netguard"
	"github.com/parleyhq/parley/internal/secret"
	"github.com/parleyhq/parley/internal/sqlite"
)

// The brand the demo plays, and its first admin.
const (
	brandSlug  = "orbit"
	brandName  = "Orbit Mobile"
	adminEmail = "admin@demo.parley"
	adminName  = "Avery Admin"
)

// login is a person who can sign in to the demo.
type login struct {
	Email, Password, Role, Note string
}

// parley is the demo's running Parley and what it took to start it.
type parley struct {
	app     *app.App
	cfg     *config.Config
	url     string // http://HOST:PORT, as platforms and browsers reach it
	ws      care.ID
	admin   login
	adminID care.ID
	token   string // the admin's API token
}

// dataDir returns the directory to use and how to clean it up. A directory
// given by the caller must not hold a Parley database already: the demo
// seeds a brand and fake inboxes, which have no place in a real install.
func dataDir(dir string) (string, func(), error) {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "parley-demo-")
		if err != nil {
			return "", nil, fmt.Errorf("demo: create a temporary data directory: %w", err)
		}
		return tmp, func() { os.RemoveAll(tmp) }, nil
	}
	cfg := config.Config{DataDir: dir}
	if _, err := os.Stat(cfg.SQLitePath()); err == nil {
		return "", nil, care.Errorf(care.EINVALID, "%s already holds a Parley database; the demo needs a fresh directory.", dir)
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", nil, fmt.Errorf("demo: check the data directory: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", nil, fmt.Errorf("demo: create the data directory: %w", err)
	}
	return dir, func() {}, nil
}

// resolveAddr picks a free port for port 0 now, rather than letting the
// server pick one: Parley's public URL, which Twilio's signatures cover and
// survey links carry, is fixed before it listens. Another process could take
// the port in between; Start then fails to listen and says so.
func resolveAddr(addr string) (string, error) {
	_, port, err := net.SplitHostPort(addr)
	if err != nil || port != "0" {
		return addr, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("demo: find a free port on %s: %w", addr, err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startParley prepares a fresh data directory the way an operator would
// before the first `parley serve` (`parley user create`, `parley token
// create`), then starts Parley on it.
func startParley(ctx context.Context, dir, addr string, log *slog.Logger) (*parley, error) {
	addr, err := resolveAddr(addr)
	if err != nil {
		return nil, err
	}
	cfg := &config.Config{
		Addr:      addr,
		DataDir:   dir,
		LogFormat: "text", LogLevel: "info",
		AdminEmail: adminEmail,
		// The demo serves plain HTTP on loopback; whether a browser keeps a
		// Secure cookie from http://127.0.0.1 varies, and nothing here
		// leaves the machine.
		SecureCookies:   false,
		SessionTTL:      12 * time.Hour,
		ShutdownTimeout: 10 * time.Second,
		// Time-based automation (closing silent pending conversations)
		// runs only where polling is on.
		Poll: true,
		// The demo's platforms are fakes on 127.0.0.1.
		AllowHosts: netguard.Loopback,
	}
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	p := &parley{cfg: cfg, url: cfg.PublicURL}
	if err := p.prepare(ctx); err != nil {
		return nil, err
	}
	// The first-run notice is not printed: the admin exists already, and
	// the demo prints every login itself.
	a, err := app.Start(ctx, cfg, log, io.Discard)
	if err != nil {
		return nil, fmt.Errorf("demo: start Parley: %w", err)
	}
	p.app = a
	return p, nil
}

// prepare creates the brand's workspace, its first admin and an admin API
// token in the new database, before Parley first opens it, so the admin
// belongs to the brand rather than to a "default" workspace.
func (p *parley) prepare(ctx context.Context) error {
	key, err := secret.LoadOrCreateKeyFile(p.cfg.KeyFile())
	if err != nil {
		return fmt.Errorf("demo: secret key: %w", err)
	}
	box, err := secret.NewBox(key)
	if err != nil {
		return fmt.Errorf("demo: secret key: %w", err)
	}
	store, err := sqlite.Open(ctx, filepath.Clean(p.cfg.SQLitePath()), box)
	if err != nil {
		return fmt.Errorf("demo: open the database: %w", err)
	}
	defer store.Close()
	now := time.Now()
	ws := &care.Workspace{Slug: brandSlug, Name: brandName, CreatedAt: now}
	if err := store.CreateWorkspace(ctx, ws); err != nil {
		return fmt.Errorf("demo: create the brand's workspace: %w", err)
	}
	u, password, err := accounts.CreateUser(ctx, store, ws.ID, adminEmail, adminName, care.RoleAdmin, "", now)
	if err != nil {
		return fmt.Errorf("demo: create the admin: %w", err)
	}
	t, token, err := accounts.CreateToken(ctx, store, ws.ID, u.ID, "demo seeding", care.RoleAdmin, now)
	if err != nil {
		return fmt.Errorf("demo: create the admin's token: %w", err)
	}
	if err := store.AppendAudit(ctx, &care.AuditEntry{WorkspaceID: ws.ID, Actor: "demo", Action: "token.create",
		Target: fmt.Sprintf("token:%d", t.ID), CreatedAt: now}); err != nil {
		return fmt.Errorf("demo: audit the admin's token: %w", err)
	}
	p.ws, p.adminID, p.token = ws.ID, u.ID, token
	p.admin = login{Email: u.Email, Password: password, Role: "admin", Note: "also the PR & Marketing team and its approver"}
	return nil
}

// close shuts Parley down gracefully.
func (p *parley) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), p.cfg.ShutdownTimeout)
	defer cancel()
	return p.app.Close(ctx)
}
