// Package netguard keeps the connections Parley makes on behalf of
// workspace admins (platform API bases, webhook and feed URLs, mail
// servers) out of the network Parley runs in: loopback, private,
// link-local (cloud metadata at 169.254.169.254), shared (CGNAT) and
// other non-public addresses are refused unless the operator allows them.
//
// The check runs at connect time, on the address the name resolved to
// (net.Dialer.Control), so a name that resolves to a public address when
// a URL is saved and to a private one when it is used gets no further.
package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// Setting names the operator's allow list in errors, as the person who
// reads one may change it.
const Setting = "PARLEY_ALLOW_HOSTS"

// Loopback is the allow list of a Parley whose platforms are local fakes
// (parley demo, parley bench, tests).
const Loopback = "127.0.0.0/8,::1/128"

// Guard decides which addresses outbound connections may reach. The nil
// *Guard, like the zero one, allows public addresses only.
type Guard struct {
	nets  []netip.Prefix
	hosts map[string]bool
}

// Parse reads a comma-separated allow list of hostnames, addresses and
// CIDRs ("mail.corp.example, 10.0.0.0/8, fd00::1"). A hostname matches
// itself only, not its subdomains; an allowed hostname is connected to
// whatever it resolves to. Returns an error naming the first entry that
// is none of the three.
func Parse(list string) (*Guard, error) {
	g := &Guard{hosts: map[string]bool{}}
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.Contains(item, "/") {
			p, err := netip.ParsePrefix(item)
			if err != nil {
				return nil, fmt.Errorf("netguard: %q in %s is not a CIDR such as 10.0.0.0/8: %w", item, Setting, err)
			}
			g.nets = append(g.nets, p.Masked())
			continue
		}
		if a, err := netip.ParseAddr(item); err == nil {
			if a.Zone() != "" {
				return nil, fmt.Errorf("netguard: %q in %s has a zone; give the address without it", item, Setting)
			}
			g.nets = append(g.nets, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		name := canonical(item)
		if !hostname(name) {
			return nil, fmt.Errorf("netguard: %q in %s is neither a hostname, an address nor a CIDR", item, Setting)
		}
		g.hosts[name] = true
	}
	return g, nil
}

// canonical is the form of a hostname that allow-list entries and dialled
// names are compared in.
func canonical(host string) string { return strings.TrimSuffix(strings.ToLower(host), ".") }

// hostname reports whether s is a DNS name: dot-separated labels of
// letters, digits, hyphens and underscores, none empty or over 63 bytes,
// the last not all digits (that is a mistyped address, 10.0.0.300).
func hostname(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	if last := s[strings.LastIndexByte(s, '.')+1:]; strings.Trim(last, "0123456789") == "" {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range []byte(label) {
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// RefusedError is the error of a connection the guard refused.
type RefusedError struct {
	Addr netip.Addr
	// Kind says why the address is not public: "a private address".
	Kind string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("Parley does not connect to %s (%s); an operator can allow it with %s", e.Addr, e.Kind, Setting)
}

// Refused reports whether err, or an error it wraps, is a connection the
// guard refused, and returns that.
func Refused(err error) (*RefusedError, bool) {
	var r *RefusedError
	ok := errors.As(err, &r)
	return r, ok
}

var (
	cgnat     = netip.MustParsePrefix("100.64.0.0/10")
	thisNet   = netip.MustParsePrefix("0.0.0.0/8")
	reserved4 = netip.MustParsePrefix("240.0.0.0/4") // with the broadcast address
	siteLocal = netip.MustParsePrefix("fec0::/10")
	// benchmark is RFC 2544's network for testing devices and RFC 6890's protocol assignments; neither is reachable from the internet.
	benchmark = netip.MustParsePrefix("198.18.0.0/15")
	ietf4     = netip.MustParsePrefix("192.0.0.0/24")
	// compat holds the deprecated IPv4-compatible forms (::a.b.c.d) and
	// nat64 the well-known NAT64 prefix; both carry an IPv4 address in
	// their last four bytes, which is what a connection would reach.
	compat = netip.MustParsePrefix("::/96")
	nat64  = netip.MustParsePrefix("64:ff9b::/96")
	// nat64Local is RFC 8215's local-use NAT64 prefix, whose IPv4 address
	// sits in the same last four bytes; sixToFour (RFC 3056) carries one
	// in its bytes 2 to 5.
	nat64Local = netip.MustParsePrefix("64:ff9b:1::/48")
	sixToFour  = netip.MustParsePrefix("2002::/16")
)

// kind says why a is not public, "" when it is.
func kind(a netip.Addr) string {
	a = a.WithZone("").Unmap()
	if a.Is6() && (compat.Contains(a) || nat64.Contains(a) || nat64Local.Contains(a)) && !a.IsUnspecified() && !a.IsLoopback() {
		b := a.As16()
		if k := kind(netip.AddrFrom4([4]byte(b[12:]))); k != "" {
			return k
		}
	}
	if a.Is6() && sixToFour.Contains(a) {
		b := a.As16()
		if k := kind(netip.AddrFrom4([4]byte(b[2:6]))); k != "" {
			return k
		}
	}
	switch {
	case !a.IsValid():
		return "not an IP address"
	case a.IsUnspecified() || thisNet.Contains(a):
		return "an unspecified address"
	case a.IsLoopback():
		return "a loopback address"
	case a.IsPrivate() || siteLocal.Contains(a):
		return "a private address"
	case a.IsLinkLocalUnicast():
		return "a link-local address"
	case a.IsMulticast():
		return "a multicast address"
	case cgnat.Contains(a):
		return "a shared (CGNAT) address"
	case reserved4.Contains(a) || benchmark.Contains(a) || ietf4.Contains(a):
		return "a reserved address"
	}
	return ""
}

// Check returns a *RefusedError when a is not a public address and the
// allow list does not name it, nil otherwise.
func (g *Guard) Check(a netip.Addr) error {
	k := kind(a)
	if k == "" {
		return nil
	}
	if g != nil {
		u := a.WithZone("").Unmap()
		for _, p := range g.nets {
			if p.Contains(u) {
				return nil
			}
		}
	}
	return &RefusedError{Addr: a, Kind: k}
}

// allowsHost reports whether the allow list names host.
func (g *Guard) allowsHost(host string) bool {
	return g != nil && g.hosts[canonical(host)]
}

// control is the net.Dialer.Control of guarded connections: address is
// the resolved IP and port about to be connected to.
func (g *Guard) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("netguard: connect to %q: %w", address, err)
	}
	return g.Check(ap.Addr())
}

// Dialer returns a DialContext that connects within timeout (0: as long
// as ctx allows) and refuses the addresses Check refuses, after the name
// is resolved. A hostname on the allow list is connected to as it
// resolves.
func (g *Guard) Dialer(timeout time.Duration) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		d := &net.Dialer{Timeout: timeout}
		if host, _, err := net.SplitHostPort(address); err != nil || !g.allowsHost(host) {
			d.Control = g.control
		}
		return d.DialContext(ctx, network, address)
	}
}

// Client returns an HTTP client with the given timeout whose connections
// are guarded and which ignores HTTP_PROXY and the like: a proxy would
// make the connection the guard sees the proxy's, not the target's.
// Redirects are followed as usual; every hop is guarded.
func (g *Guard) Client(timeout time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	tr.DialContext = g.Dialer(30 * time.Second)
	return &http.Client{Timeout: timeout, Transport: tr}
}
