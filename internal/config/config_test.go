package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPrecedence(t *testing.T) {
	t.Setenv("PARLEY_ADDR", "127.0.0.1:9999")
	t.Setenv("PARLEY_DATA", "/from/env")
	t.Setenv("PARLEY_SESSION_TTL", "2h")
	t.Setenv("PARLEY_ALLOW_HOSTS", "10.0.0.0/8")
	var c Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.RegisterServe(fs)
	if err := fs.Parse([]string{"--data", "/from/flag"}); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9999" || c.DataDir != "/from/flag" || c.SessionTTL != 2*time.Hour || c.AllowHosts != "10.0.0.0/8" {
		t.Errorf("config = %+v; want addr from env, data from flag, ttl from env", c)
	}
	if err := c.Check(); err != nil {
		t.Errorf("Check() = %v", err)
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		c    Config
		ok   bool
	}{
		{"sqlite", Config{LogFormat: "text", LogLevel: "info"}, true},
		{"postgres", Config{DatabaseURL: "postgres://u@h/db", LogFormat: "json", LogLevel: "debug"}, true},
		{"mysql", Config{DatabaseURL: "mysql://u@h/db", LogFormat: "text", LogLevel: "info"}, false},
		{"bad format", Config{LogFormat: "xml", LogLevel: "info"}, false},
		{"bad level", Config{LogFormat: "text", LogLevel: "loud"}, false},
		{"nats with postgres", Config{DatabaseURL: "postgres://u@h/db", NATSURL: "nats://127.0.0.1:4222", NATSReplicas: 1, LogFormat: "text", LogLevel: "info"}, true},
		{"nats without postgres", Config{NATSURL: "nats://127.0.0.1:4222", LogFormat: "text", LogLevel: "info"}, false},
		{"nats on three servers", Config{DatabaseURL: "postgres://u@h/db", NATSURL: "nats://127.0.0.1:4222", NATSReplicas: 3, LogFormat: "text", LogLevel: "info"}, true},
		{"allowed hosts", Config{AllowHosts: "imap.corp.example, 10.0.0.0/8,fd00::/8", LogFormat: "text", LogLevel: "info"}, true},
		{"allowed host that is a URL", Config{AllowHosts: "http://imap.corp.example", LogFormat: "text", LogLevel: "info"}, false},
		{"allowed CIDR out of range", Config{AllowHosts: "10.0.0.0/40", LogFormat: "text", LogLevel: "info"}, false},
		{"nats on seven servers", Config{DatabaseURL: "postgres://u@h/db", NATSURL: "nats://127.0.0.1:4222", NATSReplicas: 7, LogFormat: "text", LogLevel: "info"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.c.Check(); (err == nil) != tt.ok {
				t.Errorf("Check() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestEventPollFor(t *testing.T) {
	pg, nats := "postgres://u@h/db", "nats://127.0.0.1:4222"
	for _, tt := range []struct {
		name string
		c    Config
		want time.Duration
	}{
		{"sqlite: one node, nothing to re-read", Config{}, 0},
		{"postgres: the re-read is the only news", Config{DatabaseURL: pg}, 2 * time.Second},
		{"postgres with nats: the re-read covers an outage", Config{DatabaseURL: pg, NATSURL: nats}, 30 * time.Second},
		{"set", Config{DatabaseURL: pg, NATSURL: nats, EventPoll: 5 * time.Second}, 5 * time.Second},
	} {
		if got := tt.c.EventPollFor(); got != tt.want {
			t.Errorf("%s: EventPollFor() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// The NATS credentials and TLS files are checked at start: a combination
// that cannot work, or a file that cannot be read, names the setting.
func TestCheckNATSFiles(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "x.pem")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.creds")
	nats := func(c Config) Config {
		c.DatabaseURL, c.NATSURL, c.LogFormat, c.LogLevel = "postgres://u@h/db", "tls://127.0.0.1:4222", "text", "info"
		return c
	}
	for _, tt := range []struct {
		name string
		c    Config
		want string // "" for no error
	}{
		{"creds", nats(Config{NATSCreds: file}), ""},
		{"nkey and mutual TLS", nats(Config{NATSNkey: file, NATSCA: file, NATSCert: file, NATSKey: file}), ""},
		{"files without a server", Config{NATSCA: file, LogFormat: "text", LogLevel: "info"}, "PARLEY_NATS_CA is set but PARLEY_NATS_URL is not"},
		{"creds and nkey", nats(Config{NATSCreds: file, NATSNkey: file}), "set one of them"},
		{"cert without key", nats(Config{NATSCert: file}), "PARLEY_NATS_CERT needs its private key in PARLEY_NATS_KEY"},
		{"key without cert", nats(Config{NATSKey: file}), "PARLEY_NATS_KEY needs its client certificate"},
		{"missing creds", nats(Config{NATSCreds: missing}), "PARLEY_NATS_CREDS: open " + missing + ": no such file"},
		{"directory as CA", nats(Config{NATSCA: dir}), "PARLEY_NATS_CA: " + dir + " is a directory"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Check()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Check() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Check() = %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

func TestNATSFlags(t *testing.T) {
	t.Setenv("PARLEY_NATS_CREDS", "/etc/parley/nats.creds")
	t.Setenv("PARLEY_NATS_CA", "/etc/parley/ca.pem")
	var c Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.RegisterServe(fs)
	if err := fs.Parse([]string{"--nats-cert", "/c.pem", "--nats-key", "/k.pem", "--nats-ca", "/flag-ca.pem"}); err != nil {
		t.Fatal(err)
	}
	if c.NATSCreds != "/etc/parley/nats.creds" || c.NATSCA != "/flag-ca.pem" || c.NATSCert != "/c.pem" || c.NATSKey != "/k.pem" || c.NATSNkey != "" {
		t.Errorf("config = %+v; want creds from env, the rest from flags", c)
	}
}

func TestMetricsToken(t *testing.T) {
	for _, tt := range []struct {
		name, env string
		args      []string
		want      string
	}{
		{"unset", "", nil, ""},
		{"variable", "from-env", nil, "from-env"},
		{"flag wins", "from-env", []string{"--metrics-token", "from-flag"}, "from-flag"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv("PARLEY_METRICS_TOKEN", tt.env)
			}
			var c Config
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			c.RegisterServe(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			if c.MetricsToken != tt.want {
				t.Errorf("MetricsToken = %q, want %q", c.MetricsToken, tt.want)
			}
		})
	}
}
