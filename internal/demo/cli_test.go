package demo

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// The demo's flags read their PARLEY_* variables as serve's do: the
// variable over the default, the command line over the variable.
func TestFlagsFromEnv(t *testing.T) {
	for _, tt := range []struct {
		name        string
		env         map[string]string
		args        []string
		want        Options
		wantVerbose bool
	}{
		{"defaults", nil, nil, Options{Addr: DefaultAddr, Speed: 1}, false},
		{"every variable", map[string]string{
			"PARLEY_ADDR": "127.0.0.1:18097", "PARLEY_DATA": "/tmp/demo-data", "PARLEY_SEED": "42", "PARLEY_SPEED": "10",
			"PARLEY_HEADLESS": "true", "PARLEY_RATE": "200", "PARLEY_DURATION": "10s", "PARLEY_COUNT": "500", "PARLEY_VERBOSE": "1",
		}, nil, Options{Addr: "127.0.0.1:18097", DataDir: "/tmp/demo-data", Seed: 42, Speed: 10, Headless: true, Rate: 200,
			Duration: 10 * time.Second, Count: 500}, true},
		{"the command line wins", map[string]string{"PARLEY_ADDR": "127.0.0.1:18097", "PARLEY_SEED": "42"},
			[]string{"--addr", "127.0.0.1:9000"}, Options{Addr: "127.0.0.1:9000", Seed: 42, Speed: 1}, false},
		{"a variable that does not parse is ignored", map[string]string{"PARLEY_SPEED": "fast", "PARLEY_VERBOSE": "maybe", "PARLEY_COUNT": "9x"},
			nil, Options{Addr: DefaultAddr, Speed: 1}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var o Options
			var verbose bool
			fs := flagSet(&o, &verbose)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			if o != tt.want || verbose != tt.wantVerbose {
				t.Errorf("options = %+v, verbose %v; want %+v, verbose %v", o, verbose, tt.want, tt.wantVerbose)
			}
		})
	}
}

// The help names each variable and shows its value as the default.
func TestFlagsHelpNamesVariables(t *testing.T) {
	t.Setenv("PARLEY_ADDR", "127.0.0.1:18097")
	var stderr bytes.Buffer
	if code := Main(t.Context(), []string{"-h"}, &bytes.Buffer{}, &stderr); code != 0 {
		t.Fatalf("parley demo -h = %d", code)
	}
	help := stderr.String()
	for _, want := range []string{`(PARLEY_ADDR) (default "127.0.0.1:18097")`, "(PARLEY_DATA)", "(PARLEY_HEADLESS)", "(PARLEY_VERBOSE)"} {
		if !strings.Contains(help, want) {
			t.Errorf("parley demo -h lacks %s:\n%s", want, help)
		}
	}
}
