package natsbus

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/nats-io/nats.go"
)

// security turns the credentials and TLS files of opt into the client's
// options, after checking each file, so that a node whose files are wrong
// stops at start saying which setting to fix, rather than failing the
// handshake with a message about the protocol. Errors name files, never
// what they hold.
func security(opt Options) ([]nats.Option, error) {
	switch {
	case opt.CredsFile != "" && opt.NkeyFile != "":
		return nil, errors.New("natsbus: a credentials file (PARLEY_NATS_CREDS) and an nkey seed (PARLEY_NATS_NKEY) are two ways to log in; set one of them")
	case opt.CertFile != "" && opt.KeyFile == "":
		return nil, errors.New("natsbus: a client certificate (PARLEY_NATS_CERT) needs its private key (PARLEY_NATS_KEY)")
	case opt.KeyFile != "" && opt.CertFile == "":
		return nil, errors.New("natsbus: a private key (PARLEY_NATS_KEY) needs its client certificate (PARLEY_NATS_CERT)")
	}
	var opts []nats.Option
	if opt.CredsFile != "" {
		if err := checkCreds(opt.CredsFile); err != nil {
			return nil, err
		}
		// Read again at each connection, so a renewed file is used at
		// the next reconnect.
		opts = append(opts, nats.UserCredentials(opt.CredsFile))
	}
	if opt.NkeyFile != "" {
		o, err := nats.NkeyOptionFromSeed(opt.NkeyFile)
		if err != nil {
			return nil, fmt.Errorf("natsbus: nkey seed file %s (PARLEY_NATS_NKEY): %w; it must hold a user seed, SU…, as nk -gen user makes", opt.NkeyFile, err)
		}
		opts = append(opts, o)
	}
	if opt.CAFile != "" {
		pem, err := os.ReadFile(opt.CAFile)
		if err != nil {
			return nil, fmt.Errorf("natsbus: CA file (PARLEY_NATS_CA): %w", err)
		}
		if !x509.NewCertPool().AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("natsbus: CA file %s (PARLEY_NATS_CA) holds no PEM certificate", opt.CAFile)
		}
		opts = append(opts, nats.RootCAs(opt.CAFile))
	}
	if opt.CertFile != "" {
		if _, err := tls.LoadX509KeyPair(opt.CertFile, opt.KeyFile); err != nil {
			return nil, fmt.Errorf("natsbus: client certificate %s and key %s (PARLEY_NATS_CERT, PARLEY_NATS_KEY): %w", opt.CertFile, opt.KeyFile, err)
		}
		opts = append(opts, nats.ClientCert(opt.CertFile, opt.KeyFile))
	}
	return opts, nil
}

// checkCreds checks that path reads as a credentials file, a user JWT and
// its nkey seed between the markers nsc writes.
func checkCreds(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("natsbus: credentials file (PARLEY_NATS_CREDS): %w", err)
	}
	defer clear(data)
	if !bytes.Contains(data, []byte("BEGIN NATS USER JWT")) || !bytes.Contains(data, []byte("BEGIN USER NKEY SEED")) {
		return fmt.Errorf("natsbus: credentials file %s (PARLEY_NATS_CREDS) does not hold a user JWT and its nkey seed; nsc generate creds makes one", path)
	}
	return nil
}

// Auth says how opt logs in and whether it encrypts, for the start-up log
// line: "creds", "nkey", "password", "token" or "none", then "+tls" or
// "+mtls". Nothing secret goes in it.
func Auth(opt Options) string {
	auth := "none"
	switch {
	case opt.CredsFile != "":
		auth = "creds"
	case opt.NkeyFile != "":
		auth = "nkey"
	default:
		first, _, _ := strings.Cut(opt.URL, ",")
		if u, err := url.Parse(strings.TrimSpace(first)); err == nil && u.User != nil {
			auth = "token"
			if _, ok := u.User.Password(); ok {
				auth = "password"
			}
		}
	}
	switch {
	case opt.CertFile != "":
		auth += "+mtls"
	case opt.CAFile != "" || strings.HasPrefix(strings.TrimSpace(opt.URL), "tls://"):
		auth += "+tls"
	}
	return auth
}
