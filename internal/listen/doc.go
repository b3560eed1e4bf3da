// Package listen is Parley's social listening: seeing the brand as others
// see it. Beyond the @mentions and replies that reach the inbox, people talk
// about a brand on social platforms without addressing it; listening finds
// those posts, for the brand and for its competitors, and reports how much
// is said, in what tone, with what share of voice, and when talk suddenly
// spikes, as when a complaint starts to spread. Platform adapters search
// for posts and stores keep them; this package is the pure logic between:
// the settings (ParseSettings), what to search for (Subject.Query), which
// subjects a found post is about (Matcher), and the report (Summarize). It
// has no storage and no clock.
//
// # Matching
//
// A subject's terms are words, phrases, #hashtags and @handles. Matching
// is on whole words, so that "acme" does not find "acmeist":
//
//   - Case and Latin accents do not count: "café" matches "CAFE", and
//     "Citroen" matches "Citroën". Full-width and "𝗯𝗼𝗹𝗱" letters read as
//     the plain ones.
//   - Letters, digits, marks and _ make words; everything else separates
//     them, so a phrase matches its words in sequence with anything but
//     words between: "acme air" matches "Acme-Air!", "acme   air" and
//     "ACME/air". CamelCase is not split: "acme air" does not match
//     "#AcmeAir"; add "#acmeair" as a term of its own. Characters that
//     do not show (zero-width space, non-joiner and joiner, word joiner,
//     byte-order mark, soft hyphen), the Arabic tatweel and Arabic and
//     Hebrew vowel marks are dropped without ending the word.
//     Half-width katakana read as full-width, and a voiced sound mark or
//     an Arabic hamza written as a separate mark joins its letter, as
//     NFKC would have it.
//   - Punctuation in a term that sets off a single letter or digit is
//     part of the name: "at&t" matches "AT&T" and "AT & T" but not
//     "at T-Mobile", because the fragments alone are common words. Spaces
//     around the punctuation, full-width forms, curly quotes and dashes
//     do not count; the mark does. Elsewhere punctuation separates, as
//     in a phrase ("coca-cola" matches "Coca Cola"), and punctuation at
//     either end of a term is not asked for.
//   - In Arabic and Hebrew a term's first word also matches after the
//     one-letter words written joined to the next (Arabic و ف ب ك ل and
//     the article ال, written لل after ل; Hebrew ו ה ב ל מ ש כ), alone
//     or combined. The word is looked up without each such prefix in
//     turn, so only a word whose rest is a term matches.
//   - "#acme" matches only the hashtag; "@acme" only the handle, with or
//     without a Mastodon domain ("@acme@mastodon.social"), and
//     "@acme@mastodon.social" only that one. A plain word matches as a
//     word, a hashtag or a handle: "acme" matches "#acme" and "@acme".
//     Handles are whole: "acme" does not match "@acme_support" or the
//     Bluesky "@acme.bsky.social"; list those as terms. An @ after a
//     word, as in "help@acme.com", is not a handle, and the address's
//     words are words.
//   - Links are not read: a field with "://" or starting "www." is
//     skipped to the next white space, so "https://acme.example/x" does
//     not mention acme. A link is a pointer, not something said about the
//     brand: a news site's links, a tracker's redirect or a shop's product
//     page would otherwise count as talk, and share of voice would
//     measure who links most. A domain written as a name ("acme.com is
//     down again") is words, and does count: people write brands so.
//   - In scripts written without spaces between words (Han, kana, Thai,
//     Lao, Khmer, Burmese) there are no word boundaries to find, so a term
//     matches as a run of characters anywhere: "ソニー" matches
//     "ソニーの新製品". Hangul is read the same way, because Korean
//     attaches particles to the noun before ("삼성은").
//   - Only the first MaxMatchBytes of a text are read; bytes that are not
//     UTF-8 separate words.
//
// A subject matches a text that has one of its terms and none of its
// excludes. Terms are compiled once into folded token sequences indexed
// by their first word, so a text costs one pass to split it and one map
// look-up per word, whatever the number of terms. An Arabic or Hebrew word
// that starts with a prefix letter costs a few more look-ups, one for each
// prefix it may carry.
//
// # Reports
//
// Summarize counts the found posts of a period into buckets of an hour or
// a local day. Share of voice is a subject's posts over all subjects'
// posts; net sentiment is (positive − negative) / posts, with a post
// positive at a sentiment of 0.2 or more and negative at −0.2 or less, the
// cut of enrich/sentiment. A post's sentiment for a subject is the tone of
// what it says about that subject, with every subject's own names left out
// of the reading ("Best Buy" is no praise), and for a post naming several
// subjects, of the clauses that name this one (see tones). Reach adds up
// authors' followers: potential impressions, an upper bound.
//
// # Spikes
//
// A spike is a bucket whose count is far above what the subject's recent
// history predicts. The baseline is the median of the buckets before it:
// the previous 7 for days, a week's cycle; for hours the larger of the
// median of the previous 24 and that of the same hour on the days before
// (up to a week), since care is talked about by day and against the night
// every busy afternoon would be a spike. The median rather than the mean,
// so that one spike does not raise the baseline enough to hide the next.
// A bucket is a spike when all three hold:
//
//	count ≥ MinSpike (10)        a handful of posts is noise
//	count ≥ 2 × baseline         big enough to be news
//	beyond chance                see isSpike
//
// Beyond chance is an exact Poisson test: were the bucket and the buckets
// its baseline comes from all talked about at one steady rate, its share
// of their posts would be that large less than once in 1,000. Small
// subjects are noisy (7 posts a day has days of 14), and the test takes
// the noise of the baseline's buckets into account as well as the
// bucket's, so a 30-day report of a steady subject, of any size, has a
// false spike in at most 2.6% of cases. Steady growth is not a spike, since
// each bucket is compared with recent ones.
//
// The buckets before a report's first ones come from the History before
// its period (SummarizeAfter), which begins with the first post found in
// it: a day is judged with at least 4 days before it, an hour with the
// same hour on an earlier day. Without them nothing tells an ordinary
// afternoon from an unusual one, so a new install's first day of hours has
// no spikes.
//
// # Buckets and time zones
//
// Buckets follow the report's location: a day is a local calendar day, 23
// or 25 hours when the clocks change, and starts at local midnight, or when
// the clocks change where midnight does not exist. Hours are real hours,
// 60 minutes each from the local hour that holds the period's start, so
// that the night the clocks go back has two buckets for 01:00 (in a zone
// whose offset changes by half an hour, as Lord Howe's, hours after the
// change start at half past).
package listen
