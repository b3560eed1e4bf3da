package demo

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"text/tabwriter"
	"time"
)

// story plays the scripted scenes over a steady stream of customers, all
// in story time, until ctx ends. The scenes' customers are made up front,
// in a fixed order, so that a seed always makes the same people.
func (r *run) story(ctx context.Context) {
	c := r.cast
	wave := make([]*customer, 24)
	for i := range wave {
		lang := "en"
		if i%6 == 5 {
			lang = [...]string{"es", "pt"}[i/6%2]
		}
		wave[i] = c.newCustomer(xMention, lang)
	}
	influencer := c.newCustomer(xMention, "en")
	influencer.name, influencer.handle, influencer.followers, influencer.verified = "Jordan Reyes", "jordanreviews", 254000, true
	commenter := c.newCustomer(fbComment, "en")
	spammer := c.newCustomer(igComment, "en")
	switcher := c.newCustomer(waMessage, "pt")
	tippers := []*customer{c.newCustomer(fsqTip, "en"), c.newCustomer(fsqTip, "es")}
	viewer := c.newCustomer(ytComment, "fr")
	reviewer := c.newCustomer(gbpReview, "de")
	redditor := c.newCustomer(redditComment, "en")
	ytSpammer := c.newCustomer(ytComment, "en")
	blogger := c.newCustomer(blogPost, "en")
	blogReader := c.newCustomer(wpComment, "es")
	visitor := c.chatWithEmail("en")
	emailer := c.newCustomer(emailMessage, "fr")
	rng := rand.New(rand.NewPCG(uint64(r.opts.Seed), 0x5ce9))
	tips := []message{writes(rng, tippers[0], praise), writes(rng, tippers[1], complaint)}
	ytAsk, review, redditAsk := writes(rng, viewer, question), writes(rng, reviewer, complaint), writes(rng, redditor, question)
	post, wpAsk := writes(rng, blogger, complaint), writes(rng, blogReader, question)
	// The visitor's email side joins the cast when they write, so that the
	// stream cannot bring them back by email before.
	chatAsk, mailAsk, chatMail := writes(rng, visitor, question), writes(rng, emailer, complaint), writes(rng, visitor, followUp)

	r.tellHistory()
	// Foursquare is polled every five minutes at the most: its customers
	// write at once, before Parley's first scheduled poll, which brings
	// what they wrote; later tips come in five minutes after.
	r.scene(0, func(ctx context.Context) {
		r.say("-- Two customers leave tips about Orbit's shops on Foursquare, which Parley reads at its next poll --")
		for _, m := range tips {
			r.post(m)
		}
	})
	r.scene(0, func(ctx context.Context) {
		r.say("-- %s writes about Orbit Mobile on %s, a tech blog; Parley reads its feed every five minutes --", blogger.name, techBlogTitle)
		r.post(post)
	})
	for i, o := range overheardPosts {
		r.scene(o.at, func(ctx context.Context) { r.overhear(i) })
	}
	r.scene(3*time.Second, func(ctx context.Context) { r.stream(ctx) })
	r.scene(5*time.Second, func(ctx context.Context) {
		r.say("-- %s asks under a post on Orbit's blog, a WordPress site whose comments Parley reads every minute --", blogReader.name)
		r.post(wpAsk)
	})
	r.scene(8*time.Second, func(ctx context.Context) {
		r.say("-- %s opens the chat on %s, leaves their email (%s) for the answer, and asks --", visitor.name,
			strings.TrimPrefix(brandSite, "https://"), visitor.email)
		r.post(chatAsk)
	})
	r.scene(36*time.Second, func(ctx context.Context) {
		r.say("-- %s emails %s; the reply will land in their mailbox --", emailer.name, careAddress)
		r.post(mailAsk)
	})
	r.scene(46*time.Second, func(ctx context.Context) {
		r.say("-- …later %s writes by email, from the address they gave in the chat --", visitor.name)
		chatMail.who = c.byEmail(visitor)
		r.post(chatMail)
	})
	r.scene(6*time.Second, func(ctx context.Context) { r.outage(ctx, wave) })
	r.scene(12*time.Second, func(ctx context.Context) {
		r.say("-- %s, a phone reviewer with %dk followers, complains in public on X --", influencer.name, influencer.followers/1000)
		r.post(message{who: influencer, text: influencerPost})
	})
	r.scene(18*time.Second, func(ctx context.Context) {
		r.say("-- A customer complains under one of Orbit's Facebook posts --")
		r.post(message{who: commenter, text: commentComplaint, takePrivate: true})
	})
	r.scene(24*time.Second, func(ctx context.Context) {
		r.say("-- %s writes on WhatsApp… --", switcher.name)
		r.post(message{who: switcher, text: switcherFirst})
	})
	r.scene(32*time.Second, func(ctx context.Context) {
		r.say("-- A spam comment lands on Instagram; moderation should hide it --")
		r.post(message{who: spammer, text: spamComment})
	})
	r.scene(14*time.Second, func(ctx context.Context) {
		r.say("-- %s asks under one of Orbit's YouTube videos; Parley reads the channel's comments every 15 seconds --", viewer.name)
		r.post(ytAsk)
	})
	r.scene(20*time.Second, func(ctx context.Context) {
		r.say("-- A %d-star Google review of the Oxford Street shop --", review.stars)
		r.post(review)
	})
	r.scene(28*time.Second, func(ctx context.Context) {
		r.say("-- On Reddit, u/%s asks in Orbit's weekly help thread --", redditor.handle)
		r.post(redditAsk)
	})
	r.scene(40*time.Second, func(ctx context.Context) {
		r.say("-- A spam comment under a YouTube video; moderation should hold it for review --")
		r.post(message{who: ytSpammer, text: spamComment})
	})
	r.scene(52*time.Second, func(ctx context.Context) {
		r.say("-- …and, their phone dead, texts from the same number by SMS --")
		r.post(message{who: r.cast.switchToSMS(switcher), text: switcherLater})
	})
	r.scene(64*time.Second, func(ctx context.Context) {
		r.say("-- …then calls the care line: Parley files the call with their texts, by the number --")
		r.post(message{who: r.cast.caller(switcher), text: switcherCall})
	})
	<-ctx.Done()
}

