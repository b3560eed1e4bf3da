package whatsapp

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// The webhook payload, as described in "messages webhook reference"
// (developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages)
// and its per-type pages. Only the fields Parley reads are declared.

type delivery struct {
	Object string  `json:"object"`
	Entry  []entry `json:"entry"`
}

type entry struct {
	ID      string   `json:"id"` // the WhatsApp Business Account id
	Changes []change `json:"changes"`
}

type change struct {
	Field string `json:"field"`
	Value value  `json:"value"`
}

type value struct {
	Metadata struct {
		DisplayPhoneNumber string `json:"display_phone_number"`
		PhoneNumberID      string `json:"phone_number_id"`
	} `json:"metadata"`
	Contacts []contact `json:"contacts"`
	// Elements are kept raw: each event's raw payload is its own element.
	Messages      []json.RawMessage `json:"messages"`
	Statuses      []json.RawMessage `json:"statuses"`
	MessageEchoes []json.RawMessage `json:"message_echoes"`
	Errors        []apiError        `json:"errors"`
}

// contact is the sender's profile. Since April 2026 user_id carries the
// business-scoped user id (BSUID), and wa_id (the phone number) may be
// missing for users who adopted a username (".../whatsapp/business-scoped-user-ids").
type contact struct {
	Profile struct {
		Name     string `json:"name"`
		Username string `json:"username"`
	} `json:"profile"`
	WaID   string `json:"wa_id"`
	UserID string `json:"user_id"`
}

type message struct {
	From       string   `json:"from"`
	FromUserID string   `json:"from_user_id"`
	ID         string   `json:"id"`
	Timestamp  unixTime `json:"timestamp"`
	Type       string   `json:"type"`
	GroupID    string   `json:"group_id"`
	// To and ToUserID are set on echoes: the customer the business wrote to.
	To       string `json:"to"`
	ToUserID string `json:"to_user_id"`

	Context *struct {
		ID              string `json:"id"`
		Forwarded       bool   `json:"forwarded"`
		ReferredProduct *struct {
			CatalogID         string `json:"catalog_id"`
			ProductRetailerID string `json:"product_retailer_id"`
		} `json:"referred_product"`
	} `json:"context"`
	Referral *referral `json:"referral"`

	Text        *struct{ Body string } `json:"text"`
	Image       *media                 `json:"image"`
	Video       *media                 `json:"video"`
	Audio       *media                 `json:"audio"`
	Document    *media                 `json:"document"`
	Sticker     *media                 `json:"sticker"`
	Location    *location              `json:"location"`
	Contacts    []sharedContact        `json:"contacts"`
	Interactive *interactive           `json:"interactive"`
	Button      *struct {
		Payload string `json:"payload"`
		Text    string `json:"text"`
	} `json:"button"`
	Reaction *struct {
		MessageID string `json:"message_id"`
		Emoji     string `json:"emoji"`
	} `json:"reaction"`
	Order       *order  `json:"order"`
	System      *system `json:"system"`
	Unsupported *struct {
		Type string `json:"type"`
	} `json:"unsupported"`
	// Revoke and Edit are a customer deleting or changing a message they
	// sent, on numbers shared with the WhatsApp Business app
	// (".../webhooks/reference/messages/revoke" and ".../messages/edit"),
	// and the business doing so in the app, in message_echoes.
	Revoke *struct {
		OriginalMessageID string `json:"original_message_id"`
	} `json:"revoke"`
	Edit *struct {
		OriginalMessageID string `json:"original_message_id"`
		// Message is the new content, shaped like a message of its type.
		Message *message `json:"message"`
	} `json:"edit"`
	Errors []apiError `json:"errors"`
}

