// Package email is Parley's adapter for email: one inbox is one mailbox,
// read over IMAP and answered through SMTP submission. Its ExternalID is
// the from address, lower-cased, and its credentials are:
//
//	imap_host         host:port of the IMAP server (required)
//	imap_tls          tls (implicit, the default), starttls, or none (only for 127.0.0.1 or localhost)
//	imap_user         IMAP user name (required)
//	imap_password     IMAP password, or the provider's app password (required)
//	imap_mailbox      the mailbox read (default INBOX)
//	smtp_host         host:port of the submission server (required to send)
//	smtp_tls          starttls (the default), tls, or none (only for 127.0.0.1 or localhost)
//	smtp_user         submission user, with smtp_password; both empty for a server without login
//	smtp_password     submission password
//	from              the address replies come from, "Acme Support <support@acme.example>" (required)
//	dkim_selector     selector of the DKIM key's DNS record (with dkim_private_key)
//	dkim_private_key  PEM RSA (at least 1024 bits) or Ed25519 key; replies are signed when set
//	dkim_domain       the signing domain (default the from address's domain)
//	authserv_id       the receiving servers whose Authentication-Results are read, comma-separated (default the topmost field's)
//
// # Inbound
//
// The adapter is a channel.Poller. Poll opens the mailbox read-only
// (EXAMINE) and fetches the messages with a UID above its cursor, at most
// PollLimit at a time, oldest first, with BODY.PEEK[] so nothing is marked
// \Seen: Poll cannot know when its events are durably stored, and people
// reading the same mailbox see it as it was. The cursor is
// {"uidvalidity":…,"uid":…}. The first poll, and the first after the
// server changed the mailbox's UIDVALIDITY (a restore, a migration: every
// UID is then meaningless), start from the messages that arrived in the
// last day (ResumeWindow) rather than importing the whole mailbox again;
// Message-IDs make the ones Parley already has harmless. PollInterval is a
// minute; an Idler holds an IMAP IDLE connection (RFC 2177) beside it and
// calls wake on new mail, so the poll runner can poll at once.
//
// Each message is read up to MaxMessageBytes (10 MB; a note says when
// there was more) with go-message, whose charset tables decode ISO-8859-*,
// windows-125* and the rest, in headers (RFC 2047) and bodies
// (quoted-printable, base64). It becomes an event whose PlatformID is its
// Message-ID (a hash of its fields and body when it has none, so every
// copy gets the same id), whose author is the From address, lower-cased,
// with its display name, and whose ReplyToPlatformID is the first id of
// In-Reply-To, else the last of References. The text is the text/plain
// version, else the HTML one sanitised by bluemonday and written as text
// (links as "text (url)", quotes as "> "), without the quoted history a
// client appended (see stripQuoted), at most care.MaxTextBytes. Other
// parts are attachments, kind from the MIME type, whose URL says where the
// part is (PartScheme: mailbox, UIDVALIDITY, UID, IMAP part number);
// Parley keeps no copy of their bytes. A message with one HTML body (the
// HTML alternative of a plain-text one included) also lists it, last, as
// an attachment of kind KindHTML. The raw payload kept with each event is
// the message's first MB.
//
// The adapter is a channel.MediaFetcher: FetchMedia opens the inbox's
// mailbox read-only (a reference to any other is refused), refuses when
// its UIDVALIDITY is no longer the one recorded
// (the UID may name another message), finds the part in the message's
// BODYSTRUCTURE and streams it with BODY.PEEK[part], at most MaxPartBytes,
// its Content-Transfer-Encoding undone. FetchHTML does the same for the
// KindHTML part and returns it sanitised for display (see sanitizeHTML):
// an allowlist of simple elements rebuilt from golang.org/x/net/html's
// parse, links to http, https and mailto only, no style, script, form,
// frame or remote image; the message's own images (cid:) inlined as data:
// URLs.
//
// Mail no person wrote is skipped with a log line, never answered: anything
// with Auto-Submitted other than "no" (RFC 3834), Precedence bulk, junk or
// list (mailing lists set it with List-Id), X-Autoreply or X-Autorespond,
// mail from MAILER-DAEMON or postmaster or with an empty Return-Path, and
// Parley's own messages coming back, recognised by their Message-IDs,
// "<parley.…@from domain>". A delivery status notification (RFC 3464,
// multipart/report; report-type=delivery-status) about one of Parley's
// replies becomes a status event: failed with the remote server's
// diagnostic, or delivered. A message from the inbox's own address (an
// agent answering from their mail client with a copy to the mailbox)
// becomes an echo to the customer it went to.
//
// Anyone can write any From address, so the receiving server's SPF, DKIM
// and DMARC verdicts are read from Authentication-Results (RFC 8601; see
// authres.go for the shapes read, sender.go for the rules): the fields
// whose authserv-id is in authserv_id, else the topmost field alone, the
// one the mailbox's provider added last. When they say the From domain
// is not authenticated (DMARC fail, or no DMARC pass and no DKIM or SPF
// pass for the From domain's organisation), the text starts with a
// "⚠ Not verified" line naming the address and the results, and the event
// has NewThread and neither ReplyToPlatformID nor References, so it starts
// a conversation of its own rather than join the customer's by their
// address or by Message-IDs anyone in the thread has seen. Such a message
// from the inbox's own address is skipped. A pass, or no verdict, changes
// nothing, so a field the sender forged cannot help them.
//
// The References chain, newest first and without the parent, goes in
// Inbound.References: the pipeline places a reply to a message it does not
// know (one an agent sent from their own mail client) by the newest
// message of the chain it knows, and, failing every id, joins the
// contact's active conversation, else a conversation of theirs resolved in
// the last 30 days with the same subject (care.BaseSubject), else starts a
// new one.
//
// # Outbound
//
// Send writes a plain-text reply (UTF-8, quoted-printable) from the from
// address to the contact's address, "Re: " and the conversation's subject
// (without stacking "Re: Re:"), In-Reply-To naming the message answered
// (the one the agent chose, else the customer's newest), References that
// message's own References (else its one In-Reply-To) followed by its
// Message-ID (RFC 5322 §3.6.4), at most 20 ids, the first kept, read from
// the message's header in the mailbox with UID SEARCH HEADER Message-ID
// and a BODY.PEEK of three fields (the parent alone when it is not there
// or the server does not answer within 10 s), and a Message-ID "<parley.HASH@from domain>" where HASH comes from the
// outbound's idempotency key. It sets no Auto-Submitted: a person wrote it.
// With a DKIM key it signs From, To, Subject, Date, Message-ID,
// In-Reply-To, References and the MIME fields (relaxed/relaxed). It
// submits over STARTTLS or implicit TLS with AUTH PLAIN. The server's 4xx
// replies and lost connections are temporary failures, its 5xx replies
// permanent ones with its text. The files an agent attached, linked under
// Adapter.PublicURL's /files/, are fetched from there and sent as base64
// parts of a multipart/mixed message, up to 15 MB in all; any other
// attachment, and one that cannot be fetched, goes as a link below the
// text.
//
// SMTP has no idempotency key: a connection lost after the message went
// out but before the server's "250 OK" makes the outbox send it again, and
// the customer may receive two copies. They carry the same Message-ID, by
// which mail clients can tell they are one.
//
// docs/channels/email.md explains how to connect a mailbox; package
// mailtest runs in-memory IMAP and SMTP servers for tests and demos.
package email
