package email

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/email/mailtest"
)

// waitFor receives from ch, failing the test if nothing comes within a
// bound far above what the wait should take.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("no %s within 10 s", what)
	}
}

// runIdler runs an Idler on in until the test ends; wakes are sent on the
// returned channel.
func runIdler(t *testing.T, i *Idler, in care.Inbox) (<-chan struct{}, <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	wakes := make(chan struct{}, 100)
	done := make(chan error, 1)
	go func() { done <- i.Run(ctx, in, func() { wakes <- struct{}{} }) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run returned %v after its context ended, want nil", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not return within 10 s of its context ending")
		}
	})
	return wakes, done
}

func TestIdlerWakesOnNewMail(t *testing.T) {
	t.Parallel()
	s := newIMAP(t, mailtest.IMAPOptions{})
	in := pollInbox(s.Addr, TLSNone)
	wakes, _ := runIdler(t, &Idler{Adapter: testAdapter()}, in)
	waitFor(t, wakes, "wake on connecting")
	for range 3 {
		appendMail(t, s, note("idle@example.net", "new"), testNow)
		waitFor(t, wakes, "wake on new mail")
	}
	if n := s.Count("STORE") + s.Count("SELECT"); n != 0 {
		t.Errorf("the idler changed the mailbox: %d STORE or SELECT", n)
	}
}

func TestIdlerRenews(t *testing.T) {
	t.Parallel()
	s := newIMAP(t, mailtest.IMAPOptions{})
	in := pollInbox(s.Addr, TLSNone)
	wakes, _ := runIdler(t, &Idler{Adapter: testAdapter(), Renew: 20 * time.Millisecond}, in)
	waitFor(t, wakes, "wake on connecting")
	deadline := time.Now().Add(10 * time.Second)
	for s.Count("IDLE") < 4 {
		if time.Now().After(deadline) {
			t.Fatalf("IDLE issued %d times in 10 s, want it renewed every 20 ms", s.Count("IDLE"))
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Each renewal wakes a poll, for servers that hold news between
	// two IDLEs; all on one connection.
	for range 4 {
		waitFor(t, wakes, "wake on renewing")
	}
	if n := s.Count("LOGIN"); n != 1 {
		t.Errorf("%d logins, want renewals on one connection", n)
	}
}

func TestIdlerReconnects(t *testing.T) {
	t.Parallel()
	s := newIMAP(t, mailtest.IMAPOptions{TLS: mailtest.TLSImplicit})
	in := pollInbox("localhost"+s.Addr[len("127.0.0.1"):], TLSImplicit)
	wakes, _ := runIdler(t, &Idler{Adapter: testAdapter(), MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}, in)
	waitFor(t, wakes, "wake on connecting")
	s.DropConnections()
	// Mail that arrived while disconnected is announced on reconnecting.
	waitFor(t, wakes, "wake on reconnecting")
	appendMail(t, s, note("back@example.net", "new"), testNow)
	waitFor(t, wakes, "wake on new mail after reconnecting")
	if n := s.Count("LOGIN"); n < 2 {
		t.Errorf("%d logins, want a new one after the connection dropped", n)
	}
}

// TestIdlerWithoutIdle talks to a server of the last century: IMAP4rev1
// without IDLE, scripted line by line.
func TestIdlerWithoutIdle(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprint(conn, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] old server ready\r\n")
		r := bufio.NewReader(conn)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			tag, cmd, _ := strings.Cut(strings.TrimSpace(line), " ")
			verb, _, _ := strings.Cut(cmd, " ")
			switch strings.ToUpper(verb) {
			case "LOGIN":
				fmt.Fprintf(conn, "%s OK [CAPABILITY IMAP4rev1] logged in\r\n", tag)
			case "CAPABILITY":
				fmt.Fprintf(conn, "* CAPABILITY IMAP4rev1\r\n%s OK done\r\n", tag)
			case "LOGOUT":
				fmt.Fprintf(conn, "* BYE bye\r\n%s OK done\r\n", tag)
				return
			default:
				fmt.Fprintf(conn, "%s BAD unknown command\r\n", tag)
			}
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	err = (&Idler{Adapter: testAdapter()}).Run(context.Background(), pollInbox(ln.Addr().String(), TLSNone), func() {})
	if !errors.Is(err, ErrNoIdle) {
		t.Errorf("Run against a server without IDLE = %v, want ErrNoIdle", err)
	}
}

func TestIdlerBadCredentials(t *testing.T) {
	t.Parallel()
	in := pollInbox("127.0.0.1:1", TLSNone)
	delete(in.Credentials, CredIMAPPassword)
	err := (&Idler{Adapter: testAdapter()}).Run(context.Background(), in, func() {})
	if care.ErrorCode(err) != care.EINVALID {
		t.Errorf("Run without a password = %v, want EINVALID", err)
	}
}

func TestIdlerRenewBounds(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ set, want time.Duration }{
		{0, DefaultIdleRenew}, {-time.Second, DefaultIdleRenew}, {time.Minute, time.Minute}, {time.Hour, MaxIdleRenew},
	} {
		if got := (&Idler{Renew: tt.set}).renew(); got != tt.want {
			t.Errorf("renew with Renew %v = %v, want %v", tt.set, got, tt.want)
		}
	}
}
