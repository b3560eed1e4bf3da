// Package demo runs Parley the way a production deployment runs, on one
// machine and with nothing to configure: a fresh embedded database, the
// local fakes of every platform Parley connects to (X, Facebook and
// Instagram, WhatsApp, SMS through Twilio, Telegram, Bluesky, Mastodon) and a
// web form posting into an API inbox, each connected through its real
// webhook path with real signatures (or polled, where the platform has no
// webhooks) and answered through its real API path.
//
// Run seeds a brand, Orbit Mobile, through the HTTP API with an admin token:
// a care team and a PR & Marketing team with business hours, three agents
// with languages and capacity, triage topics in five languages, SLA
// policies, automation, moderation, approvals, surveys and saved replies.
// Then it plays customers and agents:
//
//   - customers write on every channel in English, Spanish, French, German
//     and Portuguese: questions, complaints, praise; the fakes sign and
//     deliver what they write;
//   - simulated agents, acting through the API with their own tokens, answer
//     what routing gave them, take a public Facebook complaint private,
//     resolve conversations, and an approver releases held replies;
//   - when a reply reaches a fake, its customer now and then answers again,
//     so conversations continue and get resolved;
//   - a customer who writes on WhatsApp and later by SMS from the same number
//     is linked to one contact through the merge API.
//
// In story mode (the default) a script adds an influencer's public
// complaint, a slow-building wave of posts about one outage with growing
// engagement, a spam comment for moderation, and prints what happens. In
// headless mode Run drives a fixed rate of inbound messages through the
// signed webhook paths for benchmarks and soak tests, bounded in time or
// count, then prints and returns a Report.
//
// Everything listens on and talks to the loopback interface only.
package demo
