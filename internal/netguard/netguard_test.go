package netguard_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/netguard"
)

func TestCheck(t *testing.T) {
	allow, err := netguard.Parse("10.1.0.0/16, 192.0.2.7, fd00::/64, mail.corp.example")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		addr  string
		guard *netguard.Guard
		kind  string // "" when the address may be reached
	}{
		{"93.184.216.34", nil, ""},
		{"2606:4700::1111", nil, ""},
		{"8.8.8.8", allow, ""},
		{"127.0.0.1", nil, "a loopback address"},
		{"127.1.2.3", nil, "a loopback address"},
		{"::1", nil, "a loopback address"},
		{"0.0.0.0", nil, "an unspecified address"},
		{"0.1.2.3", nil, "an unspecified address"},
		{"::", nil, "an unspecified address"},
		{"10.0.0.5", nil, "a private address"},
		{"172.16.3.4", nil, "a private address"},
		{"192.168.1.1", nil, "a private address"},
		{"fd12:3456::1", nil, "a private address"},
		{"fec0::1", nil, "a private address"},
		{"169.254.169.254", nil, "a link-local address"},
		{"fe80::1", nil, "a link-local address"},
		{"fe80::1%eth0", nil, "a link-local address"},
		{"224.0.0.1", nil, "a multicast address"},
		{"ff02::1", nil, "a multicast address"},
		{"100.64.0.1", nil, "a shared (CGNAT) address"},
		{"100.127.255.254", nil, "a shared (CGNAT) address"},
		{"255.255.255.255", nil, "a reserved address"},
		{"::ffff:127.0.0.1", nil, "a loopback address"},
		{"::ffff:169.254.169.254", nil, "a link-local address"},
		{"::ffff:10.0.0.1", nil, "a private address"},
		{"::ffff:0.0.0.0", nil, "an unspecified address"},
		{"::ffff:100.64.0.1", nil, "a shared (CGNAT) address"},
		{"::ffff:93.184.216.34", nil, ""},
		{"::127.0.0.1", nil, "a loopback address"},
		{"64:ff9b::a9fe:a9fe", nil, "a link-local address"},
		{"64:ff9b:1::a9fe:a9fe", nil, "a link-local address"},
		{"2002:a9fe:a9fe::1", nil, "a link-local address"},
		{"2002:7f00:1::1", nil, "a loopback address"},
		{"2002:5db8:d822::1", nil, ""},
		{"198.18.0.1", nil, "a reserved address"},
		{"198.19.255.254", nil, "a reserved address"},
		{"192.0.0.8", nil, "a reserved address"},
		// The allow list lets through what it names, and nothing more.
		{"10.1.200.3", allow, ""},
		{"::ffff:10.1.200.3", allow, ""},
		{"10.2.0.1", allow, "a private address"},
		{"192.0.2.7", allow, ""},
		{"fd00::99", allow, ""},
		{"fd00:0:0:1::99", allow, "a private address"},
		{"127.0.0.1", allow, "a loopback address"},
		{"169.254.169.254", allow, "a link-local address"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			err := tt.guard.Check(netip.MustParseAddr(tt.addr))
			r, refused := netguard.Refused(err)
			switch {
			case tt.kind == "" && err != nil:
				t.Errorf("Check(%s) = %v, want nil", tt.addr, err)
			case tt.kind != "" && !refused:
				t.Errorf("Check(%s) = %v, want refused as %s", tt.addr, err, tt.kind)
			case tt.kind != "" && r.Kind != tt.kind:
				t.Errorf("Check(%s) refused as %q, want %q", tt.addr, r.Kind, tt.kind)
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		list string
		ok   bool
	}{
		{"", true},
		{" , ", true},
		{netguard.Loopback, true},
		{"imap.corp.example,10.0.0.0/8,fd00::/8,192.168.1.10,localhost", true},
		{"Mail.Corp.Example.", true},
		{"10.0.0.0/33", false},
		{"10.0.0.300", false},
		{"http://mail.corp.example", false},
		{"mail.corp.example:993", false},
		{"-bad.example", false},
		{"a b", false},
		{"fe80::1%eth0", false},
	}
	for _, tt := range tests {
		t.Run(tt.list, func(t *testing.T) {
			_, err := netguard.Parse(tt.list)
			if (err == nil) != tt.ok {
				t.Errorf("Parse(%q) = %v, want ok=%v", tt.list, err, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), netguard.Setting) {
				t.Errorf("Parse(%q) = %v; want the setting named", tt.list, err)
			}
		})
	}
}

// The error says what was refused, why, and what an operator can do.
func TestRefusedErrorMessage(t *testing.T) {
	err := (*netguard.Guard)(nil).Check(netip.MustParseAddr("10.0.0.5"))
	want := "Parley does not connect to 10.0.0.5 (a private address); an operator can allow it with PARLEY_ALLOW_HOSTS"
	if err == nil || err.Error() != want {
		t.Errorf("Check(10.0.0.5) = %v, want %q", err, want)
	}
}

// A name is refused on the address it resolves to, when the connection is
// made: "localhost" is no IP literal, and it resolves to loopback.
func TestDialRefusesNameResolvingToPrivate(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	var g *netguard.Guard
	conn, err := g.Dialer(5*time.Second)(ctx, "tcp", net.JoinHostPort("localhost", port))
	if err == nil {
		conn.Close()
		t.Fatal("dial localhost: connected, want refused")
	}
	if r, ok := netguard.Refused(err); !ok || r.Kind != "a loopback address" {
		t.Fatalf("dial localhost = %v, want refused as loopback", err)
	}

	// Named on the allow list, the same name connects.
	byName, err := netguard.Parse("LOCALHOST")
	if err != nil {
		t.Fatal(err)
	}
	conn, err = byName.Dialer(5*time.Second)(ctx, "tcp4", net.JoinHostPort("localhost", port))
	if err != nil {
		t.Fatalf("dial an allowed name: %v", err)
	}
	conn.Close()
}

// The HTTP client refuses an internal server, and reaches it once the
// allow list names its network. It uses no proxy from the environment,
// where the guard would see the proxy's address instead of the target's.
func TestClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "internal")
	}))
	defer srv.Close()
	c := (*netguard.Guard)(nil).Client(5 * time.Second)
	if tr, ok := c.Transport.(*http.Transport); !ok || tr.Proxy != nil {
		t.Errorf("Client().Transport = %#v, want a transport without a proxy", c.Transport)
	}

	_, err := c.Get(srv.URL)
	if _, ok := netguard.Refused(err); !ok {
		t.Errorf("GET %s = %v, want refused", srv.URL, err)
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("GET %s = %v, want a *net.OpError beneath", srv.URL, err)
	}

	allowed, err := netguard.Parse(netguard.Loopback)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := allowed.Client(5 * time.Second).Get(srv.URL)
	if err != nil {
		t.Fatalf("GET with loopback allowed: %v", err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 16)
	n, _ := resp.Body.Read(buf)
	if got := string(buf[:n]); got != "internal" {
		t.Errorf("GET with loopback allowed answered %q, want the server's own answer", got)
	}
}
