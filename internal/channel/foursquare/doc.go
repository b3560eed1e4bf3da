// Package foursquare is Parley's adapter for Foursquare tips: the short
// public reviews people leave about a place. It polls the Places API
// (docs.foursquare.com/fsq-developers-places) for tips about the brand's
// places. One inbox is a set of places, by their fsq_place_id; its
// credentials are:
//
//	api_key       a Service API Key from the Foursquare Developer Console (required),
//	              sent as "Authorization: Bearer <key>" with
//	              "X-Places-Api-Version: 2025-06-17"
//	venues        the places, "fsq_place_id" or "fsq_place_id=Name", separated by
//	              commas or new lines, at most 100 (required)
//	poll_minutes  how often to poll, 5 to 1440 minutes (optional; default 60)
//	api_base      another Places API base, e.g. a local fake (optional;
//	              default DefaultBaseURL)
//
// # What the API allows
//
// The current Places API (version 2025-06-17) reads a place's tips with Get
// Place Tips, GET /places/{fsq_place_id}/tips: the newest 50 at most, with
// their text, time, link, language, photo and counts of agreements and
// disagreements, but not their authors. It has no way to answer a tip, to
// hide or flag one, no webhooks and no paging of older tips; its only
// writes suggest edits to a place's data. The deprecated v2 API, closed to
// projects created after 17 June 2025, had tip authors but no replies
// either. Foursquare bills Places API calls (its June 2025 pricing counts
// a venue's tips among the Premium endpoints, paid from credits), so each
// poll costs one billed call per place.
//
// # Inbound
//
// Poll reads each place's newest tips and returns those it has not seen
// (see the cursor in poll.go): each a public message keyed by its tip id,
// from an author of its own ("tip:<tip id>", named "Foursquare user"),
// with the subject "Foursquare tip on <place>", the tip's link after its
// text, its photo (full size) as an image, and its agreements and
// disagreements as engagement. The first poll of a place reads nothing:
// the inbox starts now.
//
// # Outbound
//
// None: CheckReply refuses replies with NoReply and Send fails them for
// good. Agents note what they did, and answer the customer elsewhere when
// the tip lets them recognise who wrote it.
//
// # Limits
//
// The Places API allows 50 queries per second to a pay-as-you-go project
// (100 for enterprise); a 429 is retried after Retry-After, or at the next
// poll. More than 50 new tips at one place between two polls lose the
// oldest.
//
// docs/channels/foursquare.md explains how to connect places.
package foursquare
