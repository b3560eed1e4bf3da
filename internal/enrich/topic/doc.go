// Package topic puts topics on messages by a workspace's keyword and phrase
// rules: "refund", "outage", "threat to go public". A topic can route the
// message to a team, add priority points (Boost) and give the severity that
// the priority score counts as need.
//
// # Matching
//
// A message and every phrase are split into words the same way: lower-cased,
// accents removed (é→e, ß→ss, ø→o, Greek tonos, Russian ё→е), full-width and
// "𝗯𝗼𝗹𝗱" letters read as plain ones, and anything that is not a letter,
// digit or mark taken as a break between words. So phrases match whole words
// only ("sue" never matches "issue"), "down" matches "down!", "(down)" and
// "#down" (a hashtag is the customer's word too), and a phrase of several
// words matches across any run of spaces and punctuation between them, but
// not across another word: "charged twice" matches "charged... twice" and
// not "charged me twice". A phrase of several words also matches them run
// together, as hashtags write them: "lost my bag" matches "#LostMyBag".
// @mentions and links are not read: they name accounts and pages, not what
// the customer says. In Chinese, Japanese, Thai, Lao, Khmer and Burmese,
// written without spaces, each character is a word, so a phrase matches its
// characters anywhere in a run of them.
//
// A phrase ending in "*" matches any word that begins with its last word:
// "refund*" matches "refund", "refunds" and "refunded", not "nonrefundable".
//
// Compile builds a trie of the phrases' words, with the stems kept apart by
// length; Match splits the message once and walks the trie from every word,
// so its cost grows with the message and the longest phrase, not with the
// number of rules: about 1.3 µs for a 280-byte post against 300 phrases,
// with one allocation.
//
// Defaults is a starter set for customer care that each workspace edits.
package topic
