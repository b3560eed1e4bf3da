package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/desk"
)

// startActors starts the people on Parley's side (the agents and the
// approver), the linker of contacts and the watcher of the fakes.
func (r *run) startActors(ctx context.Context) {
	for _, a := range r.team.agents {
		r.actor(ctx, func(ctx context.Context) { r.work(ctx, a) })
	}
	r.actor(ctx, r.approve)
	r.actor(ctx, func(ctx context.Context) {
		r.every(ctx, r.tick(time.Second, 500*time.Millisecond), func() { r.links.pass(ctx) })
	})
	r.actor(ctx, func(ctx context.Context) { r.every(ctx, 200*time.Millisecond, func() { r.watch(ctx) }) })
	// Parley searches on the clock, whatever the story's speed.
	r.actor(ctx, func(ctx context.Context) { r.every(ctx, hearEvery, func() { r.listenFor(ctx) }) })
	if !r.opts.Headless {
		// WhatsApp and Twilio report sent, delivered and read a little
		// after each send.
		r.actor(ctx, func(ctx context.Context) {
			r.every(ctx, r.tick(5*time.Second, time.Second), func() { r.plat.advance(ctx) })
		})
	}
}

func (r *run) actor(ctx context.Context, fn func(context.Context)) {
	r.actors.Add(1)
	go func() {
		defer r.actors.Done()
		fn(ctx)
	}()
}

// every calls fn every d until ctx ends.
func (r *run) every(ctx context.Context, d time.Duration, fn func()) {
	for sleep(ctx, d) {
		fn()
	}
}

// tick is how often a simulated person looks at their work: story time at
// the run's speed, kept between 50 milliseconds and story seconds so that
// high speeds do not spin; headless runs use the fixed pace given.
func (r *run) tick(story, headless time.Duration) time.Duration {
	if r.opts.Headless {
		return headless
	}
	return min(max(r.sim(story), 50*time.Millisecond), story)
}

// work is one agent at their desk: every tick they look at the open
// conversations routing gave them, and answer the one whose customer has
// waited longest, once it has waited their reading time; and, beside it,
// the call record, web chat and email routing gave them, if any: Parley
// counts an agent's capacity by kind of work, one call, three chats and
// eight emails beside six social conversations, and a call record, waiting
// since the call began, would otherwise come first every time. Headless, they answer one of each a tick as soon as it is
// theirs: a low, steady rate.
func (r *run) work(ctx context.Context, a *agent) {
	retry := map[care.ID]time.Time{} // conversations to leave alone for a while
	r.every(ctx, r.deskTick(), func() {
		var page care.ConversationPage
		if err := a.api.call(ctx, "GET", "/api/v1/conversations?assignee=me&status=open&sort=waiting&limit=25", nil, &page, http.StatusOK); err != nil {
			if ctx.Err() == nil {
				r.log.Warn("demo: an agent's list", "agent", a.spec.first, "err", err)
			}
			return
		}
		now := time.Now()
		if len(retry) > 1000 {
			for id, at := range retry {
				if now.After(at) {
					delete(retry, id)
				}
			}
		}
		done := map[care.WorkKind]bool{}
		for i := range page.Conversations {
			c := &page.Conversations[i]
			kind := care.KindOf(c.Channel)
			if done[kind] || c.WaitingSince == nil || now.Before(retry[c.ID]) || now.Sub(*c.WaitingSince) < r.readingTime(c.ID) {
				continue
			}
			done[kind] = true
			if err := r.answer(ctx, a, c); err != nil {
				if ctx.Err() == nil {
					r.log.Info("demo: an agent could not answer", "agent", a.spec.first, "conversation", c.ID, "err", err)
				}
				retry[c.ID] = now.Add(r.tick(30*time.Second, 2*time.Second))
			}
		}
	})
}

// deskTick is how often an agent looks at their work.
func (r *run) deskTick() time.Duration { return r.tick(3*time.Second, 300*time.Millisecond) }

