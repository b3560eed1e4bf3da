package config

import (
	"flag"
	"testing"
	"time"
)

func TestPrecedence(t *testing.T) {
	t.Setenv("PARLEY_ADDR", "127.0.0.1:9999")
	t.Setenv("PARLEY_DATA", "/from/env")
	t.Setenv("PARLEY_SESSION_TTL", "2h")
	var c Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.RegisterServe(fs)
	if err := fs.Parse([]string{"--data", "/from/flag"}); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9999" || c.DataDir != "/from/flag" || c.SessionTTL != 2*time.Hour {
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
