package sms

import (
	"context"
	"fmt"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// keyword is what a customer's message means to Twilio's opt-out handling.
type keyword int

const (
	noKeyword keyword = iota
	optOut
	optIn
	helpKeyword
)

// keywords are Twilio's default opt-out, opt-in and help keywords for long
// codes: "STOP, UNSUBSCRIBE, END, QUIT, STOPALL, REVOKE, OPTOUT, and CANCEL"
// (".../docs/messaging/tutorials/advanced-opt-out"); START, YES and UNSTOP
// opt back in, HELP and INFO ask for help (help.twilio.com article 223134027,
// "Twilio support for opt-out keywords"). Twilio acts on them only as the
// whole message, in any case: "replying STOP will stop the customer … but
// replying "STOP PLEASE" or "PLEASE CANCEL" will not".
var keywords = map[string]keyword{
	"STOP": optOut, "STOPALL": optOut, "UNSUBSCRIBE": optOut, "CANCEL": optOut,
	"END": optOut, "QUIT": optOut, "REVOKE": optOut, "OPTOUT": optOut,
	"START": optIn, "YES": optIn, "UNSTOP": optIn,
	"HELP": helpKeyword, "INFO": helpKeyword,
}

// classify returns what body means to Twilio. optOutType is the webhook's
// OptOutType parameter, which Twilio's Advanced Opt-Out sets to STOP, START
// or HELP when the message matched one of a Messaging Service's keywords,
// custom and translated ones included; it wins over the default list.
// whatsApp is set for a WhatsApp sender: Twilio's default keyword handling
// is SMS only, and keywords from WhatsApp are acted on only by a Messaging
// Service's Advanced Opt-Out ("Custom opt-out settings also apply to any
// WhatsApp senders in the Messaging Service", advanced-opt-out), so only
// optOutType counts.
func classify(body, optOutType string, whatsApp bool) keyword {
	switch strings.ToUpper(strings.TrimSpace(optOutType)) {
	case "STOP":
		return optOut
	case "START":
		return optIn
	case "HELP":
		return helpKeyword
	}
	if whatsApp {
		return noKeyword
	}
	body = strings.TrimSpace(body)
	if len(body) > len("UNSUBSCRIBE") {
		return noKeyword
	}
	return keywords[strings.ToUpper(body)]
}

// Notes Receive adds under a keyword, for agents and for CheckReply, which
// sees only the stored text of the customer's last message.
const (
	optOutNote = "[The customer opted out of SMS from this number: Twilio refuses further messages until they text START.]"
	optInNote  = "[The customer opted back in to SMS from this number.]"
	// Twilio answers HELP and INFO itself on long codes and toll-free
	// numbers, and on any number of a Messaging Service with Advanced
	// Opt-Out ("Twilio returns standard replies to these keywords",
	// help.twilio.com article 223181748); a standalone short code gets no
	// such reply.
	helpNote = "[A help keyword: Twilio sent the customer the number's automatic help reply, unless the number is a short code outside a Messaging Service.]"
	// A WhatsApp sender's bare STOP or START that Advanced Opt-Out did not
	// act on: without the note, keywordOf would read the stored text as
	// an opt-out or opt-in.
	whatsAppKeywordNote = "[Not an opt-out or opt-in: on WhatsApp, Twilio acts on keywords only through a Messaging Service's Advanced Opt-Out, which did not report this one.]"
)

// optedOutReason is the agent-facing reason a reply is refused or failed
// when the customer has opted out.
const optedOutReason = "the customer replied STOP; they must text START before you can message them"

// optedOut reports whether last, the customer's newest message of the
// conversation, opted them out: its text carries the note Receive adds, or
// is an opt-out keyword on its own.
func optedOut(last *care.Message) bool {
	return last != nil && keywordOf(last) == optOut
}

// keywordOf is what a stored customer message meant to Twilio's opt-out
// handling: optOut or optIn when its text carries the note Receive added
// (custom keywords included) or is a default keyword on its own,
// noKeyword otherwise.
func keywordOf(m *care.Message) keyword {
	switch {
	case strings.HasSuffix(m.Text, optOutNote):
		return optOut
	case strings.HasSuffix(m.Text, optInNote):
		return optIn
	}
	if k := classify(m.Text, "", false); k == optOut || k == optIn {
		return k
	}
	return noKeyword
}

// History reads a customer's messages across an inbox's conversations.
// Twilio keeps an opt-out per pair of numbers, the inbox's and the
// customer's, not per conversation: a STOP in one conversation holds for
// every other one with the same customer until they text START.
// care.Store satisfies it.
type History interface {
	Conversations(ctx context.Context, f care.ConversationFilter) (*care.ConversationPage, error)
	RecentMessages(ctx context.Context, conversationIDs []care.ID, limit int) ([]care.Message, error)
}

// How far back the opt-out check looks: the customer's newest
// conversations in the inbox and their newest messages. A customer who
// opted out and then sent more messages than that without opting in is
// stopped by Twilio instead (error 21610), with the same reason.
const (
	historyConversations = 100
	historyMessages      = 500
)

// optedOutOn reports whether the outbound's recipient opted out of the
// inbox's number: whether their newest opt-out or opt-in keyword in any of
// their conversations in the inbox is an opt-out. Without a History it
// looks at the conversation's own last message only.
//
// Messages do not record which of a contact's numbers sent them, so a
// contact with several SMS numbers (contacts merged by an agent) counts as
// opted out when any of them last texted STOP: Parley holds back a
// message Twilio might have sent, never the other way round.
func (a *Adapter) optedOutOn(ctx context.Context, out *channel.Outbound) (bool, error) {
	return a.optedOutIn(ctx, &out.Inbox, out.Contact.ID, out.Conversation.ID, out.LastInbound)
}

// CheckReplyHistory refuses a reply to a customer who opted out of the
// inbox's number in any of their conversations, so the agent hears it in
// the composer rather than from a failed delivery.
func (a *Adapter) CheckReplyHistory(ctx context.Context, c channel.ReplyCheck) error {
	out, err := a.optedOutIn(ctx, &c.Inbox, c.Conversation.ContactID, c.Conversation.ID, c.LastInbound)
	if err != nil {
		return err
	}
	if out {
		return care.Errorf(care.EINVALID, "The customer replied STOP to this number (in this or another conversation) and is opted out of SMS; they must text START before you can message them.")
	}
	return nil
}

// optedOutIn reports whether contact opted out of inbox's number: see
// optedOutOn. last is the conversation's newest customer message, the
// answer when there is no History.
func (a *Adapter) optedOutIn(ctx context.Context, inbox *care.Inbox, contact, convID care.ID, last *care.Message) (bool, error) {
	if a.History == nil || contact == 0 {
		return optedOut(last), nil
	}
	page, err := a.History.Conversations(ctx, care.ConversationFilter{WorkspaceID: inbox.WorkspaceID,
		InboxID: inbox.ID, ContactID: contact, Sort: care.SortNewest, Limit: historyConversations})
	if err != nil {
		return false, fmt.Errorf("sms: conversations of contact %d in inbox %d: %w", contact, inbox.ID, err)
	}
	ids := make([]care.ID, 0, len(page.Conversations)+1)
	seen := false
	for _, c := range page.Conversations {
		ids = append(ids, c.ID)
		seen = seen || c.ID == convID
	}
	if !seen && convID != 0 && len(ids) < historyConversations {
		// The reply's own conversation, should the contact have been
		// merged away from it since.
		ids = append(ids, convID)
	}
	msgs, err := a.History.RecentMessages(ctx, ids, historyMessages)
	if err != nil {
		return false, fmt.Errorf("sms: messages of contact %d in inbox %d: %w", contact, inbox.ID, err)
	}
	// Newest first: the first keyword decides.
	for i := range msgs {
		if msgs[i].Direction != care.DirectionIn || msgs[i].InboxID != inbox.ID {
			continue
		}
		if k := keywordOf(&msgs[i]); k != noKeyword {
			return k == optOut, nil
		}
	}
	return false, nil
}