// readingTime is how long an agent takes before answering a conversation,
// in story time: 8 to 30 seconds, the same for the same conversation and
// seed. Headless agents answer at once.
func (r *run) readingTime(id care.ID) time.Duration {
	if r.opts.Headless {
		return 0
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%d", r.opts.Seed, id)
	return r.sim(8*time.Second + time.Duration(h.Sum64()%22)*time.Second)
}

// answer replies to the customer's newest message, or takes a public
// complaint on Facebook private, then sets the conversation pending (the
// ball is in the customer's court, and the agent's place is free) or
// resolves it when there is nothing left to do.
func (r *run) answer(ctx context.Context, a *agent, c *care.Conversation) error {
	id := strconv.FormatInt(c.ID, 10)
	var msgs struct {
		Messages []care.Message `json:"messages"`
	}
	if err := a.api.call(ctx, "GET", "/api/v1/conversations/"+id+"/messages?limit=500", nil, &msgs, http.StatusOK); err != nil {
		return err
	}
	var last *care.Message
	said := map[string]bool{} // the replies of this conversation so far
	for i := range msgs.Messages {
		switch m := &msgs.Messages[i]; {
		case m.Direction == care.DirectionIn:
			last = m
		case m.Visibility != care.Note:
			said[m.Text] = true
		}
	}
	if last == nil {
		return nil
	}
	lang := c.Language
	if _, ok := answers[lang]; !ok {
		lang = a.spec.languages[0]
	}
	caseNo := 1000 + int(c.ID)
	// Never the same words twice in a conversation: X refuses a post the
	// account has made before, not only its last one, and a conversation
	// whose topic stays "outage" would otherwise get the same answer on
	// every round. The case number keeps conversations apart.
	what, text, fresh := aGoodbye, "", false
	for _, w := range []answer{choose(c, last.Text), aFollowUp, aGoodbye} {
		if text = phrase(lang, w, last.AuthorName, a.spec.first, caseNo); !said[text] {
			what, fresh = w, true
			break
		}
	}

	who := last.AuthorName
	if slices.Contains(c.Tags, "moderated") {
		// Moderation hid it: spam needs no answer, and the platform would
		// refuse one under a hidden comment.
		req := map[string]any{"reason": "Spam, hidden by moderation."}
		if err := a.api.call(ctx, "POST", "/api/v1/conversations/"+id+"/dismiss", req, nil, http.StatusOK); err != nil {
			return err
		}
		r.say("%s dismisses %s's comment: moderation hid it as spam on %s", a.spec.first, nameOf(who), channelName(c.Channel))
		return nil
	}

	if !answerable(c.Channel) {
		return r.note(ctx, a, c, last, what)
	}

	r.mu.Lock()
	private := r.takePrivate[last.PlatformID]
	r.mu.Unlock()
	if c.Channel == care.ChannelFacebook && last.Visibility == care.Public && (private || c.Mood == care.MoodNegative) &&
		!slices.Contains(c.Tags, "taken-private") {
		req := map[string]any{"message_id": last.ID,
			"public_text":  phrase(lang, aPublicAck, who, a.spec.first, caseNo),
			"private_text": phrase(lang, aPrivateAsk, who, a.spec.first, caseNo)}
		if err := a.api.call(ctx, "POST", "/api/v1/conversations/"+id+"/take-private", req, nil, http.StatusCreated); err != nil {
			return err
		}
		r.say("%s takes %s's complaint on Facebook private: a short public answer, and a private reply to the comment", a.spec.first, nameOf(who))
		return r.setStatus(ctx, a, id, care.StatusPending)
	}

	if !fresh {
		// Everything the agent could say has been said here.
		if err := r.setStatus(ctx, a, id, care.StatusResolved); err != nil {
			return err
		}
		r.say("%s resolves the conversation with %s: every answer has been given", a.spec.first, nameOf(who))
		return nil
	}
	var reply care.Message
	if err := a.api.call(ctx, "POST", "/api/v1/conversations/"+id+"/messages", map[string]any{"text": text}, &reply, http.StatusCreated); err != nil {
		return err
	}
	r.say("%s answers %s on %s%s: “%s”", a.spec.first, nameOf(who), channelName(c.Channel), notable(c.Tags), clip(text, 100))
	if reply.Status == care.DeliveryPendingApproval {
		r.say("   The reply waits for an approver: %s's audience is over 100k", nameOf(who))
	}
	if what == aGoodbye || what == aPraise || what == aFollowUp {
		if err := r.setStatus(ctx, a, id, care.StatusResolved); err != nil {
			return err
		}
		r.say("%s resolves the conversation with %s", a.spec.first, nameOf(who))
		return nil
	}
	return r.setStatus(ctx, a, id, care.StatusPending)
}

// answerable reports whether a channel takes replies. A phone line
// carries calls, Foursquare has no way to answer a tip, and a blog is
// read through its feed, answered (if at all) on the blog itself: there
// the composer takes notes only.
func answerable(ch care.Channel) bool {
	return ch != care.ChannelPhone && ch != care.ChannelFoursquare && ch != care.ChannelBlog
}

// noteText is what an agent notes having done, by answer, where the
// channel takes no reply.
var noteText = [numAnswers]string{
	aQuestion:   "explained how to do it in the app, under My plan",
	aComplaint:  "apologised and passed it to the team concerned",
	aOutage:     "explained the app and login outage; engineers are on it",
	aBilling:    "asked billing to refund the duplicate charge, 3 to 5 working days",
	aDelivery:   "opened a trace with the courier; a replacement goes out if it is not found within 48 hours",
	aNetwork:    "opened a network fault for their area; the network team calls within a day",
	aPraise:     "thanked them and passed the praise on to the team",
	aGoodbye:    "confirmed all is sorted",
	aFollowUp:   "confirmed the email confirmation and the refund times",
	aPublicAck:  "apologised",
	aPrivateAsk: "asked for the account number",
}

// note is an agent's work where the channel takes no reply: they call the
// customer back, pass a tip on to the shop or a blog post to PR, note what
// they did, and resolve the conversation.
func (r *run) note(ctx context.Context, a *agent, c *care.Conversation, last *care.Message, what answer) error {
	id := strconv.FormatInt(c.ID, 10)
	var text string
	switch {
	case c.Channel == care.ChannelFoursquare:
		text = "Passed the tip on to the shop's manager: Foursquare tips cannot be answered."
	case c.Channel == care.ChannelBlog:
		text = "Shared the post with PR & Marketing, who answer bloggers on their own blogs: a blog cannot be answered from here."
	case strings.HasPrefix(last.Text, "Inbound call, missed"):
		text = "Returned the missed call: no answer, left a voicemail asking them to call back."
	default:
		text = "Called the customer back: " + noteText[what] + "."
	}
	if err := a.api.call(ctx, "POST", "/api/v1/conversations/"+id+"/notes", map[string]any{"text": text}, nil, http.StatusCreated); err != nil {
		return err
	}
	if err := r.setStatus(ctx, a, id, care.StatusResolved); err != nil {
		return err
	}
	r.say("%s notes on %s (no replies there) “%s” and resolves the conversation", a.spec.first, channelName(c.Channel), clip(text, 100))
	return nil
}

// notable names the tags that tell the story of a conversation.
func notable(tags []string) string {
	var out []string
	for _, t := range tags {
		switch t {
		case "influencer":
			out = append(out, "influencer, escalated to PR & Marketing")
		case "outage", "taken-private", "moved-private":
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return " [" + strings.Join(out, ", ") + "]"
}

// nameOf is how the story names someone by their display name: a
// Messenger id or a phone number is no name.
func nameOf(name string) string {
	if f := firstName(name); f != "" && strings.ContainsFunc(f, unicode.IsLower) {
		return f
	}
	return "a customer"
}

// channelName is a channel as people call it.
func channelName(ch care.Channel) string {
	switch ch {
	case care.ChannelX:
		return "X"
	case care.ChannelFacebook:
		return "Facebook"
	case care.ChannelInstagram:
		return "Instagram"
	case care.ChannelWhatsApp:
		return "WhatsApp"
	case care.ChannelSMS:
		return "SMS"
	case care.ChannelTelegram:
		return "Telegram"
	case care.ChannelAPI:
		return "the web form"
	case care.ChannelBluesky:
		return "Bluesky"
	case care.ChannelMastodon:
		return "Mastodon"
	case care.ChannelYouTube:
		return "YouTube"
	case care.ChannelReviews:
		return "Google reviews"
	case care.ChannelReddit:
		return "Reddit"
	case care.ChannelPhone:
		return "the care line"
	case care.ChannelFoursquare:
		return "Foursquare"
	case care.ChannelWebChat:
		return "the web chat"
	case care.ChannelEmail:
		return "email"
	case care.ChannelBlog:
		return "a blog"
	case care.ChannelWordPress:
		return "Orbit's blog"
	}
	return string(ch)
}

func (r *run) setStatus(ctx context.Context, a *agent, id string, s care.Status) error {
	return a.api.call(ctx, "PATCH", "/api/v1/conversations/"+id, map[string]any{"status": s}, nil, http.StatusOK)
}

// approve is the PR lead working the approvals queue: a held public reply
// is released once it has been looked at for a little while.
func (r *run) approve(ctx context.Context) {
	r.every(ctx, r.tick(2*time.Second, 500*time.Millisecond), func() {
		var q struct {
			Approvals []desk.Approval `json:"approvals"`
		}
		if err := r.admin.call(ctx, "GET", "/api/v1/approvals", nil, &q, http.StatusOK); err != nil {
			if ctx.Err() == nil {
				r.log.Warn("demo: the approvals queue", "err", err)
			}
			return
		}
		for _, ap := range q.Approvals {
			if time.Since(ap.Message.CreatedAt) < r.readingTime(ap.Message.ID) {
				continue
			}
			path := "/api/v1/messages/" + strconv.FormatInt(ap.Message.ID, 10) + "/approve"
			if err := r.admin.call(ctx, "POST", path, map[string]any{}, nil, http.StatusOK); err != nil {
				if ctx.Err() == nil {
					r.log.Info("demo: approve a reply", "message", ap.Message.ID, "err", err)
				}
				continue
			}
			r.say("%s (PR & Marketing) approves %s's public reply: it goes out", firstName(adminName), nameOf(ap.Message.AuthorName))
		}
	})
}