// scene runs fn at story time at, on the customers' side.
func (r *run) scene(at time.Duration, fn func(context.Context)) {
	r.spawnPlayer(func(ctx context.Context) {
		if sleep(ctx, r.sim(at)) {
			fn(ctx)
		}
	})
}

// post sends one scripted message, within the run's count.
func (r *run) post(m message) {
	if r.admit() {
		r.send(m)
	}
}

// stream is the everyday traffic: a customer every five seconds of story
// time on average, on any channel, in any language, a few of them
// returning to a conversation.
func (r *run) stream(ctx context.Context) {
	rng := rand.New(rand.NewPCG(uint64(r.opts.Seed), 0x57ea))
	for {
		if !sleep(ctx, r.sim(time.Duration(rng.ExpFloat64()*5*float64(time.Second)))) {
			return
		}
		k := kind(rng.IntN(int(numKinds)))
		if k == smsMessage && rng.IntN(2) == 0 {
			k = waMessage // more people use WhatsApp than SMS
		}
		if !r.plat.polling(k) {
			k = xMention
		}
		who, isNew := r.cast.someone(k, 0.15)
		in := pickIntent(rng)
		if !isNew {
			in = followUp
		}
		m := writes(rng, who, in)
		if !isNew && k.public() {
			m.replyTo = r.cast.anchorOf(who)
		}
		r.post(m)
	}
}

// outage is the slow-building wave: posts about the app being down come
// slowly, then faster, each from another account and with more engagement
// as the story spreads.
func (r *run) outage(ctx context.Context, wave []*customer) {
	rng := rand.New(rand.NewPCG(uint64(r.opts.Seed), 0x0da6))
	r.say("-- The app's login starts failing; a few people notice on X --")
	gap := 10 * time.Second
	for i, who := range wave {
		stage := float64(i) / float64(len(wave))
		m := message{who: who, text: outage(rng, who.lang, stage), engagement: int64(math.Pow(2, 1+stage*11)) + rng.Int64N(5)}
		if i == len(wave)/2 {
			r.say("-- The outage is trending: posts come faster and spread further --")
		}
		r.post(m)
		if !sleep(ctx, r.sim(gap)) {
			return
		}
		gap = max(gap*8/10, 1500*time.Millisecond)
	}
}

// banner prints what runs and how to sign in.
func (r *run) banner(w io.Writer) {
	fmt.Fprintf(w, "\nParley demo: %s's social care desk, with local stand-ins for X, Facebook, Instagram,\n", brandName)
	fmt.Fprintf(w, "WhatsApp, SMS (Twilio), Telegram, Bluesky, Mastodon, YouTube, Google reviews, Reddit,\n")
	fmt.Fprintf(w, "Foursquare, a blog, the brand's WordPress site, its mail servers and the care line's phone\n")
	fmt.Fprintf(w, "system, a web form, and visitors in the web chat. Nothing leaves this machine.\n\n")
	fmt.Fprintf(w, "Open %s/ and sign in as any of:\n\n", r.parley.url)
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	logins := []login{r.parley.admin}
	for _, a := range r.team.agents {
		logins = append(logins, a.login)
	}
	for _, l := range logins {
		fmt.Fprintf(tw, "    %s\t%s\t%s: %s\n", l.Email, l.Password, l.Role, l.Note)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nOrbit's last four weeks are in already: %s answered, %s to surveys, for\n",
		counted(r.past.Conversations, "conversation", "conversations"), counted(r.past.Answered, "answer", "answers"))
	fmt.Fprintf(w, "next week's staffing plan (%s/staffing) and the reports (%s/reports).\n", r.parley.url, r.parley.url)
	fmt.Fprintf(w, "\nSeed %d (repeat the run with --seed %d), speed %g×. Ctrl-C stops the demo;\n", r.opts.Seed, r.opts.Seed, r.opts.Speed)
	fmt.Fprintf(w, "its data is deleted then unless a data directory was given.\n\n")
}

// epilogue closes the story with the run's figures.
func (r *run) epilogue(w io.Writer, rep *Report) {
	fmt.Fprintln(w)
	rep.Summary(w)
}
