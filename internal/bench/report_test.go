package bench

import (
	"encoding/json"
	"testing"
	"time"
)

func TestThousands(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{999.4, "999"},
		{999.6, "1,000"},
		{12345, "12,345"},
		{1234567.8, "1,234,568"},
		{-4321, "-4,321"},
	}
	for _, tt := range tests {
		if got := thousands(tt.v); got != tt.want {
			t.Errorf("thousands(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestFmtMS(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{1234 * time.Microsecond, "1.23 ms"},
		{45678 * time.Microsecond, "45.7 ms"},
		{213 * time.Millisecond, "213 ms"},
	}
	for _, tt := range tests {
		if got := fmtMS(tt.d); got != tt.want {
			t.Errorf("fmtMS(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestEvaluate(t *testing.T) {
	r := &Report{
		Store:    "sqlite",
		Bare:     &Bare{Throughput: Throughput{PerCPUSecond: 30000}},
		Ingest:   &Ingest{Acknowledged: Throughput{PerSecond: 6000, PerCPUSecond: 12000}, Threaded: Throughput{PerCPUSecond: 9000}, Latency: Latency{P99: 60 * time.Millisecond}},
		Webhooks: &Ingest{Acknowledged: Throughput{PerSecond: 1999}, Latency: Latency{P99: 50 * time.Millisecond}},
		List:     &List{Total: 2000, Store: Latency{P99: time.Millisecond}, HTTP: Latency{P99: 2 * time.Millisecond}, UsesIndex: true},
	}
	got := map[string]Target{}
	for _, tg := range evaluate(r) {
		got[tg.Name] = tg
	}
	tests := []struct {
		name          string
		met, offScale bool
	}{
		{"ingest, acknowledged", true, false},
		{"ingest, p99 acknowledgement", false, false},
		{"Parley / bare, msg per CPU-second", false, false}, // 9,000/30,000 = 0.30
		{"signed webhooks, acknowledged", false, false},
		{"signed webhooks, p99 acknowledgement", true, false},
		{"conversation list p99, store", true, true},
		{"conversation list p99, HTTP", true, true},
		{"conversation list uses conversations_assignee", true, false},
	}
	for _, tt := range tests {
		tg, ok := got[tt.name]
		if !ok {
			t.Errorf("evaluate has no target %q", tt.name)
			continue
		}
		if tg.Met != tt.met || tg.OffScale != tt.offScale {
			t.Errorf("target %q: met %v, off scale %v; want %v, %v", tt.name, tg.Met, tg.OffScale, tt.met, tt.offScale)
		}
	}
}

func TestLatencyJSON(t *testing.T) {
	want := Latency{Count: 3, P50: 1234 * time.Microsecond, P90: 20 * time.Millisecond, P99: 45678 * time.Microsecond, Max: time.Second}
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatalf("json.Marshal(%+v): %v", want, err)
	}
	if got, wantJSON := string(b), `{"count":3,"p50_ms":1.234,"p90_ms":20,"p99_ms":45.678,"max_ms":1000}`; got != wantJSON {
		t.Errorf("json.Marshal(%+v) = %s, want %s", want, got, wantJSON)
	}
	var got Latency
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("json.Unmarshal(%s): %v", b, err)
	}
	if got != want {
		t.Errorf("round trip = %+v, want %+v", got, want)
	}
}
