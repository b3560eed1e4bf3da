// Package moderation decides what to do with a public comment on a brand's
// own page or post (Facebook, Instagram, YouTube): allow, hide, delete, flag
// for a person to review, or answer with a saved reply. It only decides; the
// caller applies the decision through the platform's API, records it and
// offers undo.
//
// A workspace configures a list of rules; the first that matches decides,
// and a comment no rule matches is allowed. Decide reads at most
// MaxTextBytes of a comment, whatever it contains.
//
// # Reading hostile text
//
// Comments are written to get past filters, so every rule reads the same
// normalised text: invisible characters (zero-width spaces and joiners,
// bidirectional controls, blank fillers) and combining marks are dropped;
// styled letters (fullwidth, mathematical bold and script, circled, small
// capitals) and Cyrillic and Greek look-alikes are read as the Latin letters
// they imitate; case and accents are folded ("ñ" is kept). Words are then
// read through leetspeak ("sh1t", "a$$", "@ss"; "1" and "l" are the same
// letter), repeated letters ("fuuuck"), separators ("f.u.c.k", "f u c k",
// "sh-it") and masking ("f**k", "f***ing": the first letter and two in all
// must show).
//
// Lists match whole words, never parts of words: "ass" matches "a$$" and
// "asss" but not "class", "assess" or "as"; "cock" does not match
// "cocktail", and nothing matches "Scunthorpe". A word ending in "*" matches
// the words it starts ("fuck*" matches "fucking"), so the built-in list uses
// "*" only where no ordinary word starts the same way.
//
// # Rules
//
// profanity: a built-in list of words in English, Spanish, French, German,
// Portuguese and Dutch (profanity.go), kept short; a words rule adds more.
// The reason names the word masked: "profanity: 'f***'".
//
// words: the workspace's own list of words and phrases ("free shipping
// scam", "competitor*"), matched like the profanity list. At most MaxWords
// entries of up to 8 words.
//
// links: URLs with a scheme, "www." hosts and bare domains
// ("example.com/x", "bit.ly/abc"; a bare domain needs a common TLD or a
// path, so "again.it" typed without a space is no link). The rule matches
// when a comment has more than MaxLinks links (0: none allowed; NoLinkLimit:
// any number), a link to a domain on BlockDomains, or, unless its domain is
// on AllowDomains, a link through a URL shortener or link page (bit.ly,
// linktr.ee, wa.me: the destination is hidden), an affiliate link ("ref=",
// Amazon "tag="), or, when AllowDomains is set, a link anywhere else. A
// domain spelt with look-alike letters is never on the allow list.
//
// spam: signals add up, and 2 make spam. A recruiting phrase ("DM me for",
// "check my profile", "follow back", "contact him"), money bait ("earn $"),
// a shortened or affiliate link and a phone number in a comment with a
// contact word ("WhatsApp +44…", "contact") count 2 each. A word common in spam and in
// ordinary comments alike ("crypto", "giveaway"), any other link, a bare
// phone number, 5 or more hashtags, 8 or more emoji, long text in capitals
// and hidden characters or look-alike letters inside words count 1 each. So
// "do you take crypto?" is not spam, and "crypto: example.com" is.
//
// low_effort: a generic comment of one to three words ("nice", "first",
// "good post", "wow", "niiice") or one made only of emoji ("🔥🔥"). A
// comment that tags someone, or has a link, is not low effort.
//
// repeated: the same text from at least Threshold distinct authors within
// Window; the Threshold-th author's comment and every later one get the
// action, earlier ones are not revisited. "Same" ignores case, spacing,
// punctuation, emoji, leetspeak, repeated letters and mentions; texts of
// fewer than 3 words or 15 letters are not counted, as short phrases repeat
// naturally. Each rule remembers at most MaxTracked texts, in memory: a
// restart forgets them. Every repeated rule counts every comment, even one
// an earlier rule decided.
//
// # Complaints
//
// A genuine complaint is never silently hidden. When a rule matches a
// comment that reads as one (Options.IsComplaint, or by default a list of
// phrases such as "refund", "never arrived", "charged twice", "still
// waiting", "no one answered", "food poisoning", "cancelled my flight", in
// the six languages), the decision says Complaint and RouteToCare, and a
// hide, delete or saved reply becomes Flag: a person sees it, and a canned
// reply does not answer it. A profane complaint is still a complaint.
//
// A complaint phrase in a promotional comment is bait, not a complaint ("I
// got my refund back thanks to Mr X, contact him on WhatsApp…"): a comment
// with a recruiting phrase, money bait, a shortened or affiliate link, a
// link to a domain any links rule blocks or a link spelt with look-alike
// letters keeps its action, and Complaint is not set. A link to a domain merely off an allow list does not make a
// complaint promotional: customers link photos of what went wrong.
package moderation
