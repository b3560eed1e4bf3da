package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Limits of a message (".../whatsapp/messages/text-messages" and the media
// pages), counted in characters.
const (
	MaxTextChars    = 4096
	MaxCaptionChars = 1024
)

// maxResponseBytes bounds what is read of a Graph API response.
const maxResponseBytes = 64 << 10

// sendRequest is the body of POST /{phone number id}/messages
// (".../whatsapp/reference/whatsapp-business-phone-number/message-api").
type sendRequest struct {
	MessagingProduct string `json:"messaging_product"`
	RecipientType    string `json:"recipient_type"`
	// To is the customer's phone number; Recipient their BSUID, used when
	// To is absent (".../whatsapp/business-scoped-user-ids").
	To        string `json:"to,omitempty"`
	Recipient string `json:"recipient,omitempty"`
	Context   *struct {
		MessageID string `json:"message_id"`
	} `json:"context,omitempty"`
	// BizOpaqueCallbackData comes back in the message's statuses.
	BizOpaqueCallbackData string           `json:"biz_opaque_callback_data,omitempty"`
	Type                  string           `json:"type"`
	Text                  *textPayload     `json:"text,omitempty"`
	Image                 *mediaPayload    `json:"image,omitempty"`
	Video                 *mediaPayload    `json:"video,omitempty"`
	Audio                 *mediaPayload    `json:"audio,omitempty"`
	Sticker               *mediaPayload    `json:"sticker,omitempty"`
	Document              *mediaPayload    `json:"document,omitempty"`
	Location              *locationPayload `json:"location,omitempty"`
	Template              *templatePayload `json:"template,omitempty"`
}

type textPayload struct {
	Body       string `json:"body"`
	PreviewURL bool   `json:"preview_url"`
}

// mediaPayload refers to media by the id WhatsApp gave it or by a public
// link WhatsApp downloads from.
type mediaPayload struct {
	ID       string `json:"id,omitempty"`
	Link     string `json:"link,omitempty"`
	Caption  string `json:"caption,omitempty"`
	Filename string `json:"filename,omitempty"`
}

type locationPayload struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Name      string  `json:"name,omitempty"`
}

// sendResponse is the body of an accepted send.
type sendResponse struct {
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
}

// compose builds the type-specific part of a send request from a reply's
// text and attachments. It returns EINVALID, with a message telling the
// agent what to change, for a reply WhatsApp cannot take in one message.
func compose(text string, atts []care.Attachment) (*sendRequest, error) {
	req := &sendRequest{MessagingProduct: "whatsapp", RecipientType: "individual"}
	if len(atts) > 1 {
		return nil, care.Errorf(care.EINVALID, "WhatsApp sends one attachment per message: send the others as separate replies.")
	}
	if len(atts) == 0 {
		if strings.TrimSpace(text) == "" {
			return nil, care.Errorf(care.EINVALID, "The message is empty.")
		}
		if n := utf8.RuneCountInString(text); n > MaxTextChars {
			return nil, care.Errorf(care.EINVALID, "WhatsApp messages are limited to %d characters; this one has %d.", MaxTextChars, n)
		}
		req.Type = "text"
		req.Text = &textPayload{Body: text, PreviewURL: strings.Contains(text, "https://") || strings.Contains(text, "http://")}
		return req, nil
	}
	a := atts[0]
	if a.Kind == TemplateKind {
		t, err := ParseTemplate(a)
		if err != nil {
			return nil, err
		}
		// The text is Parley's record of what the template says; WhatsApp
		// sends the template alone.
		req.Type, req.Template = "template", t.payload()
		return req, nil
	}
	if a.Kind == "location" {
		if strings.TrimSpace(text) != "" {
			return nil, care.Errorf(care.EINVALID, "WhatsApp cannot send text with a location: send the text as a separate reply.")
		}
		lat, long, ok := parseGeo(a.URL)
		if !ok {
			return nil, care.Errorf(care.EINVALID, "A location attachment needs a geo:LATITUDE,LONGITUDE URL.")
		}
		req.Type, req.Location = "location", &locationPayload{Latitude: lat, Longitude: long, Name: a.Name}
		return req, nil
	}
	m := &mediaPayload{}
	switch u, err := url.Parse(a.URL); {
	case strings.HasPrefix(a.URL, MediaScheme) && len(a.URL) > len(MediaScheme):
		m.ID = strings.TrimPrefix(a.URL, MediaScheme)
	case err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "":
		m.Link = a.URL
	default:
		return nil, care.Errorf(care.EINVALID, "WhatsApp fetches attachments from an http or https link; %q is not one.", a.URL)
	}
	captioned := true
	switch a.Kind {
	case "image":
		req.Type, req.Image = "image", m
	case "video":
		req.Type, req.Video = "video", m
	case "file", "document":
		req.Type, req.Document = "document", m
		m.Filename = a.Name
	case "audio":
		req.Type, req.Audio, captioned = "audio", m, false
	case "sticker":
		req.Type, req.Sticker, captioned = "sticker", m, false
	default:
		return nil, care.Errorf(care.EINVALID, "WhatsApp cannot send a %q attachment.", a.Kind)
	}
	if strings.TrimSpace(text) != "" {
		if !captioned {
			return nil, care.Errorf(care.EINVALID, "WhatsApp cannot caption %s: send the text as a separate reply.", req.Type)
		}
		if n := utf8.RuneCountInString(text); n > MaxCaptionChars {
			return nil, care.Errorf(care.EINVALID, "WhatsApp captions are limited to %d characters; this one has %d. Send the text as a separate reply.", MaxCaptionChars, n)
		}
		m.Caption = text
	}
	return req, nil
}

