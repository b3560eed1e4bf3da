package ingest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

// TestAlbumParts: a message the platform delivers in parts (a Telegram
// album to a webhook, each photo a request of its own) is stored once,
// with every part's attachments and caption, whether its parts are
// threaded in one pass or in several and in whichever order, and every
// part's id names it; parts of another contact, another inbox, or sent
// too far apart are not joined. A replay comes to the same.
func TestAlbumParts(t *testing.T) {
	base := time.Date(2026, 11, 24, 8, 59, 0, 0, time.UTC)
	// part is author's part id of album group, sent after base, with a
	// photo and caption text.
	part := func(id, author, group, text string, after time.Duration) care.Inbound {
		return care.Inbound{Kind: care.KindMessage, PlatformID: id, Group: group, Visibility: care.Private, Text: text,
			Author: care.Author{PlatformUserID: author, DisplayName: author}, SentAt: base.Add(after),
			Attachments: []care.Attachment{{Kind: "image", URL: "telegram-file:" + id}}}
	}
	type message struct {
		ids   []string // the platform ids naming it, its own first
		text  string
		urls  []string
		emoji []string
	}
	photos := func(ids ...string) []string {
		var urls []string
		for _, id := range ids {
			urls = append(urls, "telegram-file:"+id)
		}
		return urls
	}
	for _, tc := range []struct {
		name    string
		steps   []step
		want    []message
		updates int // message.updated events
	}{
		{name: "two parts in one pass", steps: []step{{0, part("p1", "ana", "g", "", 0), false}, {0, part("p2", "ana", "g", "Both arrived broken", 0), true}},
			want:    []message{{ids: []string{"p1", "p2"}, text: "Both arrived broken", urls: photos("p1", "p2")}},
			updates: 1},
		{name: "two parts in two passes", steps: []step{{0, part("p1", "ana", "g", "Both arrived broken", 0), true}, {0, part("p2", "ana", "g", "", time.Second), true}},
			want:    []message{{ids: []string{"p1", "p2"}, text: "Both arrived broken", urls: photos("p1", "p2")}},
			updates: 1},
		{name: "the later part first", steps: []step{{0, part("p2", "ana", "g", "", time.Second), true}, {0, part("p1", "ana", "g", "Both arrived broken", 0), true}},
			want:    []message{{ids: []string{"p2", "p1"}, text: "Both arrived broken", urls: photos("p2", "p1")}},
			updates: 1},
		{name: "three parts, two captions", steps: []step{{0, part("p1", "ana", "g", "The box", 0), true}, {0, part("p2", "ana", "g", "The cups", 0), false},
			{0, part("p3", "ana", "g", "", 0), true}},
			want:    []message{{ids: []string{"p1", "p2", "p3"}, text: "The box\n\nThe cups", urls: photos("p1", "p2", "p3")}},
			updates: 2},
		{name: "the same caption twice", steps: []step{{0, part("p1", "ana", "g", "The box", 0), true}, {0, part("p2", "ana", "g", "The box", 0), true}},
			want:    []message{{ids: []string{"p1", "p2"}, text: "The box", urls: photos("p1", "p2")}},
			updates: 1},
		{name: "sent too far apart", steps: []step{{0, part("p1", "ana", "g", "", 0), true}, {0, part("p2", "ana", "g", "", care.GroupWindow+time.Second), true}},
			want: []message{{ids: []string{"p1"}, urls: photos("p1")}, {ids: []string{"p2"}, urls: photos("p2")}}},
		{name: "another contact's", steps: []step{{0, part("p1", "ana", "g", "", 0), false}, {0, part("p2", "ben", "g", "", 0), true}},
			want: []message{{ids: []string{"p1"}, urls: photos("p1")}, {ids: []string{"p2"}, urls: photos("p2")}}},
		{name: "another inbox's", steps: []step{{0, part("p1", "ana", "g", "", 0), true}, {1, part("p2", "ana", "g", "", 0), true}},
			want: []message{{ids: []string{"p1"}, urls: photos("p1")}, {ids: []string{"p2"}, urls: photos("p2")}}},
		{name: "another album", steps: []step{{0, part("p1", "ana", "g", "", 0), true}, {0, part("p2", "ana", "h", "", 0), true}},
			want: []message{{ids: []string{"p1"}, urls: photos("p1")}, {ids: []string{"p2"}, urls: photos("p2")}}},
		{name: "no album", steps: []step{{0, part("p1", "ana", "", "", 0), true}, {0, part("p2", "ana", "", "", 0), true}},
			want: []message{{ids: []string{"p1"}, urls: photos("p1")}, {ids: []string{"p2"}, urls: photos("p2")}}},
		{name: "reaction to a part before it", steps: []step{{0, part("p1", "ana", "g", "", 0), true}, {0, react("r1", "p2", "👍"), true},
			{0, part("p2", "ana", "g", "", 0), true}},
			want:    []message{{ids: []string{"p1", "p2"}, urls: photos("p1", "p2"), emoji: []string{"👍"}}},
			updates: 1},
		{name: "reaction to a part after it", steps: []step{{0, part("p1", "ana", "g", "", 0), false}, {0, part("p2", "ana", "g", "", 0), true},
			{0, react("r1", "p2", "👍"), true}},
			want:    []message{{ids: []string{"p1", "p2"}, urls: photos("p1", "p2"), emoji: []string{"👍"}}},
			updates: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, s care.Store) {
				ctx := context.Background()
				f := newFixture(t, s)
				f.arrive(t, tc.steps, 0, f.put)
				check := func(when string) {
					t.Helper()
					convs := map[care.ID]bool{}
					for _, w := range tc.want {
						inbox := f.inboxes[0].ID
						if strings.Contains(tc.name, "inbox") && w.ids[0] == "p2" {
							inbox = f.inboxes[1].ID
						}
						var id care.ID
						for _, pid := range w.ids {
							m, err := s.MessageByPlatformID(ctx, inbox, pid)
							if err != nil {
								t.Fatalf("%s: message %s: %v", when, pid, err)
							}
							if id == 0 {
								id = m.ID
								var urls, emoji []string
								for _, a := range m.Attachments {
									urls = append(urls, a.URL)
								}
								for _, r := range m.Reactions {
									emoji = append(emoji, r.Emoji)
								}
								got := message{ids: w.ids, text: m.Text, urls: urls, emoji: emoji}
								if diff := cmp.Diff(w, got, cmp.AllowUnexported(message{})); diff != "" {
									t.Errorf("%s: message %s (-want +got):\n%s", when, pid, diff)
								}
								if m.PlatformID != w.ids[0] {
									t.Errorf("%s: message named %q; want %q", when, m.PlatformID, w.ids[0])
								}
								convs[m.ConversationID] = true
							} else if m.ID != id {
								t.Errorf("%s: part %s is message %d; want %d, with %s", when, pid, m.ID, id, w.ids[0])
							}
						}
					}
					n := 0
					for c := range convs {
						msgs, err := s.Messages(ctx, c, 0, 100)
						if err != nil {
							t.Fatal(err)
						}
						conv, err := s.Conversation(ctx, c)
						if err != nil {
							t.Fatal(err)
						}
						if conv.MessageCount != len(msgs) {
							t.Errorf("%s: conversation %d counts %d messages; holds %d", when, c, conv.MessageCount, len(msgs))
						}
						n += len(msgs)
					}
					if n != len(tc.want) {
						t.Errorf("%s: %d messages; want %d", when, n, len(tc.want))
					}
					if pending, _ := s.PendingRaw(ctx, 10); len(pending) != 0 {
						t.Errorf("%s: %d raw events still pending", when, len(pending))
					}
				}
				check("threaded")
				updated := f.updates()
				if updated != tc.updates {
					t.Errorf("%d message.updated events; want %d", updated, tc.updates)
				}
				// A replay of everything (parley replay) comes to the same.
				f.replay(t)
				check("replayed")
			})
		})
	}
}

