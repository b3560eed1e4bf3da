package app_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/app"
	"github.com/parleyhq/parley/internal/auth"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/secret"
	"github.com/parleyhq/parley/internal/sqlite"
)

// run calls the command line in-process and returns its exit code and output.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := app.Main(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PARLEY_DATA", dir)

	if code, out, _ := run(t, "migrate"); code != 0 || !strings.Contains(out, "sqlite schema is up to date") {
		t.Fatalf("migrate = %d, %q", code, out)
	}
	code, out, errOut := run(t, "token", "create", "--name", "ci", "--role", "admin")
	if code != 0 || !strings.HasPrefix(out, "prl_") || strings.Count(out, "\n") != 1 {
		t.Fatalf("token create = %d, stdout %q, stderr %q; want only the token", code, out, errOut)
	}
	code, out, _ = run(t, "user", "create", "--email", "lee@example.com", "--name", "Lee", "--role", "supervisor")
	if code != 0 || !strings.Contains(out, "lee@example.com") || !strings.Contains(out, "password: ") {
		t.Fatalf("user create = %d, %q", code, out)
	}
	if code, _, errOut := run(t, "user", "create", "--email", "lee@example.com", "--name", "Lee"); code != 1 || !strings.Contains(errOut, "already a member") {
		t.Errorf("duplicate user create = %d, %q", code, errOut)
	}
	// A lost password is replaced, printed once; the new one is the one
	// stored.
	code, out, errOut = run(t, "user", "password", "--email", "LEE@example.com")
	m := regexp.MustCompile(`(?m)^password: (\S+)$`).FindStringSubmatch(out)
	if code != 0 || !strings.Contains(out, "new password for user") || m == nil {
		t.Fatalf("user password = %d, stdout %q, stderr %q", code, out, errOut)
	}
	if !passwordIs(t, dir, "lee@example.com", m[1]) {
		t.Error("the printed password is not the one stored")
	}
	if code, out, _ := run(t, "user", "password", "--email", "lee@example.com", "--password", "correct horse battery staple"); code != 0 || strings.Contains(out, "password: ") {
		t.Errorf("user password with one given = %d, %q; want it set, not printed", code, out)
	}
	if !passwordIs(t, dir, "lee@example.com", "correct horse battery staple") {
		t.Error("the given password is not the one stored")
	}
	if code, _, errOut := run(t, "user", "password", "--email", "nobody@example.com"); code != 1 || !strings.Contains(errOut, "No user has the email") {
		t.Errorf("user password for nobody = %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, "user", "password", "--email", "lee@example.com", "--password", "short"); code != 1 || errOut == "" {
		t.Errorf("user password with a weak one = %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, "token", "create", "--name", "x", "--role", "root"); code != 1 || !strings.Contains(errOut, "Role must be") {
		t.Errorf("token with a bad role = %d, %q", code, errOut)
	}
	if code, out, _ := run(t, "replay"); code != 0 || !strings.Contains(out, "replayed 0 events") {
		t.Errorf("replay = %d, %q", code, out)
	}
	if code, _, errOut := run(t, "replay", "--since", "yesterday"); code != 1 || !strings.Contains(errOut, "RFC 3339") {
		t.Errorf("replay with a bad time = %d, %q", code, errOut)
	}
	for _, id := range []string{"999", "-3"} {
		if code, out, errOut := run(t, "replay", "--inbox", id); code != 1 || !strings.Contains(errOut, "--inbox") || out != "" {
			t.Errorf("replay --inbox %s = %d, stdout %q, stderr %q; want an error naming the inbox", id, code, out, errOut)
		}
	}

	for _, tt := range []struct {
		args []string
		code int
	}{
		{nil, 2},
		{[]string{"frobnicate"}, 2},
		{[]string{"help"}, 0},
		{[]string{"serve", "-h"}, 0},
		{[]string{"serve", "--no-such-flag"}, 1},
		{[]string{"token"}, 1},
	} {
		if code, _, _ := run(t, tt.args...); code != tt.code {
			t.Errorf("parley %v = exit %d, want %d", tt.args, code, tt.code)
		}
	}
}

func TestPostgresNeedsSharedKey(t *testing.T) {
	t.Setenv("PARLEY_DATA", t.TempDir())
	t.Setenv("PARLEY_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
	t.Setenv("PARLEY_SECRET_KEY", "")
	code, _, errOut := run(t, "migrate")
	if code != 1 || !strings.Contains(errOut, "PARLEY_SECRET_KEY is required") {
		t.Errorf("migrate on PostgreSQL without a key = %d, %q", code, errOut)
	}
}

// TestWrongSecretKey: a database whose inbox credentials were sealed with
// one key is refused, at start, with another, and a command run without
// the server's PARLEY_SECRET_KEY leaves no key file of its own behind.
func TestWrongSecretKey(t *testing.T) {
	dir := t.TempDir()
	keyA, keyB := strings.Repeat("a1", 32), strings.Repeat("b2", 32)
	key, err := secret.ParseKey(keyA)
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "parley.db"), box)
	if err != nil {
		t.Fatal(err)
	}
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := db.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateInbox(ctx, &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelSMS, Name: "SMS",
		Credentials: map[string]string{"auth_token": "s3cret"}}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	t.Setenv("PARLEY_DATA", dir)
	t.Setenv("PARLEY_SECRET_KEY", "")
	if code, out, errOut := run(t, "token", "create", "--name", "ci", "--role", "admin"); code != 1 || out != "" || !strings.Contains(errOut, "secret key does not open") {
		t.Errorf("token create with a new key file = %d, %q, %q; want the wrong key named", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "secret.key")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the refused command left a key file behind: %v", err)
	}
	t.Setenv("PARLEY_SECRET_KEY", keyB)
	if code, _, errOut := run(t, "migrate"); code != 1 || !strings.Contains(errOut, "secret key does not open") {
		t.Errorf("migrate with another key = %d, %q", code, errOut)
	}
	t.Setenv("PARLEY_SECRET_KEY", keyA)
	if code, out, errOut := run(t, "token", "create", "--name", "ci", "--role", "admin"); code != 0 || !strings.HasPrefix(out, "prl_") {
		t.Errorf("token create with the right key = %d, %q, %q", code, out, errOut)
	}
}

// passwordIs reports whether pw is the stored password of email, in the
// SQLite database of the data directory dir.
func passwordIs(t *testing.T, dir, email, pw string) bool {
	t.Helper()
	key, err := secret.LoadOrCreateKeyFile(filepath.Join(dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "parley.db"), box)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	ok, err := auth.VerifyPassword(u.PasswordHash, pw)
	return err == nil && ok
}
