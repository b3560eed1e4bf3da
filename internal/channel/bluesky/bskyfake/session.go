package bskyfake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// createSession logs an account in by handle, email or DID and App
// Password (lexicon com.atproto.server.createSession).
func (f *Fake) createSession(req *request) answer {
	var in struct {
		Identifier string `json:"identifier"`
		Password   string `json:"password"`
	}
	if err := json.Unmarshal(req.body, &in); err != nil || in.Identifier == "" || in.Password == "" {
		return invalid("Input must have the properties \"identifier\" and \"password\"")
	}
	did := lower(in.Identifier)
	if d, ok := f.handles[did]; ok {
		did = d
	}
	acct := f.accounts[did]
	if acct == nil || acct.AppPassword == "" || acct.AppPassword != in.Password {
		return xrpcError(http.StatusUnauthorized, "AuthenticationRequired", "Invalid identifier or password")
	}
	return ok(f.issue(acct, req.now))
}

// refreshSession renews a session with its refresh token, which then
// stops working (lexicon com.atproto.server.refreshSession).
func (f *Fake) refreshSession(req *request) answer {
	delete(f.refresh, req.bearer)
	return ok(f.issue(req.caller, req.now))
}

// issue mints a session's tokens for acct.
func (f *Fake) issue(acct *Account, now time.Time) map[string]any {
	scope := "com.atproto.appPassPrivileged"
	if acct.NoDMAccess {
		scope = "com.atproto.appPass"
	}
	access := mintJWT("at+jwt", map[string]any{"scope": scope, "sub": acct.DID, "aud": "did:web:bskyfake.test",
		"iat": now.Unix(), "exp": now.Add(f.AccessTTL).Unix()})
	refresh := mintJWT("refresh+jwt", map[string]any{"scope": "com.atproto.refresh", "sub": acct.DID, "aud": "did:web:bskyfake.test",
		"jti": f.nextTID(now), "iat": now.Unix(), "exp": now.Add(f.RefreshTTL).Unix()})
	f.access[access] = &token{did: acct.DID, exp: now.Add(f.AccessTTL)}
	f.refresh[refresh] = &token{did: acct.DID, exp: now.Add(f.RefreshTTL)}
	s := map[string]any{"accessJwt": access, "refreshJwt": refresh, "handle": acct.Handle, "did": acct.DID, "active": true}
	if acct.Email != "" {
		s["email"], s["emailConfirmed"] = acct.Email, true
	}
	return s
}

// mintJWT returns a JWT of typ with claims, signed with random bytes: the
// fake recognises its tokens by value, the adapter reads only exp.
func mintJWT(typ string, claims map[string]any) string {
	header, _ := json.Marshal(map[string]string{"typ": typ, "alg": "ES256K"})
	payload, _ := json.Marshal(claims)
	sig := make([]byte, 64)
	rand.Read(sig)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(header) + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString(sig)
}

const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"

// nextTID returns a new TID (atproto.com/specs/tid) for now, later than
// every one before.
func (f *Fake) nextTID(now time.Time) string {
	micros := uint64(now.UnixMicro())
	if micros <= f.seq {
		micros = f.seq + 1
	}
	f.seq = micros
	v := micros << 10
	var b [13]byte
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(b[:])
}

// cidOf returns a CIDv1-shaped identifier of data: "bafyrei" and the
// base32 of its SHA-256, as a dag-cbor record's CID reads (the fake does
// not encode CBOR, so the value differs from the real one).
func cidOf(data []byte) string {
	sum := sha256.Sum256(data)
	return "bafyrei" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:]))
}
