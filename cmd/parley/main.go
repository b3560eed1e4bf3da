// Command parley runs Parley, the social customer care platform.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/parleyhq/parley/internal/app"
	"github.com/parleyhq/parley/internal/demo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	var code int
	// The demo runs a whole Parley through package app, so it is
	// dispatched here rather than by app.Main.
	if len(os.Args) > 1 && os.Args[1] == "demo" {
		code = demo.Main(ctx, os.Args[2:], os.Stdout, os.Stderr)
	} else {
		code = app.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	}
	stop()
	os.Exit(code)
}
