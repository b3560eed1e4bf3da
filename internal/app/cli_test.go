package app_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/app"
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
	if code, _, errOut := run(t, "token", "create", "--name", "x", "--role", "root"); code != 1 || !strings.Contains(errOut, "Role must be") {
		t.Errorf("token with a bad role = %d, %q", code, errOut)
	}
	if code, out, _ := run(t, "replay"); code != 0 || !strings.Contains(out, "replayed 0 events") {
		t.Errorf("replay = %d, %q", code, out)
	}
	if code, _, errOut := run(t, "replay", "--since", "yesterday"); code != 1 || !strings.Contains(errOut, "RFC 3339") {
		t.Errorf("replay with a bad time = %d, %q", code, errOut)
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