// put stores in, as the committer would, without threading it.
func (f *fixture) put(t *testing.T, inbox int, in care.Inbound) {
	t.Helper()
	in.InboxID, in.Channel = f.inboxes[inbox].ID, care.ChannelAPI
	if in.Kind == care.KindReaction {
		in.Visibility = care.Private
	}
	if err := in.Validate(); err != nil {
		t.Fatalf("invalid test event: %v", err)
	}
	f.now = f.now.Add(time.Second)
	if _, err := f.store.AppendRaw(context.Background(), []care.RawEvent{{InboxID: in.InboxID, WorkspaceID: f.ws.ID,
		DedupeKey: in.DedupeKey(), Inbound: in, ReceivedAt: f.now}}); err != nil {
		t.Fatal(err)
	}
}

// TestAlbumReply: a reply naming a later part of an album joins the
// album's conversation, found by the part's id, in the album's pass or a
// later one.
func TestAlbumReply(t *testing.T) {
	for _, onePass := range []bool{true, false} {
		testdb.Each(t, func(t *testing.T, s care.Store) {
			f := newFixture(t, s)
			for _, id := range []string{"p1", "p2"} {
				f.put(t, 0, care.Inbound{Kind: care.KindMessage, PlatformID: id, Group: "g", Visibility: care.Private,
					Author: care.Author{PlatformUserID: "ana"}, SentAt: f.now, Attachments: []care.Attachment{{Kind: "image", URL: "u" + id}}})
			}
			if !onePass {
				f.drain(t)
			}
			// Ben answers the second photo, in a group where both write.
			f.put(t, 0, care.Inbound{Kind: care.KindMessage, PlatformID: "b1", ReplyToPlatformID: "p2", Visibility: care.Private,
				Author: care.Author{PlatformUserID: "ben"}, Text: "same here", SentAt: f.now})
			f.drain(t)
			album, reply := f.conversationOf(t, 0, "p1"), f.conversationOf(t, 0, "b1")
			if album.ID != reply.ID || album.MessageCount != 2 {
				t.Errorf("onePass=%v: the reply to p2 is in conversation %d, of %d messages; want the album's, %d, of the album and the reply",
					onePass, reply.ID, album.MessageCount, album.ID)
			}
		})
	}
}

func TestAlbumPartValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   care.Inbound
		ok   bool
	}{
		{"a message's part", care.Inbound{Kind: care.KindMessage, Group: "1:1:g"}, true},
		{"an echo's", care.Inbound{Kind: care.KindEcho, Group: "1:1:g"}, false},
		{"too long", care.Inbound{Kind: care.KindMessage, Group: strings.Repeat("g", care.MaxPlatformIDBytes+1)}, false},
		{"not UTF-8", care.Inbound{Kind: care.KindMessage, Group: "g\xff"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.PlatformID, in.Visibility, in.Author, in.Text = "m1", care.Private, care.Author{PlatformUserID: "ana"}, "hi"
			if err := in.Validate(); (err == nil) != tc.ok {
				t.Errorf("Validate() = %v; want ok %v", err, tc.ok)
			}
		})
	}
}
