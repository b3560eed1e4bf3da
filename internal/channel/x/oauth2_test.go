package x_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/channel/x/xfake"
)

// credStore keeps what the adapter saves, as the app's store would.
type credStore struct {
	mu    sync.Mutex
	saved map[string]string
}

func (c *credStore) SetCredential(_ context.Context, inboxID care.ID, key, value string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.saved[key] = value
	return nil
}

func (c *credStore) get(key string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.saved[key]
}

// An inbox connected with an OAuth 2.0 refresh token sends with access
// tokens it refreshes itself, stores each rotated refresh token, refreshes
// once more when X says the token expired, and asks for the account to be
// connected again when X refuses the grant.
func TestSendWithRefreshToken(t *testing.T) {
	for _, confidential := range []bool{true, false} {
		w := newWorld(t)
		store := &credStore{saved: map[string]string{}}
		w.a.Credentials = store
		secret := ""
		if confidential {
			secret = "client-secret"
		}
		w.fake.IssueRefreshToken("rt-0", brandID, "client-1", secret)
		delete(w.inbox.Credentials, x.CredAccessToken)
		w.inbox.Credentials[x.CredRefreshToken] = "rt-0"
		w.inbox.Credentials[x.CredClientID] = "client-1"
		w.inbox.Credentials[x.CredClientSecret] = secret
		mention := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme anyone there?"})
		send := func(key string) error {
			_, err := w.a.Send(context.Background(), w.reply(key, "Yes, Ana: how can we help? ("+key+")", mention.ID, anaID))
			// The app reloads the inbox with what was stored.
			if rt := store.get(x.CredRefreshToken); rt != "" {
				w.inbox.Credentials[x.CredRefreshToken] = rt
			}
			return err
		}
		for _, k := range []string{"k1", "k2", "k3"} {
			if err := send(k); err != nil {
				t.Fatalf("confidential %v: send %s: %v", confidential, k, err)
			}
		}
		if n := w.fake.Refreshes(); n != 1 || !strings.HasPrefix(store.get(x.CredRefreshToken), "xrt-1-") {
			t.Fatalf("confidential %v: %d refreshes, stored %q; want one, rotated", confidential, n, store.get(x.CredRefreshToken))
		}
		w.fake.ExpireAccessTokens()
		if err := send("k4"); err != nil {
			t.Fatalf("confidential %v: send after expiry: %v", confidential, err)
		}
		if n := w.fake.Refreshes(); n != 2 || !strings.HasPrefix(store.get(x.CredRefreshToken), "xrt-2-") {
			t.Errorf("confidential %v: after expiry %d refreshes, stored %q", confidential, n, store.get(x.CredRefreshToken))
		}
		// The account was disconnected on X: the grant is refused.
		w.fake.ExpireAccessTokens()
		w.inbox.Credentials[x.CredRefreshToken] = "revoked"
		err := send("k5")
		if se := sendErr(t, err); !se.Permanent || !strings.Contains(se.Reason, "connect the account again") {
			t.Errorf("confidential %v: refused grant: %+v", confidential, se)
		}
		if n := len(w.fake.Posts()); n != 5 {
			t.Errorf("confidential %v: %d posts, want the mention and four replies", confidential, n)
		}
	}
}
