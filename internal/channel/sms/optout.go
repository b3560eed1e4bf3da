package sms

import (
	"strings"

	"github.com/parleyhq/parley/internal/care"
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
func classify(body, optOutType string) keyword {
	switch strings.ToUpper(strings.TrimSpace(optOutType)) {
	case "STOP":
		return optOut
	case "START":
		return optIn
	case "HELP":
		return helpKeyword
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
)

// optedOutReason is the agent-facing reason a reply is refused or failed
// when the customer has opted out.
const optedOutReason = "the customer replied STOP; they must text START before you can message them"

// optedOut reports whether last, the customer's newest message of the
// conversation, opted them out: its text carries the note Receive adds, or
// is an opt-out keyword on its own.
func optedOut(last *care.Message) bool {
	if last == nil {
		return false
	}
	if strings.HasSuffix(last.Text, optOutNote) {
		return true
	}
	return classify(last.Text, "") == optOut
}
