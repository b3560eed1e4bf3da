package app

import (
	"context"

	"github.com/parleyhq/parley/internal/care"
)

// storedCredentials saves credentials adapters learn (a rotated refresh
// token) into the inbox, sealed, in one transaction, so a concurrent
// change of another credential is not lost.
type storedCredentials struct{ store care.Store }

func (c storedCredentials) SetCredential(ctx context.Context, inboxID care.ID, key, value string) error {
	return c.store.Update(ctx, func(q care.Queries) error {
		in, err := q.Inbox(ctx, inboxID)
		if err != nil {
			return err
		}
		if in.Credentials == nil {
			in.Credentials = map[string]string{}
		}
		in.Credentials[key] = value
		return q.UpdateInbox(ctx, in)
	})
}
