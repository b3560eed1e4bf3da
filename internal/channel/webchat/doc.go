// Package webchat is Parley's own channel: a chat widget a site embeds
// with one script tag, talking to Parley over a WebSocket.
//
// One inbox (channel "webchat") is one site's widget. Its credentials:
//
//	origins          page origins allowed to open the widget, e.g.
//	                 "https://shop.example.com, https://*.example.org" ("*."
//	                 allows subdomains); empty allows only Parley's own pages
//	secret           signs visitor tokens; Prepare generates one (changing it
//	                 makes every visitor a new one, without their history)
//	title            heads the panel; default the inbox's name
//	greeting         the first bubble; default DefaultGreeting
//	offline_message  tops the offline form; default DefaultOfflineMessage
//	color            the accent, "#rrggbb"; default DefaultColor
//	smtp_host, smtp_tls, smtp_user, smtp_password, from, dkim_*
//	                 optional SMTP submission settings, as an email
//	                 inbox's: replies to visitors who left are emailed
//	page_url         the page the emails link back to; default the first
//	                 origin that names one site
//
// Instructions give the tag, which loads WidgetPath from Parley:
//
//	<script src="https://<parley>/chat/widget.js" data-inbox="<id>" async></script>
//
// # The widget
//
// static/widget.js, plain JavaScript with widget.css inlined when served
// (WidgetScript). It builds its elements in a shadow root, so the page's
// styles and the widget's do not meet, styled by a constructed stylesheet,
// which a page's Content-Security-Policy style-src does not govern: a
// strict policy needs only script-src and connect-src for Parley. It uses
// no inline script, no style attributes, and shows every text with
// textContent. A launcher button (aria-label, aria-expanded) opens a panel
// (role dialog, the conversation as role log, Escape closes and gives
// focus back); on screens up to 600px wide the panel takes the whole
// screen; prefers-reduced-motion stops its animation.
//
// A new visitor connects when they first open the chat; one with a token
// connects on page load, to receive replies and count unread ones. A lost
// connection is retried with exponential backoff and jitter (1 to 30
// seconds), at once when the page becomes visible or the network returns.
// Messages written meanwhile wait in localStorage with their client id and
// are sent again on every connection until acknowledged.
//
// # Visitors
//
// A visitor is anonymous: hello without a token gets a new random visitor
// id (128 bits) and a token, "v1.<visitor id>.<HMAC-SHA256(secret, inbox
// id, visitor id)>" (SignVisitor), which the widget keeps in the page's
// localStorage. Parley keeps no session: any node with the inbox's secret
// recognises it, and a token that does not verify starts a new visitor.
// Their platform user id is "v:<visitor id>"; agents see them as "Visitor
// 3f2a91" until they give a name. identify {name, email} names them: the
// email is checked with net/mail (one bare address, domain lower-cased) and
// becomes the identity's Handle, the name its DisplayName, from their next
// message on. The email is not verified: nothing is merged on it here.
//
// # Protocol
//
// JSON text frames, one object each with a "type". The widget sends hello
// first, within Limits.HelloTimeout:
//
//	{"type":"hello","token":"v1.…"}                 token optional
//	{"type":"message","client_id":"6f1d…","text":"Where is my order?"}
//	{"type":"typing","on":true}                     repeated every 3s while typing
//	{"type":"identify","name":"Ana Lima","email":"ana@example.com"}
//	{"type":"seen","id":42}                         replies up to 42 were seen
//
// Parley answers:
//
//	{"type":"welcome","token":"v1.…","visitor":{"id":"…","name":"","email":""},
//	 "agents_available":true,"inbox":{"title":"…","greeting":"…","offline_message":"…","color":"#2f6fed"},
//	 "history":[{"id":41,"direction":"in","text":"…","author":"","sent_at":"…","client_id":"6f1d…"},
//	            {"id":42,"direction":"out","text":"…","author":"Dana","sent_at":"…"}]}
//	{"type":"ack","client_id":"6f1d…","id":9}        stored; id is the receipt, the same for a resend
//	{"type":"message","id":43,"direction":"out","text":"…","author":"Dana","sent_at":"…"}
//	{"type":"typing","on":true,"name":"Dana"}
//	{"type":"visitor","visitor":{"id":"…","name":"Ana Lima","email":"ana@example.com"}}
//	{"type":"error","code":"rate_limited","message":"…","client_id":"6f1d…"}
//
// History is the end (Limits.History messages) of the newest conversation
// in the inbox in which the visitor wrote: their own messages and the
// replies, never notes, never another identity's messages (a merge of
// contacts can put them in the same conversation). A message frame in is the
// visitor's own, from another tab or threaded after its ack. An agent is
// named by their first name only; a reply without a person (a rule's) by the
// inbox's title. Error codes: invalid and too_large (do not resend),
// rate_limited and unavailable (keep the message queued and resend),
// hello_required, too_many_sockets. Close codes: 1001 going away (Parley
// restarts; reconnect), 1008 policy violation (no hello, a flood of refused
// frames), 1013 try again later (the socket fell behind; reconnect and
// catch up from history). DecodeClient reads and bounds client frames.
//
// # Inbound
//
// A message becomes a care.Inbound of kind message, channel webchat,
// visibility private, PlatformID "<visitor id>:<client id>" (so a resend is
// a duplicate), the visitor as Author, and the server's clock as SentAt. It
// takes the path of a platform's webhook: Ingester.AppendAll stores it
// durably, and only then is the widget sent ack; the pipeline threads it
// afterwards. The raw payload is the frame as received.
//
// # Outbound
//
// The outbox may run on any node, the visitor's socket on another, or
// nowhere. So Adapter.Send only confirms (sent, PlatformID
// "out:<message id>"): Server delivers replies itself by watching message
// events, one watcher per workspace per node, which subscribes to the
// in-process bus and reads the events back from the store in id order,
// polling every Server.Poll when other nodes write to the same PostgreSQL
// database. A visitor who is away sees the replies in history when they
// come back. Nothing is posted anywhere, so a retried Send repeats nothing.
//
// Receipts are status events through the same durable path: delivered when
// the reply was pushed to an open socket (or shown in history), read when
// the widget says seen with the panel open and the page visible. A receipt
// needs the reply's platform id, which the outbox sets after Send; a reply
// seen before that is reported when the id arrives.
//
// # Typing and availability
//
// Typing carries typing signals both ways; TypingHub is an in-memory one for
// a single node. Availability decides whether the widget shows the composer
// or the offline form (name, email, message), whose message arrives as any
// other, from an identified visitor. AnyAgentOnline is the default: anyone
// in the workspace online.
//
// # Email
//
// With Server.Mail set and SMTP settings on the inbox, a visitor who gave
// an email and is gone is told of a reply by email: when, Server.MailAfter
// after it was written, it is sent but no widget on any node has reported
// it delivered, and the visitor has no socket on the emailing node. One
// node at a time emails (a lease), reading each inbox's message events from
// its MailCursor; an email is recorded as the reply's delivered status
// ("emailed to <address>") through Ingester, the receipts' durable path, so
// it is sent once across nodes and restarts, but for a stop between the
// server's acceptance and that status being applied.
//
// The address is the visitor's word, never confirmed, so the email is
// written for a stranger who may never have opened the chat: plain text
// saying who answered (the agent's first name and the title) and the link
// to page_url, where the reply waits in the widget's history; no name the
// visitor gave, no text of theirs, not the reply itself. Each address, and
// each visitor, is sent at most mailPerHour emails an hour; replies beyond
// that are left to the widget. Together these keep the widget from being a
// way to have the brand's server, and its DKIM key, mail a stranger's text,
// or much of anything, to whomever they name.
//
// # Limits and security
//
// The WebSocket handshake is a GET, which cross-origin protection lets
// through, and any page may open a socket anywhere: the Origin header,
// which pages cannot set, is checked against origins before upgrading
// (OriginAllowed), and refused with 403. Sockets are bounded per node, per
// client address and per visitor (Limits); frames by size (MaxFrameBytes,
// care.MaxTextBytes for text) and by a token bucket per socket; a silent
// socket is pinged and dropped when the pong does not come. Parley sets no
// cookie: a visitor's token is their credential, kept by the page's origin,
// and gives access to their own conversation only.
package webchat
