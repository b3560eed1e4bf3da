package bench

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

// Words the generated messages are made of: what customers write to a
// support account, with order numbers and names varied per message.
var (
	firstNames = []string{"Ada", "Bruno", "Chiara", "Dmitri", "Esther", "Farid", "Grace", "Hiro", "Ines", "Jonas",
		"Kemi", "Lars", "Mei", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tariq", "Uma", "Victor", "Wen", "Yusuf", "Zoe"}
	lastNames = []string{"Adeyemi", "Bianchi", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ito", "Jansen",
		"Kowalski", "Larsen", "Müller", "Nakamura", "O'Brien", "Petrov", "Quispe", "Rossi", "Schmidt", "Tanaka"}
	openers = []string{"Hi,", "Hello there,", "Hey team,", "Good morning,", "Hi again,", "@support", "Excuse me,", ""}
	bodies  = []string{
		"my order #%d still hasn't arrived and the tracking page hasn't changed in four days.",
		"I was charged twice for order #%d. Can you refund the duplicate payment?",
		"the app logs me out every time I open it since the last update.",
		"can I change the delivery address for order #%d? I'm moving this week.",
		"the parcel for order #%d arrived damaged, the box was crushed on one side.",
		"your store says the jacket is in stock but checkout says it's unavailable.",
		"how do I cancel my subscription? I can't find the option anywhere in settings.",
		"I never got the confirmation email for order #%d, is it going through?",
		"the discount code from your newsletter doesn't work at checkout.",
		"is there any update on my return? I sent order #%d back two weeks ago.",
		"thanks for the quick help yesterday, everything works now!",
		"the size guide is wrong, the medium fits like a small.",
		"I'd like to speak to someone about a warranty claim for order #%d.",
		"why was my account suspended? I haven't done anything unusual.",
	}
	closers = []string{"Thanks!", "Thank you in advance.", "Please help.", "This is really frustrating.", "Cheers,", "🙏", "", ""}
)

// genMessages returns n API inbox messages as request bodies, from authors
// distinct customers, so that threading both opens conversations (a first
// message) and joins them (every later one). A quarter of the messages that
// have a predecessor from the same author name it as reply_to_id. Each id
// starts with prefix, so several runs into one inbox never collide. The
// same rng state and now give the same bodies.
func genMessages(n, authors int, prefix string, rng *rand.Rand, now time.Time) ([][]byte, error) {
	authors = max(1, authors)
	last := make([]string, authors) // each author's previous message id
	out := make([][]byte, n)
	for i := range n {
		k := rng.IntN(authors)
		first, family := firstNames[k%len(firstNames)], lastNames[(k/len(firstNames))%len(lastNames)]
		m := apiinbox.Message{
			ID: fmt.Sprintf("%s-%08d", prefix, i),
			Author: apiinbox.Author{
				ID:     fmt.Sprintf("%s-cust-%05d", prefix, k),
				Name:   first + " " + family,
				Handle: "@" + strings.ToLower(first) + fmt.Sprint(k),
				// A customer's profile is the same in each of their
				// messages, as a posting system would send it.
				Followers: int64(k * 7919 % 5000),
				Verified:  k%100 == 0,
			},
			Text: messageText(rng),
		}
		if last[k] != "" && rng.IntN(4) == 0 {
			m.ReplyToID = last[k]
		}
		if rng.IntN(5) == 0 {
			m.Visibility = care.Public
		}
		if last[k] == "" && rng.IntN(3) == 0 {
			m.Subject = "Order question"
		}
		if rng.IntN(20) == 0 {
			m.Attachments = []care.Attachment{{Kind: "image", MimeType: "image/jpeg", Name: "photo.jpg",
				URL: fmt.Sprintf("https://cdn.example.com/u/%d/%d.jpg", k, i), Size: int64(50_000 + rng.IntN(2_000_000))}}
		}
		sent := now.Add(-time.Duration(n-i) * time.Millisecond).UTC()
		m.SentAt = &sent
		body, err := json.Marshal(m)
		if err != nil {
			return nil, fmt.Errorf("bench: encode message: %w", err)
		}
		out[i] = body
		last[k] = m.ID
	}
	return out, nil
}

func messageText(rng *rand.Rand) string {
	var parts []string
	if o := openers[rng.IntN(len(openers))]; o != "" {
		parts = append(parts, o)
	}
	for range 1 + rng.IntN(3) {
		b := bodies[rng.IntN(len(bodies))]
		if strings.Contains(b, "%d") {
			b = fmt.Sprintf(b, 100000+rng.IntN(900000))
		}
		parts = append(parts, b)
	}
	if c := closers[rng.IntN(len(closers))]; c != "" {
		parts = append(parts, c)
	}
	return strings.Join(parts, " ")
}
