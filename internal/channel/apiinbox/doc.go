// Package apiinbox is the generic API inbox, through which any system can
// take part in conversations. Inbound, the system posts customer messages to
// Parley's API (see Decode). Outbound, Parley POSTs each agent's reply to the
// inbox's webhook URL, signed, so any system that can verify an HMAC can
// receive them; the rest of this comment describes that webhook, which is
// public API.
//
// # Request
//
// Every delivery is a POST with these headers:
//
//	Content-Type: application/json
//	User-Agent: Parley
//	Parley-Event: message.created
//	Idempotency-Key: <key>
//	Parley-Signature: t=<unix seconds>,v1=<hex>
//
// The Idempotency-Key is the same on every attempt to deliver one reply, so a
// receiver that remembers the keys it has processed handles a retry (after a
// timeout or a lost response) as a no-op. Delivery is at least once.
//
// # Signature
//
// v1 is the lower-case hex HMAC-SHA256, keyed with the inbox's webhook secret,
// of the timestamp t as written in the header, a full stop, and the raw request
// body:
//
//	v1 = hex(HMAC-SHA256(secret, t + "." + body))
//
// To verify, a receiver recomputes v1 over the bytes it received (before any
// JSON decoding), compares in constant time, and rejects a timestamp more than
// a few minutes from its own clock, which stops a captured request from being
// replayed later. While a secret is being rotated the header carries one v1
// per secret (t=…,v1=…,v1=…); a request is authentic when any of them matches.
// Receivers should ignore keys they do not know, so the scheme can add
// versions. Verify implements all of this.
//
// # Body
//
//	{
//	  "event": "message.created",
//	  "message": {
//	    "id": 42,
//	    "conversation_id": 7,
//	    "inbox_id": 3,
//	    "text": "Hello!",
//	    "visibility": "public",
//	    "attachments": [{"kind": "image", "url": "https://…", "mime_type": "image/png", "name": "a.png", "size": 1024}],
//	    "reply_to_platform_id": "msg-881",
//	    "author_name": "Ada",
//	    "created_at": "2026-03-01T12:00:00Z"
//	  },
//	  "conversation": {"id": 7, "contact_id": 11},
//	  "recipient": {"platform_user_id": "user-5", "display_name": "Grace"}
//	}
//
// Every key is always present: attachments is [] when there are none, and
// reply_to_platform_id and author_name are "" when unknown. Attachment keys
// other than kind are omitted when empty. Visibility is "public" or "private".
// Recipient is the customer as your system named them when posting in
// (author.id and author.name); for a contact known under several ids, the one
// most recently active.
// New keys may be added; receivers should ignore keys they do not know.
//
// # Response
//
// Any 2xx accepts the reply. If the body is a JSON object whose "id" is a
// string of at most 256 bytes, Parley stores it as the reply's platform id.
// 408, 425, 429 and 5xx are retried with backoff, honouring Retry-After (in
// seconds or as an HTTP date, capped at one hour); any other status fails the
// reply, and the start of the response body is shown to the agent as the
// reason. Redirects are not followed.
package apiinbox
