package demo

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// Main runs `parley demo` with its command-line arguments and returns the
// process exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o Options
	var verbose bool
	fs := flagSet(&o, &verbose)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "parley demo: unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		return 2
	}
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if _, err := Run(ctx, o, stdout, log); err != nil && !errors.Is(err, context.Canceled) {
		msg := err.Error()
		if care.ErrorCode(err) != care.EINTERNAL {
			msg = care.ErrorMessage(err)
		}
		fmt.Fprintf(stderr, "parley demo: %s\n", msg)
		return 1
	}
	return 0
}

// flagSet is `parley demo`'s flags, filling o and verbose.
func flagSet(o *Options, verbose *bool) *flag.FlagSet {
	fs := flag.NewFlagSet("parley demo", flag.ContinueOnError)
	fs.StringVar(&o.Addr, "addr", DefaultAddr, "where Parley listens (loopback only: the demo prints passwords)")
	fs.StringVar(&o.DataDir, "data", "", "keep the data in this new directory; default a temporary one, deleted at the end")
	fs.Int64Var(&o.Seed, "seed", 0, "the same customers saying the same things; 0 picks a seed and prints it")
	fs.Float64Var(&o.Speed, "speed", 1, "story time runs this many times faster (1 to 1000)")
	fs.BoolVar(&o.Headless, "headless", false, "no story: drive --rate messages a second through the signed webhooks (a few customers also write on the platforms Parley polls and in the web chat), then print a summary")
	fs.Float64Var(&o.Rate, "rate", 0, "with --headless: inbound messages a second")
	fs.DurationVar(&o.Duration, "duration", 0, "stop after this long (30s, 10m); default until Ctrl-C")
	fs.IntVar(&o.Count, "count", 0, "stop after this many inbound messages")
	fs.BoolVar(verbose, "verbose", false, "log Parley's own lines too")
	defaultsFromEnv(fs)
	return fs
}

// defaultsFromEnv makes every flag of fs default to its PARLEY_* variable,
// named as `parley serve` names its own: PARLEY_ and the flag's name in
// capitals, dashes as underscores. As with serve, a flag on the command line
// wins, and a variable that does not parse leaves the default.
func defaultsFromEnv(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name := "PARLEY_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		f.Usage += " (" + name + ")"
		v, ok := os.LookupEnv(name)
		if !ok {
			return
		}
		// The flag package's numbers and booleans store their zero value
		// when Set fails: the default is put back.
		if err := f.Value.Set(v); err != nil {
			_ = f.Value.Set(f.DefValue)
			return
		}
		f.DefValue = f.Value.String()
	})
}
