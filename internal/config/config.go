// Package config reads Parley's settings from flags and PARLEY_* environment
// variables. A flag set on the command line wins over its variable, which
// wins over the default.
package config

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/netguard"
)

// Config is everything `parley serve` and the other commands need.
type Config struct {
	Addr            string
	PublicURL       string
	DataDir         string
	DatabaseURL     string
	SecretKey       string
	AdminEmail      string
	LogFormat       string
	LogLevel        string
	SecureCookies   bool
	SessionTTL      time.Duration
	ShutdownTimeout time.Duration
	Poll            bool
	// NATSURL, when set, carries word of new events between nodes over
	// NATS JetStream (natsbus); NATSStream names the stream.
	NATSURL    string
	NATSStream string
	// NATSReplicas is how many NATS servers keep the stream when Parley
	// creates it; 0 means 1.
	NATSReplicas int
	// NATSCreds (a .creds file) or NATSNkey (a user nkey seed file) log
	// in to NATS; NATSCA verifies its servers' certificates, and
	// NATSCert with NATSKey is the client certificate of mutual TLS.
	// Paths, all of them: the secrets stay in the files.
	NATSCreds, NATSNkey       string
	NATSCA, NATSCert, NATSKey string
	// EventPoll is how often event streams and web chats re-read the store
	// for events other nodes wrote; 0 chooses by the setup (EventPollFor).
	EventPoll time.Duration
	// AllowHosts is the comma-separated list of hostnames and CIDRs the
	// connections Parley makes for inboxes and automation webhooks may
	// reach although they are not public (netguard.Parse): a mail server
	// or Mastodon instance on the company network, a local fake.
	AllowHosts string
	// StreamRecheck is how often an open event stream authenticates its
	// caller again (api.Server.StreamRecheck); 0 means the default. No
	// flag sets it: tests shorten it.
	StreamRecheck time.Duration
	// MetricsToken, when set, is the bearer token /metrics asks for;
	// empty leaves /metrics open.
	MetricsToken string
}

// SQLitePath is where the embedded database lives.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "parley.db") }

// KeyFile is where a generated secret key is kept when none is configured.
func (c *Config) KeyFile() string { return filepath.Join(c.DataDir, "secret.key") }

// UsesPostgres reports whether the store is PostgreSQL.
func (c *Config) UsesPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// EventPollFor is how often event streams re-read the store for other
// nodes' events: never on SQLite, which has one node; every 2 s on
// PostgreSQL, where the re-read is the only news of other nodes; every 30 s
// with NATS, which brings the news at once and the re-read only covers a
// NATS outage.
func (c *Config) EventPollFor() time.Duration {
	switch {
	case c.EventPoll > 0:
		return c.EventPoll
	case !c.UsesPostgres():
		return 0
	case c.NATSURL != "":
		return 30 * time.Second
	default:
		return 2 * time.Second
	}
}

// Register adds the storage flags every command shares.
func (c *Config) Register(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", env("PARLEY_DATA", "parley-data"), "data directory for the embedded database and key (PARLEY_DATA)")
	fs.StringVar(&c.DatabaseURL, "database-url", env("PARLEY_DATABASE_URL", ""), "postgres://... to use PostgreSQL instead of embedded SQLite (PARLEY_DATABASE_URL)")
	fs.StringVar(&c.SecretKey, "secret-key", env("PARLEY_SECRET_KEY", ""), "32-byte key, hex or base64, sealing inbox credentials; default: a key file in the data directory (PARLEY_SECRET_KEY)")
	fs.StringVar(&c.LogFormat, "log-format", env("PARLEY_LOG_FORMAT", "text"), "log format: text or json (PARLEY_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", env("PARLEY_LOG_LEVEL", "info"), "log level: debug, info, warn or error (PARLEY_LOG_LEVEL)")
}

