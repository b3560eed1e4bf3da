package email

import (
	"context"
	"net"

	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/netguard"
)

// dial connects to the inbox's mail server (what is "IMAP" or "SMTP").
// It returns a *channel.SendError: permanent when Parley refuses the
// server's address, as no retry will change that, temporary otherwise.
func (a *Adapter) dial(ctx context.Context, what, addr string) (net.Conn, error) {
	d := a.Dial
	if d == nil {
		d = (&net.Dialer{Timeout: dialTimeout}).DialContext
	}
	conn, err := d(ctx, "tcp", addr)
	if r, ok := netguard.Refused(err); ok {
		return nil, channel.Permanent("the "+what+" server "+addr+": "+r.Error(), err)
	}
	if err != nil {
		return nil, channel.Temporary("could not connect to the "+what+" server "+addr, 0, err)
	}
	return conn, nil
}