// system is a notice that the customer's ids changed
// (".../webhooks/reference/messages/system"): type user_changed_number
// with the new phone number in wa_id, or, since 11 August 2026,
// user_changed_user_id without one. Both carry the new BSUID in user_id
// and the one it replaces in previous_user_id (".../whatsapp/changelog":
// "A phone number change also regenerates the user's business-scoped user
// ID"). The parent BSUIDs of linked business portfolios are not used.
type system struct {
	Body string `json:"body"`
	Type string `json:"type"`
	WaID string `json:"wa_id"`
	// NewWaID is where Graph API versions before 12 put the new number.
	NewWaID        string `json:"new_wa_id"`
	UserID         string `json:"user_id"`
	PreviousUserID string `json:"previous_user_id"`
	// Customer is the wa_id of the customer a customer_identity_changed
	// notice is about; Identity the hash of their new identity key.
	Customer string `json:"customer"`
	Identity string `json:"identity"`
}

type media struct {
	ID       string `json:"id"`
	MimeType string `json:"mime_type"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"`
	Voice    bool   `json:"voice"`
}

type location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Name      string  `json:"name"`
	Address   string  `json:"address"`
	URL       string  `json:"url"`
}

type sharedContact struct {
	Name struct {
		FormattedName string `json:"formatted_name"`
		FirstName     string `json:"first_name"`
		LastName      string `json:"last_name"`
	} `json:"name"`
	Phones []struct {
		Phone string `json:"phone"`
		WaID  string `json:"wa_id"`
	} `json:"phones"`
	Emails []struct {
		Email string `json:"email"`
	} `json:"emails"`
	Org struct {
		Company string `json:"company"`
	} `json:"org"`
}

type interactive struct {
	Type        string `json:"type"`
	ButtonReply *struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"button_reply"`
	ListReply *struct {
		ID          string `json:"id"`
		Title       string `json:"title"`
		Description string `json:"description"`
	} `json:"list_reply"`
	NFMReply *struct {
		Name         string `json:"name"`
		Body         string `json:"body"`
		ResponseJSON string `json:"response_json"`
	} `json:"nfm_reply"`
}

type order struct {
	CatalogID    string `json:"catalog_id"`
	Text         string `json:"text"`
	ProductItems []struct {
		ProductRetailerID string      `json:"product_retailer_id"`
		Quantity          json.Number `json:"quantity"`
		ItemPrice         json.Number `json:"item_price"`
		Currency          string      `json:"currency"`
	} `json:"product_items"`
}

// referral describes the click-to-WhatsApp ad or post the customer came from.
type referral struct {
	SourceURL  string `json:"source_url"`
	SourceID   string `json:"source_id"`
	SourceType string `json:"source_type"`
	Headline   string `json:"headline"`
	Body       string `json:"body"`
}

type status struct {
	ID              string   `json:"id"`
	Status          string   `json:"status"`
	Timestamp       unixTime `json:"timestamp"`
	RecipientID     string   `json:"recipient_id"`
	RecipientUserID string   `json:"recipient_user_id"`
	Conversation    *struct {
		ID     string `json:"id"`
		Origin struct {
			Type string `json:"type"`
		} `json:"origin"`
	} `json:"conversation"`
	Pricing *struct {
		Billable flexBool `json:"billable"`
		Model    string   `json:"pricing_model"`
		Type     string   `json:"type"`
		Category string   `json:"category"`
	} `json:"pricing"`
	Errors []apiError `json:"errors"`
}

// apiError is an error object as webhooks carry it (statuses[].errors,
// messages[].errors, value.errors).
type apiError struct {
	Code      int    `json:"code"`
	Title     string `json:"title"`
	Message   string `json:"message"`
	ErrorData struct {
		Details string `json:"details"`
	} `json:"error_data"`
}

// unixTime is a timestamp in Unix seconds, which WhatsApp sends as a string
// ("1749416383"); a number is accepted too. Anything else is the zero time.
type unixTime struct{ time.Time }

func (t *unixTime) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	secs, err := strconv.ParseInt(s, 10, 64)
	// Outside years 1970..9999 a time cannot be stored or shown sensibly.
	if err != nil || secs <= 0 || secs > 253402300799 {
		t.Time = time.Time{}
		return nil
	}
	t.Time = time.Unix(secs, 0).UTC()
	return nil
}

// flexBool accepts true, false, "true" and "false"; Meta's pricing samples
// show billable both ways.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	*f = flexBool(string(bytes.Trim(b, `"`)) == "true")
	return nil
}
