package natsbus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nkeys"
)

// connectCase is one way of connecting to a server that requires
// something: want is "" when Connect must succeed, or what its error must
// say.
type connectCase struct {
	name string
	opt  Options
	want string
}

// checkConnect runs the cases against the server. A connection that
// succeeds has made its stream and consumer, so JetStream works through
// it too.
func checkConnect(t *testing.T, cases []connectCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			b := make([]byte, 6)
			rand.Read(b)
			opt := tc.opt
			opt.Stream, opt.Node = "PARLEY_TEST_"+strings.ToUpper(hex.EncodeToString(b)), "n"
			opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
			r, err := Connect(ctx, opt, newLocalBus())
			if err == nil {
				r.Close()
			}
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Connect: %v; want a connection", err)
			case tc.want != "" && err == nil:
				t.Errorf("Connect succeeded; want it refused (%s)", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Errorf("Connect: %v; want an error saying %q", err, tc.want)
			}
		})
	}
}

// A server that requires TLS and verifies its clients' certificates
// (mutual TLS) takes a node given the CA that signed the server's
// certificate and a client certificate of that CA, with a nats:// or a
// tls:// URL; without the CA, with another, or without a client
// certificate, the connection fails.
func TestConnectWithMutualTLS(t *testing.T) {
	p := newPKI(t)
	addr := natsServer(t, fmt.Sprintf("tls { cert_file: %q, key_file: %q, ca_file: %q, verify: true, timeout: 5 }",
		p.ServerCert, p.ServerKey, p.CA))
	url := "nats://" + addr
	checkConnect(t, []connectCase{
		{name: "CA and client certificate", opt: Options{URL: url, CAFile: p.CA, CertFile: p.ClientCert, KeyFile: p.ClientKey}},
		{name: "tls URL", opt: Options{URL: "tls://" + addr, CAFile: p.CA, CertFile: p.ClientCert, KeyFile: p.ClientKey}},
		{name: "no CA", opt: Options{URL: url, CertFile: p.ClientCert, KeyFile: p.ClientKey}, want: "x509: certificate signed by unknown authority"},
		{name: "another CA", opt: Options{URL: url, CAFile: p.OtherCA, CertFile: p.ClientCert, KeyFile: p.ClientKey}, want: "x509: certificate signed by unknown authority"},
		// The server closes the connection; how the client hears it varies.
		{name: "no client certificate", opt: Options{URL: url, CAFile: p.CA}, want: "natsbus: connect to " + url + ": "},
		{name: "plain connection", opt: Options{URL: url}, want: "x509: certificate signed by unknown authority"},
	})
}

// A server that lists its users by public nkey takes a node given the
// seed of a listed user, and no other.
func TestConnectWithNkey(t *testing.T) {
	dir := t.TempDir()
	_, user, seed := newKey(t, nkeys.CreateUser)
	_, _, strangerSeed := newKey(t, nkeys.CreateUser)
	addr := natsServer(t, fmt.Sprintf("authorization { users: [ { nkey: %q } ] }", user))
	url := "nats://" + addr
	checkConnect(t, []connectCase{
		{name: "listed user's seed", opt: Options{URL: url, NkeyFile: writeFile(t, dir, "user.nk", seed)}},
		{name: "no seed", opt: Options{URL: url}, want: "Authorization Violation"},
		{name: "unlisted user's seed", opt: Options{URL: url, NkeyFile: writeFile(t, dir, "stranger.nk", strangerSeed)}, want: "Authorization Violation"},
	})
}

// operatorServer starts a server in operator mode (decentralised JWT
// authentication) trusting one operator, whose account has JetStream. It
// returns the server's URL and a function that writes the credentials of
// a new user of that account, allowed to publish on pub and subscribe to
// sub (everything if both are nil), and one of an account the server does
// not know.
func operatorServer(t *testing.T) (url string, userCreds func(pub, sub []string) string, strangerCreds string) {
	t.Helper()
	dir := t.TempDir()
	operator, opPub, _ := newKey(t, nkeys.CreateOperator)
	account, accPub, _ := newKey(t, nkeys.CreateAccount)
	_, sysPub, _ := newKey(t, nkeys.CreateAccount)
	stranger, _, _ := newKey(t, nkeys.CreateAccount)
	unlimited := map[string]any{"subs": -1, "data": -1, "payload": -1, "imports": -1, "exports": -1, "wildcards": true,
		"conn": -1, "leaf": -1, "mem_storage": -1, "disk_storage": -1, "streams": -1, "consumer": -1}
	opJWT := signJWT(t, operator, opPub, map[string]any{"type": "operator", "system_account": sysPub})
	accJWT := signJWT(t, operator, accPub, map[string]any{"type": "account", "limits": unlimited})
	sysJWT := signJWT(t, operator, sysPub, map[string]any{"type": "account"})
	n := 0
	issue := func(issuer nkeys.KeyPair, pub, sub []string) string {
		n++
		_, user, seed := newKey(t, nkeys.CreateUser)
		perm := func(allow []string) map[string]any {
			if allow == nil {
				return map[string]any{}
			}
			return map[string]any{"allow": allow}
		}
		jwt := signJWT(t, issuer, user, map[string]any{"type": "user", "pub": perm(pub), "sub": perm(sub),
			"subs": -1, "data": -1, "payload": -1})
		return writeFile(t, dir, fmt.Sprintf("user%d.creds", n), creds(jwt, seed))
	}
	addr := natsServer(t, fmt.Sprintf("operator: %q\nsystem_account: %q\nresolver: MEMORY\nresolver_preload: { %s: %q, %s: %q }",
		writeFile(t, dir, "operator.jwt", []byte(opJWT)), sysPub, accPub, accJWT, sysPub, sysJWT))
	return "nats://" + addr, func(pub, sub []string) string { return issue(account, pub, sub) }, issue(stranger, nil, nil)
}

