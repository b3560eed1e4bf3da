// Package blog is Parley's adapter for blogs, read through their feeds:
// what people write about a brand on their own blogs, and the comments
// left on the brand's. One inbox is a set of feeds and the brand names it
// watches for; its credentials are:
//
//	feeds     the feeds' addresses, separated by newlines or commas (1 to
//	          MaxFeeds): RSS 0.9x, 1.0 or 2.0, Atom or JSON Feed, http(s)
//	keywords  brand names and phrases, separated the same way (at most
//	          MaxKeywords); an item is imported when it mentions one;
//	          empty imports every item (the brand's own comment feeds)
//
// # Inbound
//
// The open web pushes nothing: Poll reads every feed every five minutes
// with a conditional GET (ETag and Last-Modified), follows redirects
// (a permanent one is remembered and logged, for the operator to update
// the address), stops a feed that answers 410 Gone, and waits out a 429
// or 503's Retry-After. A feed's first read is its baseline: what it holds
// then is not imported, so an inbox starts now. After that, every item
// the cursor does not know is new; see cursor.go for how items are
// remembered without trusting feeds' order or dates.
//
// A new item that mentions a keyword, as whole words without regard to
// case, in its title or text, becomes a public message:
//
//   - PlatformID is its guid (RSS) or id (Atom, JSON Feed), else its link,
//     else a hash of its title and date; an id that is not a URI is
//     prefixed with the feed's host, so two blogs' "1" differ.
//   - The author is the item's author (author, dc:creator, Atom author),
//     else the feed's, identified as "host/Name" ("blog.example.com/Jane"):
//     a name means something only on its blog. An item of no one is the
//     blog's own, identified by its host.
//   - The text is the title, a blank line and the content (or else the
//     summary), converted from HTML to plain text by HTMLToText, which
//     keeps no markup; the title is also the subject. The item's link is
//     an attachment of kind "link", its enclosures attachments by URL.
//   - A comment threads to what it answers when its feed says so: an Atom
//     thr:in-reply-to (RFC 4685; WordPress's Atom comment feeds name the
//     post for a top-level comment and the parent for a reply), or the
//     post's guid that starts a WordPress comment's guid in an RSS comment
//     feed ("<post guid>#comment-<id>"). ReplyToPlatformID is that item's
//     id, mapped like any id.
//   - slash:comments, a post's comment count, is its engagement.
//
// # Outbound
//
// None: a feed cannot be answered, and a blog's comment form is a web page
// behind its own login and spam filters. CheckReply refuses every reply,
// telling the agent to answer on the blog itself (with the post's address)
// and to mark the conversation resolved in Parley; Send fails for good
// with NoReplies. For WordPress sites, the wordpress adapter reads and
// answers comments through the site's API instead.
//
// # Limits
//
// A feed is read up to 5 MiB and 1,000 items; each fetch has 30 seconds.
// An inbox follows at most MaxFeeds feeds and MaxKeywords keywords.
// The cursor remembers 100 items per feed; the items of a larger feed
// older than the 100 newest are known by date. Items whose id changes
// (some generators rewrite guids) are imported again.
//
// feedfake, beside this package, serves feeds for tests and demos.
// docs/channels/blog.md explains how to set up an inbox.
package blog