// RegisterServe adds the flags of `parley serve`.
func (c *Config) RegisterServe(fs *flag.FlagSet) {
	c.Register(fs)
	fs.StringVar(&c.Addr, "addr", env("PARLEY_ADDR", "127.0.0.1:8080"), "HOST:PORT to listen on (PARLEY_ADDR)")
	fs.StringVar(&c.PublicURL, "public-url", env("PARLEY_PUBLIC_URL", ""), "URL where platforms reach this server, for the webhook addresses shown to admins; default http://ADDR (PARLEY_PUBLIC_URL)")
	fs.StringVar(&c.AdminEmail, "admin-email", env("PARLEY_ADMIN_EMAIL", "admin@parley.local"), "login of the first admin, created at first start (PARLEY_ADMIN_EMAIL)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", envBool("PARLEY_SECURE_COOKIES", true), "mark session cookies Secure; browsers accept them on http://localhost too (PARLEY_SECURE_COOKIES)")
	fs.DurationVar(&c.SessionTTL, "session-ttl", envDuration("PARLEY_SESSION_TTL", 12*time.Hour), "how long a login lasts (PARLEY_SESSION_TTL)")
	fs.BoolVar(&c.Poll, "poll", envBool("PARLEY_POLL", true), "poll the inboxes that have no webhook and follow streams; safe on every node, a lease lets one poll each inbox (PARLEY_POLL)")
	fs.StringVar(&c.NATSURL, "nats-url", env("PARLEY_NATS_URL", ""), "nats://host:4222 or tls://host:4222, JetStream enabled, to tell other nodes of new events at once; needs PostgreSQL (PARLEY_NATS_URL)")
	fs.StringVar(&c.NATSStream, "nats-stream", env("PARLEY_NATS_STREAM", "PARLEY_EVENTS"), "JetStream stream for event notices; one per installation sharing a NATS account (PARLEY_NATS_STREAM)")
	fs.IntVar(&c.NATSReplicas, "nats-replicas", envInt("PARLEY_NATS_REPLICAS", 1), "servers of a NATS cluster that keep the stream when Parley creates it, 1 to 5; an existing stream is used as it is (PARLEY_NATS_REPLICAS)")
	fs.StringVar(&c.NATSCreds, "nats-creds", env("PARLEY_NATS_CREDS", ""), "NATS credentials file (.creds: user JWT and nkey seed) for a server in operator mode (PARLEY_NATS_CREDS)")
	fs.StringVar(&c.NATSNkey, "nats-nkey", env("PARLEY_NATS_NKEY", ""), "file holding a NATS user nkey seed (SU...), instead of credentials (PARLEY_NATS_NKEY)")
	fs.StringVar(&c.NATSCA, "nats-ca", env("PARLEY_NATS_CA", ""), "PEM file of the CA certificates that verify the NATS servers; turns TLS on (PARLEY_NATS_CA)")
	fs.StringVar(&c.NATSCert, "nats-cert", env("PARLEY_NATS_CERT", ""), "PEM client certificate for NATS servers that verify clients (mutual TLS); needs --nats-key (PARLEY_NATS_CERT)")
	fs.StringVar(&c.NATSKey, "nats-key", env("PARLEY_NATS_KEY", ""), "PEM private key of --nats-cert (PARLEY_NATS_KEY)")
	fs.StringVar(&c.AllowHosts, "allow-hosts", env("PARLEY_ALLOW_HOSTS", ""), "comma-separated hostnames and CIDRs inboxes and webhooks may connect to although they are loopback, private or link-local, e.g. imap.corp.example,10.0.0.0/8; default: public addresses only (PARLEY_ALLOW_HOSTS)")
	fs.DurationVar(&c.EventPoll, "event-poll", envDuration("PARLEY_EVENT_POLL", 0), "how often live views re-read the database for other nodes' events; 0: 2s on PostgreSQL, 30s with NATS (PARLEY_EVENT_POLL)")
	fs.StringVar(&c.MetricsToken, "metrics-token", env("PARLEY_METRICS_TOKEN", ""), "bearer token Prometheus must send to read /metrics; empty leaves /metrics open (PARLEY_METRICS_TOKEN)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", envDuration("PARLEY_SHUTDOWN_TIMEOUT", 20*time.Second), "how long a graceful shutdown may take (PARLEY_SHUTDOWN_TIMEOUT)")
}

