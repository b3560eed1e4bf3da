package topic

// Defaults returns a starter set of rules for customer care, for a workspace
// to edit. Severities follow the need component of the priority score:
// safety, legal, fraud and outages 1.0, a threat to go public 0.8, churn 0.7,
// money and deliveries 0.5, praise 0.1. Boost is 0, since severity already
// counts in the score, and Team is empty, since team slugs are each
// workspace's own.
//
// Words with everyday meanings are given in phrases that carry the complaint:
// "is down" and "down again" rather than "down" ("calm down", "down the
// road"), "on the news" rather than "news" ("any news on my refund?"),
// "leaving you" rather than "leaving" ("leaving for the airport"). Safety
// keeps "fire" and "sue" stays alone under legal: a false alarm there costs
// an agent a look, a miss costs far more.
func Defaults() []Rule {
	return []Rule{
		{Topic: "safety", Severity: 1, Phrases: []string{
			"food poisoning", "injured", "injury", "unsafe", "dangerous", "fire",
			"caught fire", "allergic reaction", "assaulted", "harassed",
		}},
		{Topic: "legal", Severity: 1, Phrases: []string{
			"lawyer", "attorney", "solicitor", "sue", "suing", "legal action",
			"lawsuit", "take you to court", "small claims",
		}},
		{Topic: "fraud", Severity: 1, Phrases: []string{
			"fraud*", "scam*", "unauthorised", "unauthorized", "hacked",
			"stolen card", "identity theft", "phishing",
		}},
		{Topic: "outage", Severity: 1, Phrases: []string{
			"outage", "not working", "isn't working", "doesn't work", "does not work",
			"is down", "are down", "still down", "down again", "offline",
			"can't log in", "cannot log in", "cant login", "keeps crashing",
		}},
		{Topic: "going public", Severity: 0.8, Phrases: []string{
			"going to the press", "go to the press", "the media", "journalist*",
			"reporter*", "on the news", "to the news", "tell everyone",
			"telling everyone", "viral", "bad review*",
		}},
		{Topic: "churn", Severity: 0.7, Phrases: []string{
			"cancel my account", "cancel my subscription", "close my account",
			"cancelling my", "canceling my", "switching to", "leaving you",
			"take my business elsewhere", "never again", "done with you",
		}},
		{Topic: "billing", Severity: 0.5, Phrases: []string{
			"charged twice", "double charged", "billed twice", "overcharged",
			"overcharging", "wrong amount", "hidden fee*", "unexpected charge*",
			"invoice", "bill",
		}},
		{Topic: "refund", Severity: 0.5, Phrases: []string{
			"refund*", "money back", "reimburse*", "chargeback", "compensation",
		}},
		{Topic: "delivery", Severity: 0.5, Phrases: []string{
			"lost my bag", "lost my luggage", "lost luggage", "lost my package",
			"lost my parcel", "never arrived", "hasn't arrived", "has not arrived",
			"not delivered", "never delivered", "where is my order",
			"where's my order", "missing parcel", "missing package",
		}},
		{Topic: "praise", Severity: 0.1, Phrases: []string{
			"thank you", "thanks so much", "great service", "excellent service",
			"amazing service", "well done", "you guys rock",
		}},
	}
}
