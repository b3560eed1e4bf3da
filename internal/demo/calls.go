package demo

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/channel/phone/phonefake"
)

// callOf is the record the care line's phone system reports of a call
// from who, saying m.text: most are answered by an agent who speaks their
// language and notes what they said, some go to voicemail, transcribed,
// and a few are missed. The details follow from who calls and what they
// say, so a seed makes the same calls.
func callOf(who *customer, m message) phonefake.Call {
	h := fnv.New32a()
	h.Write([]byte(who.key + "\x00" + m.text))
	n := h.Sum32()
	c := phonefake.Call{Customer: who.id, Queue: "Care", Duration: time.Duration(45+n%540) * time.Second}
	if n%5 != 0 {
		// The caller's name, when the network gives it.
		c.CallerName = who.name
	}
	switch n % 20 {
	case 0, 1, 2:
		c.Outcome = "missed"
	case 3, 4, 5, 6, 7, 8, 9:
		c.Outcome, c.Transcript, c.Duration = "voicemail", m.text, time.Duration(10+n%50)*time.Second
	default:
		c.Agent, c.Notes = speaker(who.lang).email, m.text
	}
	return c
}

// speaker is the first of the crew who speaks lang.
func speaker(lang string) agentSpec {
	for _, a := range crew {
		if slices.Contains(a.languages, lang) {
			return a
		}
	}
	return crew[0]
}

// callStory tells what happened on a call, for the story.
func callStory(c phonefake.Call) string {
	switch c.Outcome {
	case "missed":
		return "a missed call"
	case "voicemail":
		return fmt.Sprintf("a voicemail, “%s”", clip(c.Transcript, 100))
	}
	who := "an agent"
	for _, a := range crew {
		if a.email == c.Agent {
			who = a.first
		}
	}
	return fmt.Sprintf("%s takes the call (%s) and notes “%s”", who, spoken(c.Duration.Round(time.Second)), clip(c.Notes, 80))
}

// stars writes a review's rating as Parley shows it, "★★☆☆☆ "; "" for
// none.
func stars(n int) string {
	if n <= 0 || n > 5 {
		return ""
	}
	return strings.Repeat("★", n) + strings.Repeat("☆", 5-n) + " "
}
