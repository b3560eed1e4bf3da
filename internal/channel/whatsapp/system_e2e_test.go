package whatsapp_test

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/whatsapp/wafake"
	"github.com/parleyhq/parley/internal/testdb"
)

// TestNoticesLeaveResolvedConversations: WhatsApp's notices about a
// customer (a changed security code, a vote, a pinned message, a system
// type Parley does not know) are not the customer writing, and a resolved
// conversation stays resolved, with no other opened beside it. Something
// the customer did send that WhatsApp cannot pass on (a poll) is still a
// message to answer.
func TestNoticesLeaveResolvedConversations(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		p := newParley(t, s)
		first := p.message(p.deliverAndDrain(wafake.Message{Text: "Where is my order?"}))
		conv := first.ConversationID
		resolved := care.StatusResolved
		if _, err := p.desk.Update(p.ctx, p.agent, conv, care.ConversationUpdate{Status: &resolved}); err != nil {
			t.Fatal(err)
		}
		n := p.count(conv)

		post := func(messages string) {
			t.Helper()
			code, err := p.fake.Post(p.ctx, []byte(`{"object":"whatsapp_business_account","entry":[{"id":"`+wafake.DefaultWABAID+`","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"`+wafake.DefaultDisplayPhoneNumber+`","phone_number_id":"`+wafake.DefaultPhoneNumberID+`"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"`+phone+`"}],"messages":[`+messages+`]}}]}]}`))
			if err != nil || code != 200 {
				t.Fatalf("post: %d %v", code, err)
			}
			p.clock.Add(time.Second)
			p.drain()
		}
		post(`{"from":"` + phone + `","id":"wamid.n1","timestamp":"1795510900","type":"system","system":{"body":"Sheena Nelson's security code changed","customer":"` + phone + `","identity":"DF2lS5v2W6x=","type":"customer_identity_changed"}},` +
			`{"from":"` + phone + `","id":"wamid.n2","timestamp":"1795510901","type":"system","system":{"body":"Something new","type":"user_did_something_new"}},` +
			`{"from":"` + phone + `","id":"wamid.n3","timestamp":"1795510902","type":"unsupported","errors":[{"code":131051,"title":"Message type unknown"}],"unsupported":{"type":"poll_update"}},` +
			`{"from":"` + phone + `","id":"wamid.n4","timestamp":"1795510903","type":"unsupported","errors":[{"code":131051,"title":"Message type unknown"}],"unsupported":{"type":"pin"}}`)
		open := func() int {
			t.Helper()
			page, err := p.store.Conversations(p.ctx, care.ConversationFilter{WorkspaceID: p.inbox.WorkspaceID, InboxID: p.inbox.ID,
				ContactID: first.ContactID, Statuses: []care.Status{care.StatusOpen}, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return len(page.Conversations)
		}
		c, err := p.store.Conversation(p.ctx, conv)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != care.StatusResolved || p.count(conv) != n || open() != 0 {
			t.Errorf("after the notices the conversation is %s with %d messages and the customer has %d open; want resolved with %d and none open",
				c.Status, p.count(conv), open(), n)
		}
		for _, id := range []string{"wamid.n2", "wamid.n3", "wamid.n4"} {
			if _, err := p.store.MessageByPlatformID(p.ctx, p.inbox.ID, id); care.ErrorCode(err) != care.ENOTFOUND {
				t.Errorf("notice %s was stored as a message (err %v)", id, err)
			}
		}

		post(`{"from":"` + phone + `","id":"wamid.n5","timestamp":"1795510904","type":"unsupported","errors":[{"code":131051,"title":"Message type unknown"}],"unsupported":{"type":"poll_creation"}}`)
		if poll := p.message("wamid.n5"); poll.Direction != care.DirectionIn || open() != 1 {
			t.Errorf("the customer's poll is %+v with %d open conversations; want a customer message in one", poll, open())
		}
	})
}
