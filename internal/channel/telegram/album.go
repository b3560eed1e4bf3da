package telegram

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Albums. A customer who sends several photos, videos or documents at once
// sends an album: Telegram delivers each item as a message and an update
// of its own, sharing media_group_id, the caption usually on one of them
// (core.telegram.org/bots/api#message, media_group_id). Parley shows an
// album as one message with all its attachments, which takes seeing its
// parts together; nothing is held in memory for that, since what Parley
// has acknowledged must survive a restart.
//
// Each part's event names its album in care.Inbound.Group, and the
// pipeline joins the parts it threads into the message of the first
// (internal/ingest, group.go): that is how an album delivered to a
// webhook, where each request carries one update acknowledged on its own,
// becomes one message. When polling, Telegram keeps what getUpdates has
// not confirmed, and that queue is the buffer too: the parts in one page
// are joined here into one event, named by the first part, with the
// page's updates as a JSON array for its raw payload; and a page that ends
// with a part younger than albumWait is read only up to the album's first
// part (the offset stays there, so nothing of it is confirmed), and the
// next poll reads the album whole. The parts of an album Telegram spreads
// over more than that are joined by the pipeline.
const albumWait = 5 * time.Second

// album names the album an update's new message belongs to,
// "<chat>:<sender>:<media_group_id>", and its date; key is "" for any
// other update. Only new messages are joined: an edit of an album's part
// is an edit of that part.
func album(raw []byte) (key string, date int64) {
	var u struct {
		Message *struct {
			Chat         struct{ ID int64 }  `json:"chat"`
			From         *struct{ ID int64 } `json:"from"`
			SenderChat   *struct{ ID int64 } `json:"sender_chat"`
			MediaGroupID string              `json:"media_group_id"`
			Date         int64               `json:"date"`
		} `json:"message"`
	}
	if json.Unmarshal(raw, &u) != nil || u.Message == nil || u.Message.From == nil || u.Message.SenderChat != nil {
		return "", 0
	}
	m := u.Message
	key = albumKey(m.Chat.ID, m.From.ID, m.MediaGroupID)
	if key == "" {
		return "", 0
	}
	return key, m.Date
}

// albumKey is "<chat>:<sender>:<media_group_id>", the name of an album
// (care.Inbound.Group): a group id is Telegram's, and bounded here; the
// chat and the sender keep one customer's album apart from another's.
// "" when the message is no album's part.
func albumKey(chat, sender int64, mediaGroupID string) string {
	g := strings.TrimSpace(mediaGroupID)
	if g == "" || len(g) > 64 || chat == 0 || sender == 0 || !utf8.ValidString(g) {
		return ""
	}
	return strconv.FormatInt(chat, 10) + ":" + strconv.FormatInt(sender, 10) + ":" + g
}

// polled is an event of a polled page and the update it came from.
type polled struct {
	ev    channel.Event
	album string // see album
	raw   []byte
}

// joinAlbums joins the events of each album's parts into the first part's
// event, keeping the order of the rest.
func joinAlbums(in []polled) []channel.Event {
	out := make([]channel.Event, 0, len(in))
	first := map[string]int{} // album → index in out
	raws := map[int][]json.RawMessage{}
	for _, p := range in {
		k := p.ev.Inbound.Kind
		if p.album == "" || k != "" && k != care.KindMessage {
			out = append(out, p.ev)
			continue
		}
		i, ok := first[p.album]
		if !ok {
			first[p.album] = len(out)
			raws[len(out)] = []json.RawMessage{p.raw}
			out = append(out, p.ev)
			continue
		}
		joined := &out[i].Inbound
		part := p.ev.Inbound
		for _, a := range part.Attachments {
			if len(joined.Attachments) < care.MaxAttachments {
				joined.Attachments = append(joined.Attachments, a)
			}
		}
		if part.Text != "" && part.Text != joined.Text {
			joined.Text = channel.CleanText(joinNonEmpty("\n\n", joined.Text, part.Text), care.MaxTextBytes)
		}
		raws[i] = append(raws[i], p.raw)
	}
	for i, rs := range raws {
		if len(rs) > 1 {
			if b, err := json.Marshal(rs); err == nil {
				out[i].Raw = b
			}
		}
	}
	return out
}

// holdAlbum returns how many of a page's updates to take now: all of them,
// unless the page ends with an album whose newest part is younger than
// albumWait, whose parts may still be coming; then those before the
// album's first part.
func holdAlbum(keys []string, dates []int64, now time.Time) int {
	n := len(keys)
	// A part dated ahead of Parley's clock is not waited for: the wait
	// would last as long as the clocks disagree.
	if n == 0 || keys[n-1] == "" || now.Unix() < dates[n-1] || now.Unix()-dates[n-1] >= int64(albumWait/time.Second) {
		return n
	}
	for i, k := range keys {
		if k == keys[n-1] {
			return i
		}
	}
	return n
}
