package whatsapp

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// MediaScheme prefixes the URL of an attachment WhatsApp holds: the rest is
// the media id, which the Graph API exchanges for a short-lived download URL
// (GET /{media-id} with the inbox's access token). Send passes such an
// attachment by id, which WhatsApp accepts for media uploaded to the number
// (POST /{phone number id}/media).
const MediaScheme = "whatsapp-media:"

// maxAttachmentURL is care.Inbound's bound on an attachment URL.
const maxAttachmentURL = 2048

// messageContent is what a customer's message says, normalised.
type messageContent struct {
	text        string
	attachments []care.Attachment
	replyTo     string
	linked      string
}

// content renders a message of any type as text and attachments. A type
// Parley does not know, or a message missing its object, becomes a
// placeholder in brackets, so an agent sees that something arrived.
func content(m *message) messageContent {
	var c messageContent
	var body string
	switch {
	case m.Type == "text" && m.Text != nil:
		body = m.Text.Body
	case mediaOf(m) != nil:
		md, kind := mediaOf(m), mediaKind(m.Type)
		body = md.Caption
		if id := strings.TrimSpace(md.ID); id != "" && len(MediaScheme+id) <= maxAttachmentURL && plainID(id) {
			c.attachments = append(c.attachments, care.Attachment{Kind: kind, URL: MediaScheme + id,
				MimeType: channel.CleanName(md.MimeType, 255), Name: channel.CleanName(md.Filename, care.MaxNameBytes)})
		} else if body == "" {
			body = fmt.Sprintf("[%s that WhatsApp sent without a media id]", m.Type)
		}
	case m.Type == "location" && m.Location != nil:
		body, c.attachments = locationContent(m.Location)
	case m.Type == "contacts" && len(m.Contacts) > 0:
		body = contactsContent(m.Contacts)
	case m.Type == "interactive" && m.Interactive != nil:
		body = interactiveContent(m.Interactive)
	case m.Type == "button" && m.Button != nil:
		body = cmp.Or(m.Button.Text, m.Button.Payload)
	case m.Type == "order" && m.Order != nil:
		body = orderContent(m.Order)
	case m.Type == "request_welcome":
		body = "[The customer opened a chat with you on WhatsApp]"
	case m.Type == "unsupported" || m.Type == "unknown":
		body = unsupportedContent(m)
	default:
		body = fmt.Sprintf("[A WhatsApp message of type %.40q that Parley cannot show yet]", m.Type)
	}

	var notes []string
	if m.Context != nil {
		if c.replyTo == "" {
			c.replyTo = m.Context.ID
		}
		if rp := m.Context.ReferredProduct; rp != nil {
			notes = append(notes, fmt.Sprintf("About product %s in catalog %s", rp.ProductRetailerID, rp.CatalogID))
		}
	}
	if r := m.Referral; r != nil {
		notes = append(notes, referralNote(r))
		// A post can be a message Parley holds (a Facebook or Instagram
		// post); an ad never is.
		if r.SourceType == "post" {
			c.linked = r.SourceID
		}
	}
	c.text = channel.CleanText(joinNonEmpty("\n\n", append([]string{body}, notes...)...), care.MaxTextBytes)
	if c.text == "" && len(c.attachments) == 0 {
		c.text = fmt.Sprintf("[An empty WhatsApp message of type %.40q]", m.Type)
	}
	c.replyTo, c.linked = boundedID(c.replyTo), boundedID(c.linked)
	return c
}

// mediaOf returns the media object of a media message, nil for any other.
func mediaOf(m *message) *media {
	switch m.Type {
	case "image":
		return m.Image
	case "video":
		return m.Video
	case "audio":
		return m.Audio
	case "document":
		return m.Document
	case "sticker":
		return m.Sticker
	}
	return nil
}

// mediaKind maps a WhatsApp media type to a care.Attachment kind.
func mediaKind(typ string) string {
	if typ == "document" {
		return "file"
	}
	return typ
}

func locationContent(l *location) (string, []care.Attachment) {
	geo := "geo:" + strconv.FormatFloat(l.Latitude, 'f', -1, 64) + "," + strconv.FormatFloat(l.Longitude, 'f', -1, 64)
	text := "Shared a location"
	if place := joinNonEmpty(", ", l.Name, l.Address); place != "" {
		text += ": " + place
	}
	text += " (" + strings.TrimPrefix(geo, "geo:") + ")"
	if l.URL != "" {
		text += " " + l.URL
	}
	return text, []care.Attachment{{Kind: "location", URL: geo, Name: channel.CleanName(l.Name, care.MaxNameBytes)}}
}

