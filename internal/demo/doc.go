// Package demo runs Parley the way a production deployment runs, on one
// machine and with nothing to configure: a fresh embedded database, the
// local fakes of every platform Parley connects to (X, Facebook and
// Instagram, WhatsApp, SMS through Twilio, Telegram, Bluesky, Mastodon,
// YouTube, Google reviews, Reddit, Foursquare, a blog's feed, a WordPress
// site, IMAP and SMTP servers, and a phone system reporting calls), a web
// form posting into an API inbox, and visitors speaking the web chat
// widget's protocol to Parley, each connected through its real webhook
// path with real signatures (or polled, where the platform has no
// webhooks) and answered through its real API path.
//
// Run seeds a brand, Orbit Mobile, through the HTTP API with an admin token:
// a care team and a PR & Marketing team with business hours, three agents
// with languages and capacity, triage topics in five languages, SLA
// policies, automation, moderation, approvals, surveys and saved replies;
// and listening's subjects, the brand and two competitors, with five weeks
// of what was said about them imported, a spike of the brand's network
// outage among it. Then it plays customers and agents:
//
//   - customers write on every channel in English, Spanish, French, German
//     and Portuguese: questions, complaints, praise, reviews of the brand's
//     shops with their stars, blog posts, emails, calls to its care line;
//     the fakes sign and deliver what they write, or hold it for Parley's
//     next poll;
//   - simulated agents, acting through the API with their own tokens, answer
//     what routing gave them, take a public Facebook complaint private,
//     resolve conversations, and an approver releases held replies; where a
//     channel takes no reply (a call, a Foursquare tip, a blog post) they
//     note what they did and resolve;
//   - when a reply reaches a fake (for email, the customer's mailbox; for
//     the web chat, the visitor's socket), its customer now and then
//     answers again (on YouTube in the comment's thread, on Reddit and
//     WordPress under the brand's comment, on Google by editing their
//     review, by email with "Re:" and In-Reply-To), so conversations
//     continue and get resolved;
//   - a customer who writes on WhatsApp and later by SMS from the same number
//     is linked to one contact through the merge API, and their call to the
//     care line joins that contact by the number; a web chat visitor who
//     gives an email address and later writes from it stays two contacts,
//     since the address is not verified, and an agent finds the merge
//     Parley suggests on the conversation's page in the web interface.
//
// In story mode (the default) a script adds an influencer's public
// complaint, a slow-building wave of posts about one outage with growing
// engagement, spam comments for moderation, strangers' posts about the
// brands that address no one, which only listening's searches find, and
// prints what happens. In
// headless mode Run drives a fixed rate of inbound messages through the
// signed webhook paths for benchmarks and soak tests, bounded in time or
// count; a few customers also write once on the platforms Parley polls and
// in the web chat, outside the rate, and the run waits (bounded) for Parley
// to fetch them and for agents to deal with them; then it prints and
// returns a Report.
//
// Everything listens on and talks to the loopback interface only.
package demo
