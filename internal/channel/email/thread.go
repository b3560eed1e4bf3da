package email

import (
	"bytes"
	"context"
	"slices"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"

	"github.com/parleyhq/parley/internal/care"
)

// A reply's References is the parent's References followed by the
// parent's Message-ID (RFC 5322 §3.6.4): the parent alone threads in
// clients that read In-Reply-To, but one that threads by References
// (Thunderbird, mutt, Apple Mail when a message is missing) needs the
// chain to place the reply under the conversation's first message. Parley
// stores no chain with a message, so Send reads the parent's header back
// from the mailbox, where the customer's messages are.

// referencesTimeout bounds reading the parent's header: a slow or
// unreachable IMAP server costs the reply its chain, never the reply.
const referencesTimeout = 10 * time.Second

// maxOutReferences bounds the ids a reply's References names. A longer
// chain keeps its first id, the thread's root, and its newest ones, as
// RFC 5537 §3.4.4 advises for trimming.
const maxOutReferences = 20

// maxParentHeaderBytes bounds the fields read of the parent.
const maxParentHeaderBytes = 64 << 10

// maxParentCopies bounds the messages with the parent's Message-ID
// looked at: copies of one message, or a server's loose HEADER match.
const maxParentCopies = 5

// ancestors returns the thread above parent as the parent's own header
// gives it, oldest first: its References, else its In-Reply-To when that
// names one message (RFC 5322 §3.6.4). It is nil when the inbox cannot
// read its mailbox, the parent is not in it (a message Parley sent, one
// deleted or moved) or the server does not answer in time.
func (a *Adapter) ancestors(ctx context.Context, in care.Inbox, parent string) []string {
	if parent == "" {
		return nil
	}
	s, err := imapSettingsOf(in)
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, referencesTimeout)
	defer cancel()
	c, err := a.dialIMAP(ctx, s, nil)
	if err != nil {
		a.logger().Info("email: the reply names only its parent in References", "inbox", in.ID, "err", err)
		return nil
	}
	defer c.close()
	if _, err := c.Select(s.mailbox, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		a.logger().Info("email: the reply names only its parent in References", "inbox", in.ID, "err", imapFailure(s, "EXAMINE "+s.mailbox, err))
		return nil
	}
	data, err := c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-Id", Value: "<" + parent + ">"}}}, nil).Wait()
	if err != nil {
		a.logger().Info("email: the reply names only its parent in References", "inbox", in.ID, "err", imapFailure(s, "UID SEARCH", err))
		return nil
	}
	uids := newUIDs(data, 0)
	if len(uids) == 0 {
		return nil
	}
	// The newest copies: a message filed twice has one header.
	uids = uids[max(0, len(uids)-maxParentCopies):]
	section := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, HeaderFields: []string{"Message-Id", "References", "In-Reply-To"},
		Peek: true, Partial: &imap.SectionPartial{Offset: 0, Size: maxParentHeaderBytes}}
	cmd := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}})
	defer cmd.Close()
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		for item := msg.Next(); item != nil; item = msg.Next() {
			if it, ok := item.(imapclient.FetchItemDataBodySection); ok && it.Literal != nil {
				if chain, ok := parentChain(readUpTo(it.Literal, maxParentHeaderBytes), parent); ok {
					return chain
				}
			}
		}
	}
	return nil
}

// parentChain reads the ancestors of parent from its header fields; ok is
// false when the fields are not parent's (HEADER search matches a part
// of a field).
func parentChain(fields []byte, parent string) ([]string, bool) {
	e, _ := message.Read(bytes.NewReader(append(fields, "\r\n\r\n"...)))
	if e == nil {
		return nil, false
	}
	h := mail.Header{Header: e.Header}
	if id, err := h.MessageID(); err != nil || id != parent {
		if ids := looseIDs(h.Get("Message-Id")); len(ids) == 0 || ids[0] != parent {
			return nil, false
		}
	}
	if refs := msgIDs(h, "References"); len(refs) > 0 {
		return refs, true
	}
	if irt := msgIDs(h, "In-Reply-To"); len(irt) == 1 {
		return irt, true
	}
	return nil, true
}

// threadReferences is a reply's References: ancestors, then parent, each
// once, at most maxOutReferences, the root kept when it is cut.
func threadReferences(ancestors []string, parent string) []string {
	refs := make([]string, 0, len(ancestors)+1)
	for _, id := range ancestors {
		if id != parent && validID(id) && !slices.Contains(refs, id) {
			refs = append(refs, id)
		}
	}
	refs = append(refs, parent)
	if len(refs) > maxOutReferences {
		refs = append(refs[:1:1], refs[len(refs)-(maxOutReferences-1):]...)
	}
	return refs
}
