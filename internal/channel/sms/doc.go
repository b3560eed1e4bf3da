// Package sms is Parley's adapter for SMS and MMS through Twilio's
// Programmable Messaging. One inbox is one Twilio phone number or one
// Messaging Service; its credentials are:
//
//	account_sid            the Account SID, AC…; webhooks for another account are refused (required)
//	auth_token             the primary Auth Token: verifies X-Twilio-Signature and, with
//	                       the Account SID, authenticates sends with HTTP Basic (required)
//	from                   the sending number in E.164 (+14155550100) or a short code
//	messaging_service_sid  a Messaging Service, MG…, to send through instead of or with from
//	                       (one of from and messaging_service_sid is required)
//	status_callback        the inbox's public webhook URL, passed with each message so
//	                       that statuses come back (optional; see Adapter.StatusCallback)
//	api_base               another REST API base, e.g. a local fake (optional;
//	                       default DefaultBaseURL)
//
// # Inbound
//
// Twilio posts each incoming message, and each status of a message Parley
// sent, form-encoded to the inbox's webhook URL. Twilio signs the URL it
// was given and the parameters, so the webhook handler calls ReceiveURL
// with the URL as Twilio knows it (its public URL behind a proxy); the
// signature is accepted with the scheme's default port added or removed, as
// Twilio's own validators accept it. JSON-bodied webhooks, whose URL carries
// bodySHA256, are verified by that hash.
//
// A message becomes a private care.Inbound keyed by its MessageSid, from the
// customer's number (From, in E.164) with their MMS media as attachments
// ("twilio-media:" and MediaUrlN, with MediaContentTypeN), which FetchMedia
// downloads with the account's credentials: Twilio requires them for every
// media URL. A WhatsApp location (Latitude, Longitude) becomes a "geo:"
// attachment, and a WhatsApp reply's OriginalRepliedMessageSid its
// ReplyToPlatformID. A status callback
// (MessageStatus) becomes a care.KindStatus event of our message: accepted,
// queued, sending and sent mean sent; delivered; read (where the channel
// reports it); undelivered, failed and canceled mean failed, with the
// meaning of Twilio's ErrorCode (30003 unreachable handset, 30007 carrier
// filtering, …) as the reason.
//
// # Opt-outs
//
// A customer who texts STOP (or STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT,
// REVOKE, OPTOUT, or a custom keyword Twilio's Advanced Opt-Out reports in
// OptOutType) is opted out by Twilio, which refuses every later message to
// them with error 21610 until they text START, YES or UNSTOP. Receive keeps
// the keyword as the message text and adds a note saying so; HELP and INFO,
// which Twilio answers with its automatic help reply, get a note too. From a
// WhatsApp sender only OptOutType counts: Twilio's default keywords are SMS
// only. Twilio's
// opt-out belongs to the pair of numbers, not to a conversation, so Send
// looks for the customer's newest opt-out or opt-in keyword across all
// their conversations in the inbox (Adapter.History) and refuses to send
// while it is an opt-out; CheckReplyHistory makes the same check in the
// composer, before a reply is queued; and error 21610 fails a reply with "the customer replied STOP; they must
// text START before you can message them".
//
// # Outbound
//
// Send creates a Message resource with To, From or MessagingServiceSid,
// Body, MediaUrl and StatusCallback, and records its SID. Segments counts
// what a text costs: GSM-7 160 characters per segment (153 each once it
// needs several), UCS-2 70 (67). The Messages resource has no idempotency
// key, so a reply whose answer was lost is sent again: at least once.
//
// docs/channels/sms.md explains how to connect a number.
package sms