// parseGeo reads a "geo:LAT,LONG" URI (RFC 5870), ignoring any altitude
// and parameters.
func parseGeo(s string) (lat, long float64, ok bool) {
	rest, found := strings.CutPrefix(s, "geo:")
	if !found {
		return 0, 0, false
	}
	rest, _, _ = strings.Cut(rest, ";")
	parts := strings.Split(rest, ",")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, false
	}
	lat, err1 := strconv.ParseFloat(parts[0], 64)
	long, err2 := strconv.ParseFloat(parts[1], 64)
	if err1 != nil || err2 != nil || lat < -90 || lat > 90 || long < -180 || long > 180 {
		return 0, 0, false
	}
	return lat, long, true
}

// Send delivers one reply through the Cloud API and returns its wamid. It
// returns a permanent *channel.SendError when the inbox is not fully
// configured, the contact has no WhatsApp identity, the reply cannot be a
// WhatsApp message, or WhatsApp refuses it for good (outside the 24-hour
// window, unknown template, revoked token); a temporary one when WhatsApp is
// throttling, unavailable or does not answer in time.
func (a *Adapter) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	in := &out.Inbox
	base, err := a.baseURL(*in)
	if err != nil {
		return channel.Result{}, channel.Permanent("the inbox's api_base is not an http or https URL", err)
	}
	token := in.Credentials[CredAccessToken]
	if token == "" {
		return channel.Result{}, channel.Permanent("the inbox has no access_token", nil)
	}
	if !validPhoneNumberID(in.ExternalID) {
		return channel.Result{}, channel.Permanent("the inbox's external id is not a WhatsApp phone number id", nil)
	}
	rcpt, ok := out.Recipient()
	if !ok {
		return channel.Result{}, channel.Permanent("the contact has no WhatsApp identity", nil)
	}
	atts := out.Message.Attachments
	if len(atts) == 1 && atts[0].Kind == TemplateKind {
		// Checked against the approved template, which also says whether
		// its parameters are sent by name.
		fitted, err := a.fitTemplate(ctx, *in, atts[0])
		if err != nil {
			// This reply's values: the inbox is fine.
			return channel.Result{}, &channel.SendError{Permanent: true, Refused: true, Reason: care.ErrorMessage(err), Err: err}
		}
		atts = []care.Attachment{fitted}
	}
	req, err := compose(out.Message.Text, atts)
	if err != nil {
		return channel.Result{}, channel.Permanent(care.ErrorMessage(err), err)
	}
	address(req, rcpt)
	if id := out.Message.ReplyToPlatformID; id != "" {
		req.Context = &struct {
			MessageID string `json:"message_id"`
		}{id}
	}
	if k := out.IdempotencyKey; len(k) <= 512 {
		req.BizOpaqueCallbackData = k
	}
	body, err := json.Marshal(req)
	if err != nil {
		return channel.Result{}, channel.Permanent("the message cannot be encoded", err)
	}

	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/"+in.ExternalID+"/messages", bytes.NewReader(body))
	if err != nil {
		return channel.Result{}, channel.Permanent("the inbox's api_base is not usable", err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Authorization", "Bearer "+token)
	resp, err := a.client().Do(hreq)
	if err != nil {
		reason := "WhatsApp could not be reached"
		if ctx.Err() != nil || isTimeout(err) {
			reason = "WhatsApp did not answer in time"
		}
		return channel.Result{}, channel.Temporary(reason, 0, err)
	}
	defer resp.Body.Close()
	respBody, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	_, _ = io.CopyN(io.Discard, resp.Body, maxResponseBytes)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return channel.Result{}, sendError(resp, respBody, a.now())
	}
	rateLimit, _ := usage(resp.Header)
	res := channel.Result{Status: care.DeliverySent, RateLimit: rateLimit}
	// A 2xx means WhatsApp has the message even if the body was cut off:
	// retrying would send it twice, so a read error costs only the id.
	var sr sendResponse
	if readErr == nil && json.Unmarshal(respBody, &sr) == nil && len(sr.Messages) > 0 && storableID(sr.Messages[0].ID) {
		res.PlatformID = sr.Messages[0].ID
	}
	return res, nil
}

// address sets the recipient: the phone number in to, which Meta
// recommends whenever it is known so that webhooks keep carrying it; the
// BSUID in recipient when the identity is keyed by one.
func address(req *sendRequest, id care.Identity) {
	if isDigits(id.PlatformUserID) {
		req.To = id.PlatformUserID
		return
	}
	req.Recipient = id.PlatformUserID
	if phone, ok := strings.CutPrefix(id.Handle, "+"); ok && isDigits(phone) {
		req.To = phone
	}
}

// storableID reports whether a platform id can be stored and shown.
func storableID(id string) bool {
	if id == "" || len(id) > care.MaxPlatformIDBytes {
		return false
	}
	for _, r := range id {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return utf8.ValidString(id)
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &t) && t.Timeout()
}
