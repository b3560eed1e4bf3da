// Package whatsapp is Parley's adapter for the WhatsApp Business Platform's
// Cloud API, hosted by Meta. One inbox is one business phone number: its
// ExternalID is the number's phone number id (not the phone number), and its
// credentials are:
//
//	app_secret    the Meta app's App Secret; verifies X-Hub-Signature-256 (required)
//	access_token  a system user access token with whatsapp_business_messaging (required)
//	verify_token  echoed in the webhook handshake; Prepare generates one if absent
//	waba_id       the WhatsApp Business Account id (optional; Parley reads its templates with it)
//	api_base      overrides the Graph API base URL, e.g. to point the inbox at a
//	              local fake (optional; default DefaultBaseURL)
//
// # Inbound
//
// Meta posts every event of the app's WhatsApp Business Accounts to the
// callback URL; Receive verifies the signature over the raw body and returns
// one channel.Event per message or status, with Account set to
// metadata.phone_number_id so the core files it under the right inbox. Every
// message type becomes a message: media as attachments whose URL is
// "whatsapp-media:<media id>", a location as a "geo:" URI (RFC 5870), button
// and list replies as the text the customer tapped, and types Parley cannot
// show as a readable placeholder, never dropped. A reaction is a
// care.KindReaction event, shown on the message it reacts to. Statuses of
// our messages (sent, delivered, read, failed with WhatsApp's reason) become
// care.KindStatus events keyed by the message's wamid; each event's raw
// payload is the message's or status's own JSON, from which PricingOf reads
// what WhatsApp said about billing. Messages the business sent from the
// WhatsApp Business app on a coexistence number (the smb_message_echoes
// field) become echoes. On such numbers a message deleted for everyone
// (type revoke) marks the message it names deleted, and an edit (type
// edit) is a new message "[Edited] …" replying to the one changed.
//
// A customer is identified by their business-scoped user id (BSUID, in
// webhooks since April 2026) when WhatsApp sends one, and by their phone
// number (wa_id) otherwise; a phone number sent beside a BSUID is an alias
// (care.Inbound.AuthorAliases), which finds customers known by their number
// before BSUIDs and is added to their contact. The identity's handle is
// the phone number, "+" and digits, when known, or else the WhatsApp
// username. A system message saying the customer's number or BSUID
// changed (user_changed_number, user_changed_user_id, and
// customer_changed_number before Graph API v12) is a care.KindIdentity
// event, not a message: the new ids join the contact the previous ones
// name. So is customer_identity_changed, the customer's security code
// changing, which only adds a note to their open conversation; other
// system types are skipped with a log line. An unsupported message of a
// kind that acts on an earlier one (a reaction, a poll vote, a pin, an
// edit WhatsApp does not pass on) is skipped with a log line too, so that
// none of these opens a conversation as if the customer had written
// (system.go).
//
// # Outbound
//
// Send posts to {base}/{phone number id}/messages: text (with link previews),
// one attachment sent by link (image, video, audio, sticker, file as a
// document, or a "geo:" location), or an approved template. A message carries
// a template as its single attachment:
//
//	{"kind": "template", "name": "order_update",
//	 "url": "whatsapp-template:order_update?language=en_US&body=%2312345&body=Tuesday"}
//
// The URL is authoritative (see Template and ParseTemplate): its opaque part
// names the template, language is its language code, and the optional
// parameters fill it in: body (repeated, in order: {{1}}, {{2}}, …),
// body.NAME (a named parameter), header (a text header parameter;
// header.NAME when named), header_image, header_video and header_document
// (a media header, by link) and button (repeated: the URL suffix of dynamic
// URL button 0, 1, …). The message's text is not sent with a template;
// store the rendered template there, so the conversation shows what the
// customer received.
//
// A template's parameters are positional or named (its parameter_format);
// WhatsApp takes named ones only with their parameter_name. When the inbox
// has its waba_id, Templates reads the account's templates (kept for
// TemplateMaxAge), FillTemplate checks an agent's values against one, and
// Send names the parameters of a named template given in order, refusing
// values that do not fit before WhatsApp sees them.
//
// WhatsApp allows free-form messages only within 24 hours of the customer's
// last message (the customer service window); CheckReply refuses them after
// that, before they are queued, and a template must be sent instead.
//
// The Cloud API has no idempotency key. When a response is lost after Meta
// accepted a message, the outbox sends it again and the customer receives it
// twice; each attempt carries the reply's idempotency key in
// biz_opaque_callback_data, which WhatsApp echoes in the statuses, so the
// duplicate can be recognised afterwards.
//
// docs/channels/whatsapp.md explains how to connect a number.
package whatsapp
