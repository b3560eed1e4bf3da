package mastofake

import (
	"html"
	"strings"
	"time"
)

// The entities as the API serialises them (docs.joinmastodon.org/entities/Account,
// …/Status, …/Notification, …/MediaAttachment), every documented field that
// a client might read, with Mastodon's types: ids are strings, absent
// values null, timestamps ISO 8601 with milliseconds.

const timeFormat = "2006-01-02T15:04:05.000Z"

type accountJSON struct {
	ID             string      `json:"id"`
	Username       string      `json:"username"`
	Acct           string      `json:"acct"`
	DisplayName    string      `json:"display_name"`
	Locked         bool        `json:"locked"`
	Bot            bool        `json:"bot"`
	Discoverable   bool        `json:"discoverable"`
	Group          bool        `json:"group"`
	CreatedAt      string      `json:"created_at"`
	Note           string      `json:"note"`
	URL            string      `json:"url"`
	URI            string      `json:"uri"`
	Avatar         string      `json:"avatar"`
	AvatarStatic   string      `json:"avatar_static"`
	Header         string      `json:"header"`
	HeaderStatic   string      `json:"header_static"`
	FollowersCount int64       `json:"followers_count"`
	FollowingCount int64       `json:"following_count"`
	StatusesCount  int64       `json:"statuses_count"`
	LastStatusAt   *string     `json:"last_status_at"`
	Emojis         []any       `json:"emojis"`
	Fields         []fieldJSON `json:"fields"`
	Source         *sourceJSON `json:"source,omitempty"`
}

type fieldJSON struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	VerifiedAt *string `json:"verified_at"`
}

// sourceJSON is the extra part of a CredentialAccount.
type sourceJSON struct {
	Privacy   string      `json:"privacy"`
	Sensitive bool        `json:"sensitive"`
	Language  string      `json:"language"`
	Note      string      `json:"note"`
	Fields    []fieldJSON `json:"fields"`
}

type statusJSON struct {
	ID                 string           `json:"id"`
	CreatedAt          string           `json:"created_at"`
	InReplyToID        *string          `json:"in_reply_to_id"`
	InReplyToAccountID *string          `json:"in_reply_to_account_id"`
	Sensitive          bool             `json:"sensitive"`
	SpoilerText        string           `json:"spoiler_text"`
	Visibility         string           `json:"visibility"`
	Language           *string          `json:"language"`
	URI                string           `json:"uri"`
	URL                string           `json:"url"`
	RepliesCount       int64            `json:"replies_count"`
	ReblogsCount       int64            `json:"reblogs_count"`
	FavouritesCount    int64            `json:"favourites_count"`
	EditedAt           *string          `json:"edited_at"`
	Favourited         bool             `json:"favourited"`
	Reblogged          bool             `json:"reblogged"`
	Muted              bool             `json:"muted"`
	Bookmarked         bool             `json:"bookmarked"`
	Content            string           `json:"content"`
	Filtered           []any            `json:"filtered"`
	Reblog             *statusJSON      `json:"reblog"`
	Application        *applicationJSON `json:"application,omitempty"`
	Account            accountJSON      `json:"account"`
	MediaAttachments   []mediaJSON      `json:"media_attachments"`
	Mentions           []mentionJSON    `json:"mentions"`
	Tags               []any            `json:"tags"`
	Emojis             []any            `json:"emojis"`
	Card               *struct{}        `json:"card"`
	Poll               *pollJSON        `json:"poll"`
}

type applicationJSON struct {
	Name    string  `json:"name"`
	Website *string `json:"website"`
}

type mentionJSON struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	URL      string `json:"url"`
	Acct     string `json:"acct"`
}

type mediaJSON struct {
	ID          string         `json:"id"`
	Type        string         `json:"type"`
	URL         string         `json:"url"`
	PreviewURL  string         `json:"preview_url"`
	RemoteURL   *string        `json:"remote_url"`
	Meta        map[string]any `json:"meta"`
	Description *string        `json:"description"`
	Blurhash    *string        `json:"blurhash"`
}