// Check validates the configuration.
func (c *Config) Check() error {
	if c.DatabaseURL != "" && !c.UsesPostgres() {
		return fmt.Errorf("config: PARLEY_DATABASE_URL must start with postgres:// (leave it empty for embedded SQLite)")
	}
	if c.NATSURL != "" && !c.UsesPostgres() {
		return fmt.Errorf("config: PARLEY_NATS_URL connects nodes that share a PostgreSQL database; set PARLEY_DATABASE_URL too, or leave PARLEY_NATS_URL empty for one node on SQLite")
	}
	if c.NATSReplicas == 0 {
		c.NATSReplicas = 1
	}
	if c.NATSURL != "" && (c.NATSReplicas < 1 || c.NATSReplicas > 5) {
		return fmt.Errorf("config: PARLEY_NATS_REPLICAS must be 1 to 5 (JetStream's limit), not %d", c.NATSReplicas)
	}
	if err := c.checkNATSFiles(); err != nil {
		return err
	}
	if _, err := netguard.Parse(c.AllowHosts); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if c.PublicURL == "" && c.Addr != "" {
		c.PublicURL = "http://" + c.Addr
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("config: log format must be text or json, not %q", c.LogFormat)
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: log level must be debug, info, warn or error, not %q", c.LogLevel)
	}
	return nil
}

// checkNATSFiles checks that the NATS credentials and TLS files make a
// combination that can work and can be read. What they hold is checked
// when the node connects (natsbus.Connect).
func (c *Config) checkNATSFiles() error {
	files := []struct{ name, path string }{
		{"PARLEY_NATS_CREDS", c.NATSCreds}, {"PARLEY_NATS_NKEY", c.NATSNkey},
		{"PARLEY_NATS_CA", c.NATSCA}, {"PARLEY_NATS_CERT", c.NATSCert}, {"PARLEY_NATS_KEY", c.NATSKey},
	}
	for _, f := range files {
		if f.path != "" && c.NATSURL == "" {
			return fmt.Errorf("config: %s is set but PARLEY_NATS_URL is not; set the NATS server too, or leave %s empty", f.name, f.name)
		}
	}
	switch {
	case c.NATSCreds != "" && c.NATSNkey != "":
		return errors.New("config: PARLEY_NATS_CREDS and PARLEY_NATS_NKEY are two ways to log in to NATS; set one of them")
	case c.NATSCert != "" && c.NATSKey == "":
		return errors.New("config: PARLEY_NATS_CERT needs its private key in PARLEY_NATS_KEY")
	case c.NATSKey != "" && c.NATSCert == "":
		return errors.New("config: PARLEY_NATS_KEY needs its client certificate in PARLEY_NATS_CERT")
	}
	for _, f := range files {
		if f.path == "" {
			continue
		}
		fh, err := os.Open(f.path)
		if err != nil {
			return fmt.Errorf("config: %s: %w", f.name, err)
		}
		st, err := fh.Stat()
		fh.Close()
		if err == nil && st.IsDir() {
			err = fmt.Errorf("%s is a directory, not a file", f.path)
		}
		if err != nil {
			return fmt.Errorf("config: %s: %w", f.name, err)
		}
	}
	return nil
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envBool(name string, def bool) bool {
	if v, ok := os.LookupEnv(name); ok {
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
	}
	return def
}

func envInt(name string, def int) int {
	if v, ok := os.LookupEnv(name); ok {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, ok := os.LookupEnv(name); ok {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}
