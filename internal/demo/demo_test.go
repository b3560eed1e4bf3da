package demo

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/bluesky"
	"github.com/parleyhq/parley/internal/channel/mastodon"
	"github.com/parleyhq/parley/internal/channel/reddit"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/config"
	"github.com/parleyhq/parley/internal/dispatch"
	lsn "github.com/parleyhq/parley/internal/listen"
	"github.com/parleyhq/parley/internal/secret"
	"github.com/parleyhq/parley/internal/sqlite"
	"github.com/parleyhq/parley/internal/sqlstore"
)

// syncBuffer is a bytes.Buffer safe for the log's concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// openStore opens the database a run left in dir, to check what Parley
// made of the traffic.
func openStore(t *testing.T, dir string) *sqlstore.DB {
	t.Helper()
	cfg := config.Config{DataDir: dir}
	key, err := secret.LoadOrCreateKeyFile(cfg.KeyFile())
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(context.Background(), cfg.SQLitePath(), box)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// The channels a headless run reaches: through webhooks at its rate, and
// aside from it, once at the start, on the platforms Parley polls and in
// the web chat; and those that take no reply, where agents note instead.
var (
	pushedChannels = []care.Channel{care.ChannelX, care.ChannelFacebook, care.ChannelInstagram, care.ChannelWhatsApp,
		care.ChannelSMS, care.ChannelTelegram, care.ChannelAPI, care.ChannelPhone}
	asideChannels = []care.Channel{care.ChannelBluesky, care.ChannelMastodon, care.ChannelYouTube, care.ChannelReviews,
		care.ChannelReddit, care.ChannelFoursquare, care.ChannelWebChat, care.ChannelEmail, care.ChannelBlog, care.ChannelWordPress}
	noteChannels = []care.Channel{care.ChannelPhone, care.ChannelFoursquare, care.ChannelBlog}
)

// TestHeadless drives 200 messages at 50 a second through every channel's
// signed webhook path, while a few customers write where no webhook takes
// it: on the platforms Parley polls (Bluesky, Mastodon, YouTube, Google
// reviews, Reddit, Foursquare, a blog, WordPress, the care mailbox) and in
// the web chat. Then it checks in the database the run left behind that
// Parley threaded each message to the right contact, linked the customers
// who wrote or called on two channels, and only suggested merging the web
// chat visitor who wrote from the email they typed; that it routed
// conversations on every channel to the online agents; that the agents'
// replies reached the platforms' fakes (the care mailbox's in the
// customers' mailboxes, the web chat's on the visitors' sockets) and
// customers answered in their threads; and that where no reply is
// possible (a phone line, Foursquare, a blog) agents noted what they did
// instead.
func TestHeadless(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var out syncBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := Run(ctx, Options{Addr: "127.0.0.1:0", DataDir: dir, Seed: 7, Headless: true, Rate: 50, Count: 200, Duration: time.Minute}, &out, log)
	if err != nil {
		t.Fatalf("Run: %v\nlog:\n%s", err, logs)
	}
	t.Logf("summary:\n%s", out.String())
	defer func() {
		if t.Failed() {
			t.Logf("log:\n%s", logs)
		}
	}()

	minAside := len(asideChannels) * asidePerKind
	if rep.Sent-rep.Aside != 200 || rep.Aside < minAside || rep.Acknowledged != rep.Sent || rep.Failed != 0 {
		t.Errorf("sent %d (%d aside from the webhooks), acknowledged %d, failed %d; want 200 through webhooks, at least %d aside, all acknowledged",
			rep.Sent, rep.Aside, rep.Acknowledged, rep.Failed, minAside)
	}
	if !strings.Contains(out.String(), fmt.Sprintf("acknowledged  %d", rep.Acknowledged)) || !strings.Contains(out.String(), "200 inbound messages") {
		t.Errorf("the summary does not report the messages and their acknowledgements:\n%s", out.String())
	}
	channels := append(slices.Clone(pushedChannels), asideChannels...)
	for _, ch := range channels {
		if rep.PerChannel[string(ch)] == 0 {
			t.Errorf("no message acknowledged on %s: %v", ch, rep.PerChannel)
		}
	}
	if rep.AckP50 <= 0 || rep.AckP99 < rep.AckP50 {
		t.Errorf("latency p50 %v, p99 %v", rep.AckP50, rep.AckP99)
	}

	ctx = context.Background()
	s := openStore(t, dir)
	wss, err := s.Workspaces(ctx)
	if err != nil || len(wss) != 1 || wss[0].Slug != brandSlug {
		t.Fatalf("workspaces = %+v, %v; want the brand's alone", wss, err)
	}
	ws := wss[0].ID
	suggested := map[string]Suggestion{}
	for _, sg := range rep.Suggested {
		suggested[sg.Customer] = sg
	}

	t.Run("threaded to the right contacts", func(t *testing.T) {
		contactOf := map[string]map[string]care.ID{} // customer → channel → their contact
		for _, smp := range rep.Inbound {
			m, err := s.MessageByPlatformID(ctx, smp.InboxID, smp.PlatformID)
			if err != nil {
				t.Errorf("%s message %s: %v", smp.Channel, smp.PlatformID, err)
				continue
			}
			conv, err := s.Conversation(ctx, m.ConversationID)
			if err != nil {
				t.Fatal(err)
			}
			if conv.ContactID != m.ContactID || string(conv.Channel) != smp.Channel || m.Direction != care.DirectionIn {
				t.Errorf("%s message %s: contact %d in conversation %d of contact %d on %s", smp.Channel, smp.PlatformID, m.ContactID, conv.ID, conv.ContactID, conv.Channel)
			}
			ct, err := s.Contact(ctx, m.ContactID)
			if err != nil {
				t.Fatal(err)
			}
			// Google gives a reviewer no id: Parley knows them by name.
			if !slices.ContainsFunc(ct.Identities, func(id care.Identity) bool {
				return string(id.Platform) == smp.Channel && (id.PlatformUserID == smp.AuthorID || smp.AuthorID == "" && id.DisplayName == smp.AuthorName)
			}) {
				t.Errorf("%s message %s by %s is filed under contact %d, whose identities are %+v", smp.Channel, smp.PlatformID, smp.AuthorID, ct.ID, ct.Identities)
			}
			if contactOf[smp.Customer] == nil {
				contactOf[smp.Customer] = map[string]care.ID{}
			}
			if prev, ok := contactOf[smp.Customer][smp.Channel]; ok && prev != m.ContactID {
				t.Errorf("customer %s has messages on %s under contacts %d and %d", smp.Customer, smp.Channel, prev, m.ContactID)
			}
			contactOf[smp.Customer][smp.Channel] = m.ContactID
		}
		// Every customer who wrote on two channels is one contact with an
		// identity on each: the demo's agent merges WhatsApp and SMS, or
		// Parley links them by itself, and Parley links a call to the
		// texter with the same number. A web chat visitor who wrote from
		// the email they typed is the exception: the address is not
		// verified, so Parley keeps two contacts and suggests the merge.
		both, called, chatMail := 0, 0, 0
		for who, byChannel := range contactOf {
			if len(byChannel) < 2 {
				continue
			}
			chs := slices.Sorted(maps.Keys(byChannel))
			if slices.Equal(chs, []string{string(care.ChannelEmail), string(care.ChannelWebChat)}) {
				chatMail++
				if byChannel["email"] == byChannel["webchat"] {
					t.Errorf("customer %s's web chat and email are one contact, %d: Parley merged on an unverified address", who, byChannel["email"])
				}
				if sg, ok := suggested[who]; !ok || sg.Contact != byChannel["webchat"] || sg.Candidate != byChannel["email"] {
					t.Errorf("customer %s wrote in the web chat (contact %d) and by email (contact %d); suggestions seen: %+v",
						who, byChannel["webchat"], byChannel["email"], rep.Suggested)
				}
				continue
			}
			var contact care.ID
			for _, id := range byChannel {
				if contact != 0 && id != contact {
					t.Errorf("customer %s wrote on %v under different contacts: %v", who, chs, byChannel)
				}
				contact = id
			}
			ct, err := s.Contact(ctx, contact)
			if err != nil {
				t.Fatal(err)
			}
			var platforms []string
			for _, id := range ct.Identities {
				platforms = append(platforms, string(id.Platform))
			}
			for _, ch := range chs {
				if !slices.Contains(platforms, ch) {
					t.Errorf("customer %s wrote on %v; their contact %d has identities on %v, none on %s", who, chs, ct.ID, platforms, ch)
				}
			}
			if slices.Contains(chs, string(care.ChannelWhatsApp)) && slices.Contains(chs, string(care.ChannelSMS)) {
				both++
			}
			if slices.Contains(chs, string(care.ChannelPhone)) {
				called++
			}
		}
		if both == 0 || called == 0 || chatMail == 0 {
			t.Errorf("%d customers wrote on WhatsApp and by SMS, %d texted and called, %d wrote in the web chat and by email; want some of each (%d contacts merged)",
				both, called, chatMail, rep.Merged)
		}
	})

	t.Run("a merge suggested, not made", func(t *testing.T) {
		if len(rep.Suggested) == 0 {
			t.Fatalf("no merge suggestion seen on a web chat conversation's page")
		}
		for _, sg := range rep.Suggested {
			chat, err := s.Contact(ctx, sg.Contact)
			if err != nil {
				t.Fatalf("the web chat visitor's contact %d: %v", sg.Contact, err)
			}
			mail, err := s.Contact(ctx, sg.Candidate)
			if err != nil {
				t.Fatalf("the suggested contact %d is gone: %v", sg.Candidate, err)
			}
			var typed string
			for _, id := range chat.Identities {
				if id.Platform == care.ChannelWebChat {
					typed = id.Handle
				}
			}
			if typed == "" || !slices.ContainsFunc(mail.Identities, func(id care.Identity) bool {
				return id.Platform == care.ChannelEmail && strings.EqualFold(id.PlatformUserID, typed)
			}) {
				t.Errorf("contact %d (identities %+v) was suggested for %d, who typed %q in the web chat", mail.ID, mail.Identities, chat.ID, typed)
			}
			if c, err := s.Conversation(ctx, sg.Conversation); err != nil || c.ContactID != sg.Contact || c.Channel != care.ChannelWebChat {
				t.Errorf("the suggestion was on conversation %+v, %v; want the visitor's web chat", c, err)
			}
		}
	})

	t.Run("the past fills the reports", func(t *testing.T) {
		checkPastReports(t, s, ws, rep.Past)
	})

	t.Run("a conversation on every channel", func(t *testing.T) {
		for _, ch := range channels {
			if len(runConversations(t, s, care.ConversationFilter{WorkspaceID: ws, Channel: ch}, rep.Past.Until)) == 0 {
				t.Errorf("no conversation on %s", ch)
			}
		}
	})

	t.Run("routed", func(t *testing.T) {
		agents, err := s.Agents(ctx, ws)
		if err != nil {
			t.Fatal(err)
		}
		online := map[care.ID]bool{}
		for _, a := range agents {
			// Load may exceed capacity: a customer who answers a pending
			// conversation reopens it with the agent who has it.
			if a.Presence == care.PresenceOnline {
				online[a.UserID] = true
			}
		}
		if len(online) != len(crew) {
			t.Errorf("%d agents online, want %d", len(online), len(crew))
		}
		routed := 0
		for _, c := range runConversations(t, s, care.ConversationFilter{WorkspaceID: ws}, rep.Past.Until) {
			if c.AssigneeID == 0 {
				continue
			}
			routed++
			if !online[c.AssigneeID] {
				t.Errorf("conversation %d is assigned to %d, who is not an online agent", c.ID, c.AssigneeID)
			}
		}
		if routed == 0 || routed != rep.Routed {
			t.Errorf("%d conversations routed, report says %d; want some", routed, rep.Routed)
		}
		// The channels a run reaches least, routed too.
		for _, ch := range append([]care.Channel{care.ChannelPhone}, asideChannels...) {
			convs := runConversations(t, s, care.ConversationFilter{WorkspaceID: ws, Channel: ch}, rep.Past.Until)
			if !slices.ContainsFunc(convs, func(c care.Conversation) bool { return online[c.AssigneeID] }) {
				t.Errorf("no conversation on %s was routed to an agent", ch)
			}
		}
		// What still waits is what no online agent had room for: routing,
		// run once more on what the demo left, finds nothing to give out.
		n, err := (&dispatch.Service{Store: s}).DispatchAll(ctx)
		if err != nil || n != 0 {
			t.Errorf("a routing pass after the run assigned %d, %v; want 0: every waiting conversation waits for a full agent", n, err)
		}
	})

	t.Run("replies reached the fakes", func(t *testing.T) {
		if rep.Replies == 0 || len(rep.Outbound) == 0 {
			t.Fatalf("no agent reply reached a fake: %+v", rep.RepliesPerChannel)
		}
		// The agents never repeat themselves, which X would refuse, and
		// every fake takes what its platform would.
		if rep.Undelivered != 0 || !strings.Contains(out.String(), "; 0 undelivered") {
			t.Errorf("%d replies undelivered (%v); want none:\n%s", rep.Undelivered, rep.UndeliveredPerChannel, out.String())
		}
		for _, ch := range asideChannels {
			if !slices.Contains(noteChannels, ch) && rep.RepliesPerChannel[string(ch)] == 0 {
				t.Errorf("no reply reached %s's fake: %v", ch, rep.RepliesPerChannel)
			}
		}
		for _, smp := range rep.Outbound {
			m, err := s.MessageByPlatformID(ctx, smp.InboxID, smp.PlatformID)
			if err != nil {
				t.Errorf("%s reply %s recorded by the fake is not in Parley: %v", smp.Channel, smp.PlatformID, err)
				continue
			}
			if m.Direction != care.DirectionOut || !slices.Contains([]care.DeliveryStatus{care.DeliverySent, care.DeliveryDelivered, care.DeliveryRead}, m.Status) {
				t.Errorf("%s reply %s is %s, %s; want outbound and sent", smp.Channel, smp.PlatformID, m.Direction, m.Status)
			}
		}
	})

	t.Run("customers answered in their threads", func(t *testing.T) {
		// An email answering a reply (In-Reply-To) joins the reply's
		// conversation; a web chat visitor answers in the chat.
		answered := map[string]int{}
		chats := map[string]int{}
		for _, smp := range rep.Inbound {
			if smp.Channel == string(care.ChannelWebChat) {
				if chats[smp.Customer]++; chats[smp.Customer] == 2 {
					answered[smp.Channel]++
				}
			}
			if smp.ReplyTo == "" {
				continue
			}
			m, err := s.MessageByPlatformID(ctx, smp.InboxID, smp.PlatformID)
			if err != nil {
				continue // reported above
			}
			parent, err := s.MessageByPlatformID(ctx, smp.InboxID, smp.ReplyTo)
			if err != nil || parent.Direction != care.DirectionOut || parent.ConversationID != m.ConversationID {
				t.Errorf("%s message %s answers %s, which is %+v, %v; want the reply, in its conversation %d", smp.Channel, smp.PlatformID, smp.ReplyTo, parent, err, m.ConversationID)
				continue
			}
			answered[smp.Channel]++
		}
		for _, ch := range []care.Channel{care.ChannelEmail, care.ChannelWebChat} {
			if answered[string(ch)] == 0 {
				t.Errorf("no customer answered a reply on %s: %v", ch, answered)
			}
		}
	})

	t.Run("listening", func(t *testing.T) {
		doc, err := s.Setting(ctx, ws, lsn.SettingName)
		if err != nil {
			t.Fatalf("the listening setting: %v", err)
		}
		st, err := lsn.ParseSettings(doc)
		if err != nil || len(st.Subjects) != 3 || st.Subjects[0].Name != brandName || !st.Subjects[0].Own {
			t.Fatalf("listening subjects %+v, %v; want Orbit Mobile's own and two competitors", st.Subjects, err)
		}
		l := rep.Listening
		if l.Kept < 1000 || l.Kept >= l.Imported {
			t.Errorf("%d of %d posts of history kept; want weeks of them, the birders' left out", l.Kept, l.Imported)
		}
		// The history, read back from the database as the report reads it:
		// the last 14 days hold Orbit's outage, a spike mostly negative.
		now := time.Now()
		pts, err := s.ListenPoints(ctx, ws, now.AddDate(0, 0, -14), now, 100000)
		if err != nil {
			t.Fatal(err)
		}
		spikes := lsn.Summarize(pts, st.Subjects, now.AddDate(0, 0, -14), now, lsn.Day, time.UTC).Spikes
		if !slices.ContainsFunc(spikes, func(sp lsn.Spike) bool { return sp.Subject == brandName && sp.Negative > 0.5 }) {
			t.Errorf("spikes over the last 14 days: %+v; want Orbit's outage, mostly negative", spikes)
		}
		if !slices.ContainsFunc(l.Spikes, func(sp lsn.Spike) bool { return sp.Subject == brandName }) || l.Shares[kestrel] <= l.Shares[brandName] {
			t.Errorf("the report after the import: shares %v, spikes %+v; want Kestrel ahead and Orbit's spike", l.Shares, l.Spikes)
		}

		// Each inbox on a platform that searches holds what its adapter
		// needs to search with (X an OAuth token, Bluesky an App Password,
		// Mastodon a token, Reddit a script app's login).
		searchers := map[care.Channel]channel.Searcher{care.ChannelX: &x.Adapter{}, care.ChannelBluesky: &bluesky.Adapter{},
			care.ChannelMastodon: &mastodon.Adapter{}, care.ChannelReddit: &reddit.Adapter{}}
		for _, smp := range l.Overheard {
			in, err := s.Inbox(ctx, smp.InboxID)
			if err != nil || in.Channel != care.Channel(smp.Channel) {
				t.Fatalf("inbox %d for %s: %+v, %v", smp.InboxID, smp.Channel, in, err)
			}
			if searchers[in.Channel].SearchInterval(*in) <= 0 {
				t.Errorf("the %s inbox cannot search", in.Channel)
			}
		}

		// What strangers published opened no conversation: no message has
		// its id in the platform's inbox. Parley's searches found it.
		if len(l.Overheard) != len(overheardPosts) {
			t.Errorf("%d posts published for listening, want %d", len(l.Overheard), len(overheardPosts))
		}
		on := map[string]bool{}
		heard := 0
		for _, smp := range l.Overheard {
			on[smp.Channel] = true
			if m, err := s.MessageByPlatformID(ctx, smp.InboxID, smp.PlatformID); care.ErrorCode(err) != care.ENOTFOUND {
				t.Errorf("%s post %s, published for listening, is message %+v in Parley (%v); want no conversation", smp.Channel, smp.PlatformID, m, err)
			}
			found, err := s.ListenPosts(ctx, ws, care.ListenFilter{Source: care.Channel(smp.Channel), From: now.Add(-time.Hour), To: now.Add(time.Hour), Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			if slices.ContainsFunc(found, func(p care.ListenPost) bool { return p.PlatformID == smp.PlatformID && p.InboxID == smp.InboxID }) {
				heard++
			}
		}
		if len(on) != len(searchEvery) {
			t.Errorf("posts published for listening on %v; want every platform that searches", on)
		}
		if heard == 0 || heard != l.Heard {
			t.Errorf("%d posts published for listening found by Parley's searches, the run saw %d; want some", heard, l.Heard)
		}
	})

	t.Run("notes where no reply is possible", func(t *testing.T) {
		for _, ch := range noteChannels {
			page, err := s.Conversations(ctx, care.ConversationFilter{WorkspaceID: ws, Channel: ch, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			noted := 0
			for _, c := range page.Conversations {
				msgs, err := s.Messages(ctx, c.ID, 0, 500)
				if err != nil {
					t.Fatal(err)
				}
				notes := 0
				for _, m := range msgs {
					switch {
					case m.Visibility == care.Note:
						notes++
					case m.Direction == care.DirectionOut:
						t.Errorf("conversation %d on %s has an outbound %s message %d", c.ID, ch, m.Visibility, m.ID)
					}
				}
				if notes > 0 && c.Status == care.StatusResolved {
					noted++
				}
			}
			if noted == 0 {
				t.Errorf("no conversation on %s was noted and resolved (%d conversations)", ch, len(page.Conversations))
			}
		}
	})
}

// TestStory runs the story at twenty times real speed for a few seconds:
// it prints the logins and tells what customers and agents do.
func TestStory(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var out syncBuffer
	rep, err := Run(t.Context(), Options{Addr: "127.0.0.1:0", Seed: 11, Speed: 20, Duration: 8 * time.Second}, &out, log)
	if err != nil {
		t.Fatalf("Run: %v\nlog:\n%s", err, logs)
	}
	story := out.String()
	defer func() {
		if t.Failed() {
			t.Logf("story:\n%s\nlog:\n%s", story, logs)
		}
	}()
	for _, want := range []string{rep.URL + "/", adminEmail, "ana@demo.parley", "ben@demo.parley", "chloe@demo.parley", "--seed 11",
		"complains in public on X", "writes on WhatsApp", "tips about Orbit's shops on Foursquare", "Orbit's YouTube videos",
		"Google review of the Oxford Street shop", "weekly help thread", "calls the care line", "on " + techBlogTitle, "Orbit's blog",
		"opens the chat", "emails " + careAddress, "writes by email, from the address they gave in the chat", "acknowledged",
		"Listening: five weeks of posts", "flags a spike on", "Listening: on X,", "Listening: on Bluesky,", "Listening: on Mastodon,",
		"Listening: on Reddit,", "found by Parley's searches", "Orbit's last four weeks are in already", "/staffing"} {
		if !strings.Contains(story, want) {
			t.Errorf("the story does not mention %q", want)
		}
	}
	for _, line := range strings.Split(story, "\n") {
		if f := strings.Fields(line); len(f) == 3 && strings.HasSuffix(f[0], "@demo.parley") && len(f[1]) < 10 {
			t.Errorf("login line %q: want a password of at least 10 characters", line)
		}
	}
	if rep.Sent == 0 || rep.Acknowledged != rep.Sent || rep.Replies == 0 {
		t.Errorf("sent %d, acknowledged %d, replies %d; want messages both ways", rep.Sent, rep.Acknowledged, rep.Replies)
	}
	// The story's posts for listening reached the fakes, each with the id
	// Parley's search will know it by.
	if l := rep.Listening; len(l.Overheard) != len(overheardPosts) || l.Kept == 0 {
		t.Errorf("%d posts published for listening, %d of history kept; want %d, and the history", len(l.Overheard), l.Kept, len(overheardPosts))
	}
	for _, smp := range rep.Listening.Overheard {
		if smp.PlatformID == "" || smp.InboxID == 0 {
			t.Errorf("post for listening %+v: want its id on %s and the inbox that searches there", smp, smp.Channel)
		}
	}
}
