package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

// albumPart is an update carrying one item of album group, sent by user 9
// in their private chat at date, with caption (may be "").
func albumPart(updateID, messageID int64, group string, date time.Time, caption string) []byte {
	c := ""
	if caption != "" {
		c = fmt.Sprintf(`,"caption":%q`, caption)
	}
	return fmt.Appendf(nil, `{"update_id":%d,"message":{"message_id":%d,"from":{"id":9,"is_bot":false,"first_name":"Cy"},"chat":{"id":9,"type":"private"},"date":%d,"media_group_id":%q,"photo":[{"file_id":"AgAD%d","file_unique_id":"u%d","width":1280,"height":960}]%s}}`,
		updateID, messageID, date.Unix(), group, messageID, messageID, c)
}

// TestPollAlbums: the parts of an album read in one page are one message
// with every attachment, named by the first part, with the parts' updates
// as its raw payload; an album whose newest part is a few seconds old is
// left for the next poll, unconfirmed, and read whole then.
func TestPollAlbums(t *testing.T) {
	t.Parallel()
	f, a, in := pollWorld(t)
	ctx := context.Background()
	old := testNow.Add(-time.Minute)
	parts := [][]byte{
		albumPart(10, 100, "13518", old, ""),
		albumPart(11, 101, "13518", old, "Both arrived broken"),
		[]byte(`{"update_id":12,"message":{"message_id":102,"from":{"id":9,"is_bot":false,"first_name":"Cy"},"chat":{"id":9,"type":"private"},"date":` + strconv.FormatInt(old.Unix(), 10) + `,"text":"see above"}}`),
		albumPart(13, 103, "13519", old, "another"),
		albumPart(14, 104, "13519", old, ""),
		// The newest album: its parts may still be coming.
		albumPart(15, 105, "13520", testNow.Add(-time.Second), "third"),
	}
	for _, p := range parts {
		f.Queue(p)
	}
	events, cursor, err := a.Poll(ctx, in, "")
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		ID, Text string
		Files    []string
		Raws     int
	}
	summary := func() []got {
		var out []got
		for _, ev := range events {
			g := got{ID: ev.Inbound.PlatformID, Text: ev.Inbound.Text}
			for _, at := range ev.Inbound.Attachments {
				g.Files = append(g.Files, at.URL)
			}
			var list []json.RawMessage
			if json.Unmarshal(ev.Raw, &list) == nil {
				g.Raws = len(list)
			}
			in := ev.Inbound
			in.InboxID, in.Channel = 1, care.ChannelTelegram
			if err := in.Validate(); err != nil {
				t.Errorf("event %s: %v", in.PlatformID, err)
			}
			out = append(out, g)
		}
		return out
	}
	want := []got{
		{ID: "9:100", Text: "Both arrived broken", Files: []string{"telegram-file:AgAD100", "telegram-file:AgAD101"}, Raws: 2},
		{ID: "9:102", Text: "see above"},
		{ID: "9:103", Text: "another", Files: []string{"telegram-file:AgAD103", "telegram-file:AgAD104"}, Raws: 2},
	}
	if diff := cmp.Diff(want, summary()); diff != "" {
		t.Fatalf("first poll (-want +got):\n%s", diff)
	}
	if want := "15:" + strs(testNow.Unix()); cursor != want {
		t.Fatalf("cursor = %q, want %q: the young album unconfirmed", cursor, want)
	}

	f.Queue(albumPart(16, 106, "13520", testNow.Add(-time.Second), ""))
	a.Now = func() time.Time { return testNow.Add(albumWait) }
	if events, cursor, err = a.Poll(ctx, in, cursor); err != nil {
		t.Fatal(err)
	}
	want = []got{{ID: "9:105", Text: "third", Files: []string{"telegram-file:AgAD105", "telegram-file:AgAD106"}, Raws: 2}}
	if diff := cmp.Diff(want, summary()); diff != "" {
		t.Fatalf("second poll (-want +got):\n%s", diff)
	}
	if want := "17:" + strs(testNow.Add(albumWait).Unix()); cursor != want {
		t.Errorf("cursor = %q, want %q", cursor, want)
	}
}

func TestHoldAlbum(t *testing.T) {
	t.Parallel()
	now := testNow.Unix()
	for _, tt := range []struct {
		name  string
		keys  []string
		dates []int64
		want  int
	}{
		{"empty page", nil, nil, 0},
		{"no album", []string{"", ""}, []int64{now, now}, 2},
		{"album at the end, young", []string{"", "a", "a"}, []int64{now, now - 1, now}, 1},
		{"album at the end, old enough", []string{"", "a", "a"}, []int64{now, now - 9, now - 5}, 3},
		{"album in the middle", []string{"a", "a", ""}, []int64{now, now, now}, 3},
		{"interleaved", []string{"a", "", "a"}, []int64{now, now, now}, 0},
		{"dated ahead of the clock", []string{"a"}, []int64{now + 60}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := holdAlbum(tt.keys, tt.dates, testNow); got != tt.want {
				t.Errorf("holdAlbum(%q, %v) = %d, want %d", tt.keys, tt.dates, got, tt.want)
			}
		})
	}
}

func TestAlbumKey(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, raw, want string
	}{
		{"part", `{"update_id":1,"message":{"message_id":5,"from":{"id":9},"chat":{"id":-100},"date":1,"media_group_id":"135"}}`, "-100:9:135"},
		{"no group", `{"update_id":1,"message":{"message_id":5,"from":{"id":9},"chat":{"id":9},"date":1}}`, ""},
		{"an edit", `{"update_id":1,"edited_message":{"message_id":5,"from":{"id":9},"chat":{"id":9},"date":1,"media_group_id":"135"}}`, ""},
		{"on behalf of a chat", `{"update_id":1,"message":{"message_id":5,"from":{"id":1087968824},"sender_chat":{"id":-100},"chat":{"id":-100},"media_group_id":"135"}}`, ""},
		{"group id of a wrong type", `{"update_id":1,"message":{"message_id":5,"from":{"id":9},"chat":{"id":9},"media_group_id":135}}`, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got, _ := album([]byte(tt.raw)); got != tt.want {
				t.Errorf("album(%s) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}