// A server in operator mode takes a node given the credentials of a user
// its account signed, and JetStream, which the account's limits allow,
// works through them; a user of an account the server does not know is
// refused.
func TestConnectWithCredentials(t *testing.T) {
	url, userCreds, strangerCreds := operatorServer(t)
	checkConnect(t, []connectCase{
		{name: "account's user", opt: Options{URL: url, CredsFile: userCreds(nil, nil)}},
		{name: "no credentials", opt: Options{URL: url}, want: "Authorization Violation"},
		{name: "unknown account's user", opt: Options{URL: url, CredsFile: strangerCreds}, want: "Authorization Violation"},
	})
}

// A user allowed only the subjects docs/operations.md lists sends and
// hears both notices and signals.
func TestDocumentedPermissionsSuffice(t *testing.T) {
	url, userCreds, _ := operatorServer(t)
	const stream = "PARLEY_EVENTS"
	creds := userCreds([]string{stream + ".*", stream + "_SIGNALS", "$JS.API.>"}, []string{stream + "_SIGNALS", "_INBOX.>"})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	busB := newLocalBus()
	a, err := Connect(ctx, Options{URL: url, CredsFile: creds, Node: "node-a", Logger: log}, newLocalBus())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Connect(ctx, Options{URL: url, CredsFile: creds, Node: "node-b", Logger: log}, busB)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	heard := make(chan []byte, 1)
	if err := b.OnSignal(func(data []byte) { heard <- data }); err != nil {
		t.Fatal(err)
	}
	if err := a.Signal([]byte("typing")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-heard:
	case <-ctx.Done():
		t.Fatal("node B never heard node A's signal")
	}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); a.Run(rctx) }()
	defer func() { stop(); <-done }()
	a.Publish(event(1, 5))
	busB.waitStale(ctx, t, 5)
}

// Files that are missing, of the wrong kind, or set in a combination that
// cannot work stop Connect before it dials, naming the setting to fix and
// never what the files hold.
func TestConnectChecksItsFiles(t *testing.T) {
	dir := t.TempDir()
	p := newPKI(t)
	_, _, userSeed := newKey(t, nkeys.CreateUser)
	_, _, accountSeed := newKey(t, nkeys.CreateAccount)
	seedFile := writeFile(t, dir, "user.nk", userSeed)
	accountFile := writeFile(t, dir, "account.nk", accountSeed)
	credsFile := writeFile(t, dir, "user.creds", creds("eyJ0eXAiOiJKV1QifQ.e30.c2ln", userSeed))
	notPEM := writeFile(t, dir, "notes.txt", []byte("not a certificate\n"))
	missing := filepath.Join(dir, "missing.pem")
	for _, tc := range []struct {
		name string
		opt  Options
		want string
	}{
		{"creds and nkey", Options{CredsFile: credsFile, NkeyFile: seedFile}, "set one of them"},
		{"cert without key", Options{CertFile: p.ClientCert}, "needs its private key (PARLEY_NATS_KEY)"},
		{"key without cert", Options{KeyFile: p.ClientKey}, "needs its client certificate (PARLEY_NATS_CERT)"},
		{"missing creds", Options{CredsFile: missing}, "PARLEY_NATS_CREDS): open " + missing + ": no such file"},
		{"seed as creds", Options{CredsFile: seedFile}, "does not hold a user JWT and its nkey seed"},
		{"missing nkey", Options{NkeyFile: missing}, "PARLEY_NATS_NKEY"},
		{"account seed as nkey", Options{NkeyFile: accountFile}, "PARLEY_NATS_NKEY"},
		{"missing CA", Options{CAFile: missing}, "PARLEY_NATS_CA): open " + missing + ": no such file"},
		{"CA not PEM", Options{CAFile: notPEM}, "holds no PEM certificate"},
		{"key of another certificate", Options{CertFile: p.ClientCert, KeyFile: p.ServerKey}, "private key does not match public key"},
		{"missing cert", Options{CertFile: missing, KeyFile: p.ClientKey}, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opt.URL, tc.opt.Node = "nats://127.0.0.1:1", "n"
			_, err := Connect(context.Background(), tc.opt, newLocalBus())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Connect: %v; want an error saying %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "connect to") {
				t.Errorf("Connect dialled before refusing its files: %v", err)
			}
			for _, secret := range [][]byte{userSeed, accountSeed} {
				if strings.Contains(err.Error(), string(secret)) {
					t.Errorf("the error shows a seed: %v", err)
				}
			}
		})
	}
}

func TestAuth(t *testing.T) {
	for _, tc := range []struct {
		opt  Options
		want string
	}{
		{Options{URL: "nats://127.0.0.1:4222"}, "none"},
		{Options{URL: "nats://alice:pw@n1:4222,nats://alice:pw@n2:4222"}, "password"},
		{Options{URL: "tls://s3cr3t@nats.example.com"}, "token+tls"},
		{Options{URL: "nats://n1", CredsFile: "x.creds", CAFile: "ca.pem"}, "creds+tls"},
		{Options{URL: "nats://n1", NkeyFile: "x.nk", CAFile: "ca.pem", CertFile: "c.pem", KeyFile: "k.pem"}, "nkey+mtls"},
	} {
		if got := Auth(tc.opt); got != tc.want {
			t.Errorf("Auth(%+v) = %q, want %q", tc.opt, got, tc.want)
		}
	}
}
