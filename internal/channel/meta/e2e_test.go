package meta_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/meta/metafake"
	"github.com/parleyhq/parley/internal/desk"
)

// TestEndToEnd runs the fake Meta against the real webhook handler, ingest
// pipeline, desk and outbox on a SQLite store: a comment is answered with a
// private reply, the customer answers in Messenger, and statuses, echoes,
// duplicates and bad signatures do what they should.
func TestEndToEnd(t *testing.T) {
	ctx := context.Background()
	st := newStack(t, "42")
	s, fake, fb, ig, agent, url := st.s, st.fake, st.fb, st.ig, st.agent, st.url
	dsk, worker := st.desk, st.worker
	deliver := func(d *metafake.Delivery) {
		t.Helper()
		if err := st.deliver(d); err != nil {
			t.Fatal(err)
		}
	}
	message := func(in *care.Inbox, platformID string) *care.Message {
		t.Helper()
		m, err := s.MessageByPlatformID(ctx, in.ID, platformID)
		if err != nil {
			t.Fatalf("message %s: %v", platformID, err)
		}
		return m
	}
	count := func(convID care.ID) int {
		t.Helper()
		return len(st.messages(t, convID))
	}

	// Meta checks the callback before subscribing.
	if err := fake.VerifySubscription(ctx, url, fb.Credentials[meta.CredVerifyToken]); err != nil {
		t.Errorf("subscription check: %v", err)
	}
	if err := fake.VerifySubscription(ctx, url, "guess"); err == nil {
		t.Errorf("subscription check with a wrong verify token passed")
	}

	// A comment on a Page post, first with a bad signature.
	commentID, d := fake.Comment(metafake.Comment{Account: pageID, From: "7001", Name: "Ana Souza", PSID: psid,
		Post: pageID + "_55", Text: "Onde está a minha encomenda? 📦"})
	if !strings.Contains(string(d.Body()), `\u00e1`) {
		t.Fatalf("the fake did not escape non-ASCII as Meta does: %s", d.Body())
	}
	if code, err := fake.Post(ctx, url, d.Body(), meta.Sign("wrong secret", d.Body())); err != nil || code != http.StatusUnauthorized {
		t.Errorf("bad signature answered %d, %v; want 401", code, err)
	}
	if p, _ := s.PendingRaw(ctx, 10); len(p) != 0 {
		t.Fatalf("%d events stored from a delivery with a bad signature", len(p))
	}
	deliver(d)
	deliver(d) // Meta retries: nothing changes
	comment := message(fb, commentID)
	if comment.Visibility != care.Public || comment.Text != "Onde está a minha encomenda? 📦" || comment.Direction != care.DirectionIn {
		t.Fatalf("comment stored as %+v", comment)
	}
	convID := comment.ConversationID
	if n := count(convID); n != 1 {
		t.Fatalf("%d messages after a repeated delivery, want 1", n)
	}

	// The agent answers the comment in private: a Private Reply.
	reply, err := dsk.Reply(ctx, agent, convID, desk.Reply{Text: "We've sent you a message", Visibility: care.Private, ReplyToMessageID: comment.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := worker.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	sent := fake.Sent()
	if len(sent) != 1 || sent[0].CommentID != commentID || sent[0].Customer != psid {
		t.Fatalf("Meta received %+v, want one private reply to comment %s", sent, commentID)
	}
	if reply, err = s.Message(ctx, reply.ID); err != nil || reply.Status != care.DeliverySent || reply.PlatformID != sent[0].ID {
		t.Fatalf("reply recorded as %+v, %v; want sent with platform id %s", reply, err, sent[0].ID)
	}

	// Its echo (our app id) stores nothing; its delivery report updates it;
	// Messenger's read watermark names no message and changes nothing.
	echo, _ := fake.Echo(sent[0].ID)
	deliver(echo)
	if n := count(convID); n != 2 {
		t.Errorf("%d messages after our own echo, want 2", n)
	}
	deliver(fake.Delivered(pageID, psid, sent[0].ID))
	deliver(fake.Read(pageID, psid))
	if reply = message(fb, sent[0].ID); reply.Status != care.DeliveryDelivered {
		t.Errorf("reply status %s after the delivery report, want delivered", reply.Status)
	}

	// The customer reacts to the reply, then takes the reaction back.
	deliver(fake.Reaction(pageID, psid, sent[0].ID, "❤️"))
	if rs := message(fb, sent[0].ID).Reactions; len(rs) != 1 || rs[0].Emoji != "❤️" {
		t.Errorf("reactions on the reply = %+v, want one ❤️", rs)
	}
	if n := count(convID); n != 2 {
		t.Errorf("%d messages after a reaction, want 2 (a reaction is not a message)", n)
	}
	deliver(fake.Reaction(pageID, psid, sent[0].ID, ""))
	if rs := message(fb, sent[0].ID).Reactions; len(rs) != 0 {
		t.Errorf("reactions after unreact = %+v, want none", rs)
	}

	// The customer answers in Messenger, replying to our message: one story.
	mid, d := fake.Message(metafake.Message{Account: pageID, From: psid, Text: "Order 4411", ReplyTo: sent[0].ID})
	deliver(d)
	if answer := message(fb, mid); answer.ConversationID != convID || answer.Visibility != care.Private {
		t.Errorf("the customer's answer went to conversation %d (%s), want %d, private", answer.ConversationID, answer.Visibility, convID)
	}

	// They correct it: the edit joins the story as a reply to what it
	// changes, which keeps its first text; Meta delivering it again adds
	// nothing, a second edit does.
	before := count(convID)
	edit := fake.Edit(pageID, psid, mid, "Order 4412", 1)
	deliver(edit)
	deliver(edit)
	deliver(fake.Edit(pageID, psid, mid, "Order 4412, sorry", 2))
	if n := count(convID); n != before+2 {
		t.Errorf("%d messages after two edits (one delivered twice), want %d", n, before+2)
	}
	if e := message(fb, mid+":edit:1"); e.Text != "[Edited] Order 4412" || e.ReplyToPlatformID != mid || e.ConversationID != convID {
		t.Errorf("the edit is stored as %+v", e)
	}
	if m := message(fb, mid); m.Text != "Order 4411" {
		t.Errorf("the edited message reads %q, want its first text kept", m.Text)
	}

	// A message typed in Meta Business Suite is stored as the brand's.
	other, d := fake.Message(metafake.Message{Account: pageID, From: "2005", Text: "hello?"})
	deliver(d)
	toolMid, d := fake.ToolEcho(pageID, "2005", "Typed in Business Suite", "263902037430900")
	deliver(d)
	if m := message(fb, toolMid); m.Direction != care.DirectionOut || m.Status != care.DeliverySent || m.ConversationID != message(fb, other).ConversationID {
		t.Errorf("Business Suite message stored as %+v", m)
	}

	// The commenter deletes the comment: kept, marked deleted.
	deliver(fake.RemoveComment(pageID, commentID))
	if m := message(fb, commentID); m.DeletedAt == nil {
		t.Errorf("removed comment not marked deleted")
	}

	// A comment whose author Meta does not show to the app is still stored,
	// and answered by a Private Reply, which reaches them by the comment.
	hiddenID, d := fake.Comment(metafake.Comment{Account: pageID, From: "7009", PSID: "24000000000000009",
		Post: pageID + "_55", Text: "Is there a discount?", Anonymous: true})
	deliver(d)
	hidden := message(fb, hiddenID)
	if hidden.AuthorName != "Facebook user" || hidden.Visibility != care.Public {
		t.Fatalf("comment without from stored as %+v", hidden)
	}
	if _, err := dsk.Reply(ctx, agent, hidden.ConversationID, desk.Reply{Text: "Check your inbox", Visibility: care.Private, ReplyToMessageID: hidden.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := worker.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if sent := fake.Sent(); sent[len(sent)-1].CommentID != hiddenID || sent[len(sent)-1].Customer != "24000000000000009" {
		t.Errorf("Meta received %+v, want a private reply to comment %s", sent[len(sent)-1], hiddenID)
	}

	// An Instagram comment arrives on the same app subscription (the Page
	// inbox's URL) and is routed to the Instagram inbox; the agent answers
	// in public and hides it.
	igComment, d := fake.Comment(metafake.Comment{Account: igID, From: igsid, Name: "ana", Post: "17887498072083520", Text: "Ship to Portugal?"})
	deliver(d)
	igMsg := message(ig, igComment)
	if _, err := dsk.Reply(ctx, agent, igMsg.ConversationID, desk.Reply{Text: "Yes, we do!", Visibility: care.Public, ReplyToMessageID: igMsg.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := worker.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if sent := fake.Sent(); len(sent) != 3 || sent[2].Path != "/"+igComment+"/replies" || sent[2].Text != "Yes, we do!" {
		t.Errorf("Meta received %+v, want a reply to the Instagram comment", sent)
	}
	if _, err := dsk.Moderate(ctx, agent, igMsg.ID, channel.Hide); err != nil || !fake.Hidden(igComment) {
		t.Errorf("hide: %v, hidden %v", err, fake.Hidden(igComment))
	}

	// The policy stops a second reply the platform would refuse: a DM to a
	// customer whose last message is more than 7 days old is checked by the
	// adapter's Send; here, a public reply to a private message.
	if _, err := dsk.Reply(ctx, agent, convID, desk.Reply{Text: "hi", Visibility: care.Public, ReplyToMessageID: message(fb, mid).ID}); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("public reply to a Messenger message: %v, want %s", err, care.EINVALID)
	}
}
