package demo

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/whatsapp/wafake"
)

// linker links the contacts of a customer who wrote on WhatsApp and then by
// SMS from the same phone number: two platforms, two identities, which
// Parley keeps apart until someone merges them. An agent does it through
// the merge API, as one would on recognising the number; afterwards every
// message from either identity joins one contact and one history.
type linker struct {
	r       *run
	passing sync.Mutex // one pass at a time, so a pair is merged once

	mu      sync.Mutex
	waiting map[string]*customer // by customer key: the SMS side, once it wrote
	tries   map[string]int       // passes that found a pair incomplete
	// idents caches contacts' identities; a merge drops its two contacts.
	idents map[care.ID][]care.Identity
	// suggest are web chat visitors' email sides, by customer key, whose
	// merge Parley should suggest (see suggest.go), and found those whose
	// suggestion was seen; web is the agent's session in the web
	// interface that looks for it.
	suggest map[string]*customer
	found   map[string]bool
	web     *webSession
}

// want asks for cu's two contacts to be linked once both exist.
func (l *linker) want(cu *customer) {
	l.mu.Lock()
	l.waiting[cu.key] = cu
	l.mu.Unlock()
}

// pass tries to link every waiting customer once, and to find every
// waiting suggestion, and reports whether none is left waiting.
func (l *linker) pass(ctx context.Context) (bool, error) {
	l.passing.Lock()
	defer l.passing.Unlock()
	l.mu.Lock()
	var todo []*customer
	for _, cu := range l.waiting {
		todo = append(todo, cu)
	}
	l.mu.Unlock()
	var last error
	for _, cu := range todo {
		if err := l.link(ctx, cu); err != nil {
			last = err
		}
	}
	if err := l.suggestPass(ctx); err != nil {
		last = err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.waiting) == 0 && len(l.suggest) == 0, last
}

// link merges the SMS contact of cu into their WhatsApp contact, if both
// are threaded yet.
func (l *linker) link(ctx context.Context, cu *customer) error {
	plus := "+" + cu.phone
	wa, err := l.contact(ctx, l.r.plat.waInbox, func(id care.Identity) bool {
		return id.Platform == care.ChannelWhatsApp && (id.PlatformUserID == wafake.BSUID(cu.phone) || id.Handle == plus)
	})
	if err != nil || wa == 0 {
		return l.retry(cu, err)
	}
	sms, err := l.contact(ctx, l.r.plat.smsInbox, func(id care.Identity) bool {
		return id.Platform == care.ChannelSMS && id.PlatformUserID == plus
	})
	if err != nil || sms == 0 {
		return l.retry(cu, err)
	}
	if wa != sms {
		// The first agent spots the number; agents may merge contacts.
		a := l.r.team.agents[0]
		path := "/api/v1/contacts/" + strconv.FormatInt(wa, 10) + "/merge"
		if err := a.api.call(ctx, "POST", path, map[string]any{"contact_id": sms}, nil); err != nil {
			return err
		}
		l.r.tally.merged()
		// Both contacts' identities changed hands.
		l.mu.Lock()
		delete(l.idents, wa)
		delete(l.idents, sms)
		l.mu.Unlock()
		l.r.say("%s links %s's SMS to their WhatsApp contact (%s): one contact, one history", a.spec.first, cu.name, plus)
	}
	l.mu.Lock()
	delete(l.waiting, cu.key)
	l.mu.Unlock()
	return nil
}

// maxTries bounds the passes spent on one pair: one not found among the
// newest conversations after this many is left to a person.
const maxTries = 60

// retry counts a pass that could not link cu yet, and gives up on cu
// after maxTries.
func (l *linker) retry(cu *customer, err error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tries[cu.key]++; l.tries[cu.key] >= maxTries {
		delete(l.waiting, cu.key)
		l.r.log.Warn("demo: gave up linking a customer's contacts", "phone", "+"+cu.phone, "err", err)
	}
	return err
}

// contact finds, among the newest conversations of an inbox, the contact
// with an identity that matches; 0 when there is none yet.
func (l *linker) contact(ctx context.Context, inbox care.ID, match func(care.Identity) bool) (care.ID, error) {
	cursor := ""
	for range 5 {
		q := url.Values{"inbox": {strconv.FormatInt(inbox, 10)}, "limit": {"100"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page care.ConversationPage
		if err := l.r.admin.call(ctx, "GET", "/api/v1/conversations?"+q.Encode(), nil, &page, http.StatusOK); err != nil {
			return 0, err
		}
		for _, c := range page.Conversations {
			ids, err := l.identities(ctx, c.ContactID)
			if err != nil {
				return 0, err
			}
			for _, id := range ids {
				if match(id) {
					return c.ContactID, nil
				}
			}
		}
		if page.Next == "" {
			return 0, nil
		}
		cursor = page.Next
	}
	return 0, nil
}

func (l *linker) identities(ctx context.Context, contact care.ID) ([]care.Identity, error) {
	l.mu.Lock()
	ids, ok := l.idents[contact]
	l.mu.Unlock()
	if ok {
		return ids, nil
	}
	var got struct {
		Identities []care.Identity `json:"identities"`
	}
	if err := l.r.admin.call(ctx, "GET", "/api/v1/contacts/"+strconv.FormatInt(contact, 10)+"/identities", nil, &got, http.StatusOK); err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.idents[contact] = got.Identities
	l.mu.Unlock()
	return got.Identities, nil
}