func contactsContent(cs []sharedContact) string {
	lines := make([]string, 0, len(cs))
	for _, c := range cs {
		parts := []string{cmp.Or(c.Name.FormattedName, joinNonEmpty(" ", c.Name.FirstName, c.Name.LastName))}
		for _, p := range c.Phones {
			parts = append(parts, cmp.Or(p.Phone, p.WaID))
		}
		for _, e := range c.Emails {
			parts = append(parts, e.Email)
		}
		line := "Shared a contact: " + cmp.Or(joinNonEmpty(", ", parts...), "(no details)")
		if c.Org.Company != "" {
			line += " (" + c.Org.Company + ")"
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func interactiveContent(i *interactive) string {
	switch {
	case i.Type == "button_reply" && i.ButtonReply != nil:
		return cmp.Or(i.ButtonReply.Title, i.ButtonReply.ID)
	case i.Type == "list_reply" && i.ListReply != nil:
		return joinNonEmpty(" — ", cmp.Or(i.ListReply.Title, i.ListReply.ID), i.ListReply.Description)
	case i.Type == "nfm_reply" && i.NFMReply != nil:
		// A WhatsApp Flow's answers (name "flow", body "Sent") or an address
		// message; response_json holds what the customer entered.
		r := i.NFMReply
		head := r.Body
		if head == "" || head == "Sent" {
			head = "Submitted a form"
		}
		return joinNonEmpty("\n", head, formFields(r.ResponseJSON))
	}
	return fmt.Sprintf("[An interactive WhatsApp reply of type %.40q]", i.Type)
}

// formFields renders a flat JSON object as "key: value" lines in key order,
// leaving out the flow token; anything else is returned as it is.
func formFields(s string) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(s), &obj) != nil {
		return s
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		if k != "flow_token" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	lines := make([]string, 0, len(keys))
	for _, k := range keys {
		v := string(obj[k])
		var str string
		if json.Unmarshal(obj[k], &str) == nil {
			v = str
		}
		lines = append(lines, k+": "+v)
	}
	return strings.Join(lines, "\n")
}

func orderContent(o *order) string {
	lines := []string{"Placed an order"}
	if o.CatalogID != "" {
		lines[0] += " from catalog " + o.CatalogID
	}
	lines[0] += ":"
	for _, it := range o.ProductItems {
		line := fmt.Sprintf("- %s × %s", cmp.Or(string(it.Quantity), "?"), it.ProductRetailerID)
		if it.ItemPrice != "" {
			line += fmt.Sprintf(" at %s %s", it.ItemPrice, it.Currency)
		}
		lines = append(lines, strings.TrimSpace(line))
	}
	if o.Text != "" {
		lines = append(lines, o.Text)
	}
	return strings.Join(lines, "\n")
}

func referralNote(r *referral) string {
	what := "an ad"
	if r.SourceType == "post" {
		what = "a post"
	}
	return "Came from " + what + ": " + cmp.Or(joinNonEmpty(" — ", r.Headline, r.Body, r.SourceURL), r.SourceID)
}

// unsupportedContent explains a message WhatsApp itself could not pass on
// (type "unsupported", error 131051 and the like).
func unsupportedContent(m *message) string {
	why := ""
	if len(m.Errors) > 0 {
		e := m.Errors[0]
		why = cmp.Or(e.ErrorData.Details, e.Title, e.Message)
	}
	if m.Unsupported != nil && m.Unsupported.Type != "" {
		why = joinNonEmpty(": ", "type "+m.Unsupported.Type, why)
	}
	if why == "" {
		return "[A WhatsApp message Parley cannot show]"
	}
	return "[A WhatsApp message Parley cannot show: " + why + "]"
}

// boundedID returns a platform id that fits care.Inbound, or "": an id cut
// short, or cleaned of stray bytes, would name another message.
func boundedID(id string) string {
	if len(id) > care.MaxPlatformIDBytes || !plainID(id) {
		return ""
	}
	return id
}

// plainID reports whether id is valid UTF-8 without control characters, as
// the ids WhatsApp issues are.
func plainID(id string) bool {
	return utf8.ValidString(id) && !strings.ContainsFunc(id, unicode.IsControl)
}

func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}
