package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/parleyhq/parley/internal/channel"
)

// imapConn is a logged-in IMAP connection.
type imapConn struct {
	*imapclient.Client
	stop func() bool
	// conn is the connection beneath the client, closed to abandon a
	// literal half read.
	conn net.Conn
}

// logoutTimeout bounds the wait for the server's goodbye.
const logoutTimeout = 5 * time.Second

// close logs out politely when the connection still works, and closes it.
// A server that does not answer LOGOUT within logoutTimeout is not waited
// for: the reader has no deadline while no response is under way.
func (c *imapConn) close() {
	c.stop()
	select {
	case <-c.Closed():
		_ = c.Client.Close()
		return
	default:
	}
	cmd := c.Logout()
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t := time.NewTimer(logoutTimeout)
	select {
	case <-done:
	case <-t.C:
	}
	t.Stop()
	_ = c.Client.Close() // completes the LOGOUT if it is still pending
	<-done
}

// dialIMAP connects to the inbox's IMAP server with TLS as configured and
// logs in. ctx bounds the whole life of the connection: when it ends, the
// connection is closed. It returns a *channel.SendError: permanent when the
// server refuses the login, temporary otherwise.
func (a *Adapter) dialIMAP(ctx context.Context, s *imapSettings, opts *imapclient.Options) (*imapConn, error) {
	if opts == nil {
		opts = &imapclient.Options{}
	}
	conn, err := a.dial(ctx, "IMAP", s.addr)
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	var c *imapclient.Client
	switch s.tls {
	case TLSImplicit:
		tc := tls.Client(conn, a.tlsConfig(s.host))
		if err = tc.HandshakeContext(ctx); err == nil {
			c = imapclient.New(tc, opts)
		}
	case TLSStartTLS:
		o := *opts
		o.TLSConfig = a.tlsConfig(s.host)
		c, err = imapclient.NewStartTLS(conn, &o)
	default:
		c = imapclient.New(conn, opts)
	}
	if err == nil {
		err = c.WaitGreeting()
	}
	if err != nil {
		stop()
		conn.Close()
		return nil, imapFailure(s, "connect", err)
	}
	if err := c.Login(s.user, s.password).Wait(); err != nil {
		stop()
		c.Close()
		return nil, imapFailure(s, "login", err)
	}
	return &imapConn{Client: c, stop: stop, conn: conn}, nil
}

// imapFailure classifies a failed IMAP step. A NO to LOGIN is permanent
// until someone fixes the password; everything else may pass.
func imapFailure(s *imapSettings, step string, err error) error {
	var ie *imap.Error
	if errors.As(err, &ie) {
		reason := fmt.Sprintf("IMAP %s refused: %s", step, channel.Excerpt([]byte(ie.Text), 200))
		if step == "login" && ie.Type == imap.StatusResponseTypeNo {
			return channel.Permanent(reason, err)
		}
		return channel.Temporary(reason, 0, err)
	}
	var cert *tls.CertificateVerificationError
	if errors.As(err, &cert) {
		return channel.Temporary("the TLS certificate of the IMAP server "+s.host+" is not trusted", 0, err)
	}
	return channel.Temporary(fmt.Sprintf("IMAP %s failed: %s", step, channel.Excerpt([]byte(err.Error()), 200)), 0, err)
}
