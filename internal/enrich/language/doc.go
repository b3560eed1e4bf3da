// Package language names the language of a customer's message, so that it
// reaches an agent who reads it and is answered in it.
//
// Social posts are short and noisy, and a wrong language routes a customer
// to someone who cannot read them, while no language only routes them to the
// default team. Detect therefore prefers "" to a guess:
//
//   - It reads words only. URLs, e-mail addresses, @mentions, #hashtags,
//     $cashtags, "RT", digits, emoji and punctuation are removed first.
//     Hashtags go whole: they are often English in posts that are not, and
//     their run-together words match no language's trigrams.
//   - It names no language for fewer than three words of two letters or more
//     ("thanks!!", "merci", "ok 👍"), except in a script that one language
//     alone uses (Greek, Hangul, Thai, Georgian, Japanese kana), where the
//     script is the evidence. In scripts written without spaces (Chinese,
//     Japanese, Thai) two characters count as a word.
//   - It answers "" when the detector's confidence is low.
//
// Codes are ISO 639-1 for the languages Parley's customers write in most (en,
// es, fr, de, it, pt, nl, sv, da, no, fi, pl, cs, tr, ru, uk, ar, he, hi, ja,
// ko, zh, id, ms, th, vi, el, ro, hu), with "no" for Norwegian Bokmål as the
// networks label it, and ISO 639-3 for any other language ("tgl", "pes").
//
// The default build uses whatlanggo, a trigram detector with no models to
// load, restricted to those languages and to every profile of the scripts
// other than Latin and Cyrillic (see likely in whatlang.go for why). It is
// unsure of most posts under five words and cannot tell Malay from
// Indonesian, and it is not cheap: whatever the length of the text, every
// candidate profile costs 300 map look-ups, about 300 µs of CPU for a
// 280-byte post on a 2-core machine, more than the 200 µs enrichment budget
// of a message. A conversation's language seldom changes, so callers should
// detect it once per conversation, not once per message. Built with the tag
// lingua, Detect uses lingua-go instead: far better on short posts, but
// slower still (about 460 µs per post) and, with its models for the 32
// candidate languages loaded on the first call, about 1.1 GB resident.
package language
