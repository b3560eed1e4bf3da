package natsbus

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nkeys"
)

// nats-server's usual place on Debian; on PATH otherwise.
const natsServerPath = "/usr/sbin/nats-server"

// natsServer starts a nats-server of the test's own on a free port of
// 127.0.0.1, with JetStream and the configuration extra adds, and returns
// its address, host:port. The server stops at the end of the test. The
// test is skipped, saying why, when no nats-server is installed.
func natsServer(t *testing.T, extra string) string {
	t.Helper()
	bin := natsServerPath
	if _, err := os.Stat(bin); err != nil {
		if bin, err = exec.LookPath("nats-server"); err != nil {
			t.Skipf("no nats-server at %s or on PATH; install it (apt-get install nats-server) to run the authentication and TLS tests", natsServerPath)
		}
	}
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	conf := fmt.Sprintf("listen: %q\njetstream { store_dir: %q }\n%s\n", addr, filepath.Join(dir, "js"), extra)
	confFile := filepath.Join(dir, "nats.conf")
	if err := os.WriteFile(confFile, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "-c", confFile)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cancel()
		<-exited
		if t.Failed() {
			t.Logf("nats-server's log:\n%s", out.String())
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Server is ready") {
		select {
		case <-exited:
			t.Fatalf("nats-server stopped at start:\n%s", out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("nats-server not ready within 10 s:\n%s", out.String())
		}
	}
	return addr
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// writeFile writes data to name in dir and returns its path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// pki is a certificate authority of the test's own and the files it
// issued, all PEM.
type pki struct {
	CA, ServerCert, ServerKey, ClientCert, ClientKey string
	// OtherCA signed none of them.
	OtherCA string
}

func newPKI(t *testing.T) pki {
	t.Helper()
	dir := t.TempDir()
	caKey, caCert := newCA(t, "Parley test CA")
	_, other := newCA(t, "Another CA")
	issue := func(name string, usage x509.ExtKeyUsage, ip net.IP) (string, string) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(time.Now().UnixNano()),
			Subject:      pkix.Name{CommonName: name},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		}
		if ip != nil {
			tmpl.IPAddresses = []net.IP{ip}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		keyDER, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		return writeFile(t, dir, name+".pem", pemBlock("CERTIFICATE", der)),
			writeFile(t, dir, name+"-key.pem", pemBlock("PRIVATE KEY", keyDER))
	}
	p := pki{CA: writeFile(t, dir, "ca.pem", pemBlock("CERTIFICATE", caCert.Raw)),
		OtherCA: writeFile(t, dir, "other-ca.pem", pemBlock("CERTIFICATE", other.Raw))}
	p.ServerCert, p.ServerKey = issue("server", x509.ExtKeyUsageServerAuth, net.IPv4(127, 0, 0, 1))
	p.ClientCert, p.ClientKey = issue("client", x509.ExtKeyUsageClientAuth, nil)
	return p
}

func newCA(t *testing.T, name string) (*ecdsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

func pemBlock(kind string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der})
}

// newKey makes an nkey pair: nkeys.CreateUser, CreateAccount or
// CreateOperator.
func newKey(t *testing.T, create func() (nkeys.KeyPair, error)) (kp nkeys.KeyPair, public string, seed []byte) {
	t.Helper()
	kp, err := create()
	if err != nil {
		t.Fatal(err)
	}
	if public, err = kp.PublicKey(); err != nil {
		t.Fatal(err)
	}
	if seed, err = kp.Seed(); err != nil {
		t.Fatal(err)
	}
	return kp, public, seed
}

// signJWT issues a NATS JWT (the format of github.com/nats-io/jwt/v2,
// written out here, as nsc would sign it) for subject, with the claims
// under "nats", signed by issuer.
func signJWT(t *testing.T, issuer nkeys.KeyPair, subject string, nats map[string]any) string {
	t.Helper()
	iss, err := issuer.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	nats["version"] = 2
	claims, err := json.Marshal(map[string]any{"jti": subject + "-" + fmt.Sprint(time.Now().UnixNano()),
		"iat": time.Now().Unix(), "iss": iss, "sub": subject, "name": subject[:8], "nats": nats})
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding
	signed := enc.EncodeToString([]byte(`{"typ":"JWT","alg":"ed25519-nkey"}`)) + "." + enc.EncodeToString(claims)
	sig, err := issuer.Sign([]byte(signed))
	if err != nil {
		t.Fatal(err)
	}
	return signed + "." + enc.EncodeToString(sig)
}

// creds is a credentials file's text, as nsc generate creds writes it.
func creds(jwt string, seed []byte) []byte {
	return fmt.Appendf(nil, `-----BEGIN NATS USER JWT-----
%s
------END NATS USER JWT------

************************* IMPORTANT *************************
NKEY Seed printed below can be used to sign and prove identity.
NKEYs are sensitive and should be treated as secrets.

-----BEGIN USER NKEY SEED-----
%s
------END USER NKEY SEED------

*************************************************************
`, jwt, seed)
}
