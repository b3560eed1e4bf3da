// Package language names the language of a customer's message, so that it
// reaches an agent who reads it and is answered in it.
//
// Social posts are short and noisy, and a wrong language routes a customer
// to someone who cannot read them, while no language only routes them to the
// default team. Detect therefore prefers "" to a guess:
//
//   - It reads words only. HTML tags and comments (with the content of
//     script and style elements), URLs, e-mail addresses, @mentions,
//     #hashtags, $cashtags, "RT", digits, emoji and punctuation are removed
//     first, and character references (&nbsp;) decoded, so a message of
//     markup alone has no words, and no language.
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
// Detection works in two steps. The first counts votes: each word of the
// cleaned text is looked up, once, in short lists of function words written
// for the Latin- and Cyrillic-script languages above and Tagalog (articles,
// pronouns, prepositions, auxiliaries, "thanks" and "please"), and letters
// that few of them use ("ñ", "ł", "ø", "ї") vote too. A language with three
// votes or more, one for every five words, and twice as many words telling
// it from each rival as the rival has against it is the answer; one word
// never decides, whatever it is. Most posts of more than a few words end
// there. The second step, for the rest and for other scripts, is
// whatlanggo, a trigram detector with no models to load, restricted to
// those languages and to every profile of the scripts other than Latin and
// Cyrillic (see likely in whatlang.go), and narrowed further to the leaders
// of the vote when the vote had three or more for its leader. whatlanggo
// reads at most 160 bytes of words: its cost grows faster than the text.
// It is unsure of most posts under five words and cannot tell Malay from
// Indonesian, which the votes do not either.
//
// On a 2-core machine a 280-byte post settled by its words costs about
// 2 µs of CPU and one allocation, against about 285 µs when every post
// went to whatlanggo; one left to whatlanggo costs 140 to 190 µs, and the
// 4 KB Detect reads at most about 120 µs (1 ms before). The enrichment
// budget of a message is 200 µs. BenchmarkDetect and its neighbours in bench_test.go
// measure these. Built with the tag lingua, Detect counts the votes in the
// same way and leaves the rest to lingua-go instead: far better on short
// posts, but slower (about 460 µs per post) and, with its models for the 32
// candidate languages loaded on the first post the votes do not settle,
// about 1.1 GB resident. Indonesian is always left to lingua, which tells
// it from Malay.
package language