type pollJSON struct {
	ID          string           `json:"id"`
	ExpiresAt   *string          `json:"expires_at"`
	Expired     bool             `json:"expired"`
	Multiple    bool             `json:"multiple"`
	VotesCount  int64            `json:"votes_count"`
	VotersCount *int64           `json:"voters_count"`
	Options     []pollOptionJSON `json:"options"`
	Emojis      []any            `json:"emojis"`
	Voted       bool             `json:"voted"`
	OwnVotes    []int            `json:"own_votes"`
}

type pollOptionJSON struct {
	Title      string `json:"title"`
	VotesCount int64  `json:"votes_count"`
}

type notificationJSON struct {
	ID        string      `json:"id"`
	Type      string      `json:"type"`
	GroupKey  string      `json:"group_key"`
	CreatedAt string      `json:"created_at"`
	Account   accountJSON `json:"account"`
	Status    *statusJSON `json:"status,omitempty"`
}

type errorJSON struct {
	Error string `json:"error"`
}

// Account is an account the fake knows: the brand's, or a customer's.
type Account struct {
	ID       string
	Username string
	// Domain is "" for an account of the fake's own instance, else the
	// account's instance ("example.social").
	Domain      string
	DisplayName string
	Followers   int64
	Bot         bool
	// Verified, when set, marks the account's website field verified
	// (rel="me"), as Mastodon shows it.
	Verified bool
}

// Acct is the account's acct: username, with @domain for a remote
// account.
func (a Account) Acct() string {
	if a.Domain == "" {
		return a.Username
	}
	return a.Username + "@" + a.Domain
}

func (f *Fake) accountJSON(a Account, local string) accountJSON {
	host := a.Domain
	if host == "" {
		host = local
	}
	created := f.start.Add(-400 * 24 * time.Hour).Format(timeFormat)
	fields := []fieldJSON{{Name: "Pronouns", Value: "they/them"}}
	if a.Verified {
		at := f.start.Add(-24 * time.Hour).Format("2006-01-02T15:04:05.000+00:00")
		fields = append(fields, fieldJSON{Name: "Website",
			Value:      `<a href="https://` + host + `" rel="nofollow noopener noreferrer me" target="_blank"><span class="invisible">https://</span><span class="">` + html.EscapeString(host) + `</span><span class="invisible"></span></a>`,
			VerifiedAt: &at})
	}
	last := f.start.Format("2006-01-02")
	url := "https://" + host + "/@" + a.Username
	return accountJSON{
		ID: a.ID, Username: a.Username, Acct: a.Acct(), DisplayName: a.DisplayName, Bot: a.Bot, Discoverable: true,
		CreatedAt: created, Note: "<p>" + html.EscapeString(a.DisplayName) + "</p>", URL: url, URI: "https://" + host + "/users/" + a.Username,
		Avatar: "https://" + host + "/avatars/original/missing.png", AvatarStatic: "https://" + host + "/avatars/original/missing.png",
		Header: "https://" + host + "/headers/original/missing.png", HeaderStatic: "https://" + host + "/headers/original/missing.png",
		FollowersCount: a.Followers, FollowingCount: 12, StatusesCount: 42, LastStatusAt: &last,
		Emojis: []any{}, Fields: fields,
	}
}

// contentHTML renders a post's text as Mastodon's formatter does: each
// paragraph in <p>, line breaks as <br />, mentions of accounts as h-card
// links, everything escaped.
func contentHTML(text string, mentions []Account, local string) string {
	var b strings.Builder
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br />")
			}
			b.WriteString(linkMentions(html.EscapeString(line), mentions, local))
		}
		b.WriteString("</p>")
	}
	return b.String()
}

// linkMentions turns "@user@domain" and "@user" of the given accounts in
// escaped text into Mastodon's mention markup.
func linkMentions(s string, mentions []Account, local string) string {
	for _, m := range mentions {
		host := m.Domain
		if host == "" {
			host = local
		}
		link := `<span class="h-card" translate="no"><a href="https://` + host + `/@` + m.Username + `" class="u-url mention">@<span>` + m.Username + `</span></a></span>`
		for _, form := range []string{"@" + m.Username + "@" + host, "@" + m.Acct()} {
			if strings.Contains(s, form) {
				s = strings.Replace(s, form, link, 1)
				break
			}
		}
	}
	return s
}
