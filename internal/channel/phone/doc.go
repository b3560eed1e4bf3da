// Package phone is Parley's adapter for phone calls: a telephony system (a
// PBX, a cloud contact centre, a Twilio application) reports each finished
// call to Parley's webhook, so calls sit in the customer's timeline beside
// their messages and count in routing and reporting. One inbox is one phone
// line or contact centre; its credentials are:
//
//	webhook_secret      signs call records in Parley's format; Prepare generates one
//	twilio_auth_token   verifies Twilio's Voice status callbacks (optional; without it
//	                    they are refused)
//	twilio_account_sid  refuses callbacks of any other Twilio account (optional)
//
// There is no single standard for call records, so Parley defines one; the
// rest of this comment describes it, and it is public API.
//
// # Request
//
// One call per request, posted once the call has ended:
//
//	POST /webhooks/{inbox id}
//	Content-Type: application/json
//	Parley-Signature: t=<unix seconds>,v1=<hex>
//
// v1 is the lower-case hex HMAC-SHA256, keyed with the inbox's
// webhook_secret, of the timestamp t as written in the header, a full stop,
// and the raw body: the scheme of Parley's own outbound webhooks (see
// package apiinbox). A timestamp more than five minutes from Parley's clock
// is refused, so a captured request cannot be replayed later; during a
// rotation the header may carry one v1 per secret.
//
// # Body
//
//	{
//	  "call_id": "c-20261124-0042",
//	  "direction": "inbound",
//	  "from": "+14155550123",
//	  "to": "+14155550100",
//	  "caller_name": "Ana Silva",
//	  "started_at": "2026-11-24T09:58:01Z",
//	  "answered_at": "2026-11-24T09:58:09Z",
//	  "ended_at": "2026-11-24T10:02:21Z",
//	  "duration_seconds": 252,
//	  "outcome": "answered",
//	  "recording_url": "https://pbx.example.com/recordings/c-20261124-0042.mp3",
//	  "agent": "sam@acme.example",
//	  "agent_notes": "Refund approved; label sent by email.",
//	  "queue": "Billing"
//	}
//
// call_id (required, at most 200 bytes) is the telephony system's id of the
// call, and Parley's dedupe key. direction (required) is "inbound" (the
// customer called) or "outbound" (an agent called the customer). from and to
// are E.164 numbers ("+14155550123"; spaces, dots, dashes and parentheses
// are ignored); the customer's side is required, except that an inbound
// call's from may be empty or "anonymous" when the caller withheld their
// number. started_at (required), answered_at and ended_at are RFC 3339
// times. duration_seconds is the talk time (for a voicemail, its length);
// without it Parley takes ended_at minus answered_at (for a voicemail,
// minus started_at). outcome (required) is
// answered, missed, voicemail, busy, failed or abandoned. recording_url must
// be https; for outcome voicemail it is the voicemail, and
// voicemail_transcript (only with that outcome) its text. agent is the email
// address of the agent who took or placed the call; agent_notes (at most 16
// KiB) and queue are shown with the call. Unknown fields are refused, so a
// misspelt one is noticed at once.
//
// # Response
//
// 200 once the call is stored (a record sent again is acknowledged and
// changes nothing); 400 with the reason for a record that is not valid or
// is over 64 KiB; 401 when the signature does not verify. Retry on 5xx.
//
// # Inbound
//
// The customer is their number in E.164, the identity the SMS adapter
// gives texters, so a customer who texts and calls is one contact once the
// core links phone identities. A caller who withheld their number is a
// contact of their own for that call ("withheld:<call_id>").
//
// An inbound call becomes the customer's private message; an outbound call
// an echo, the brand contacting the customer outside Parley, which counts
// as the brand's answer. Its text is a summary: "Inbound call, answered, 4
// min 12 s. Queue: Billing. Agent: sam@acme.example." and the notes. The
// recording and the voicemail transcript are messages of their own
// ("<call_id>/recording" with the audio attached, "<call_id>/transcript"),
// answering the call: a record sent again once its recording is ready adds
// exactly the recording, once. The call's own message is fixed by the first
// delivery; a later change of outcome or notes is not applied. The call's
// message carries the agent's address (care.Inbound.Agent), and the core
// assigns the conversation to the workspace member with it.
//
// Twilio's Voice status callbacks are accepted too (see receiveTwilio): the
// webhook handler passes the URL Twilio signed, and the signature is
// checked by the TwilioVerifier the app wires in from the SMS adapter.
//
// # Outbound
//
// None: a phone line carries calls. CheckReply refuses replies with
// ReplyRefusal, Send fails them for good, and CallLink gives the tel: URI
// the web UI offers to call the customer back.
//
// docs/channels/phone.md explains how to connect a telephony system.
package phone
