package influence

import (
	"math"
	"strconv"
	"time"
)

// Damping of very new accounts, which are more often bots and throwaways.
const (
	NewAccountAge     = 30 * 24 * time.Hour
	NewAccountDamping = 0.5
)

// Input is what the platform says about a message's author and post.
// Every count may be missing (zero) or wrong; none is trusted to be in range.
type Input struct {
	// Public is false for a direct or private message, which has no reach.
	Public    bool
	Followers int64
	Verified  bool
	// Engagement is the post's likes, reposts, replies and quotes so far,
	// when the platform says; 0 when unknown.
	Engagement int64
	// PostedAt is when the post was made; zero when unknown.
	PostedAt time.Time
	// AccountCreated is when the author's account was made; zero when
	// unknown.
	AccountCreated time.Time
	// BotScore is how likely the author is automated, from 0 to 1; 0 when
	// unknown.
	BotScore float64
	// VIP is set when the author is on the workspace's VIP list.
	VIP bool
}

// Score is the reach of a message and its reasons.
type Score struct {
	// Reach is R of the priority score, from 0 to 1: the larger of half
	// the audience and the velocity, damped by the bot score and for a new
	// account; 0 for a private message.
	Reach float64
	// Audience is min(1, log10(1 + followers/10)/5): 1 from a million
	// followers; 0 for a private message.
	Audience float64
	// Velocity is min(1, log10(1 + Ê)/4), where Ê is the engagement the
	// post is heading for: its engagement so far divided by the share
	// SEISMIC's memory curve expects by its age (at least 0.05). 1 from
	// about 10,000 expected reactions; 0 for a private message.
	Velocity float64
	Band     Band
	VIP      bool
	// Reason is the one reason Reach rests on, for a card with room for
	// one: the post's engagement ("1.4k reactions in 2 h") when velocity
	// drove the score, else the author's audience ("422 followers"); ""
	// when there is no reach. Verified and VIP never drive it, as they add
	// no reach.
	Reason string
	// Reasons explain the score to an agent: "38k followers", "verified",
	// "VIP", "40 reactions in 20 min", "new account", "bot score 0.9".
	Reasons []string
}

// Compute returns the reach of a message as of now.
func Compute(in Input, now time.Time) Score {
	followers := max(in.Followers, 0)
	s := Score{Band: BandOf(followers), VIP: in.VIP}
	if !in.Public {
		s.Reasons = append(s.Reasons, "private message")
		if in.VIP {
			s.Reasons = append(s.Reasons, "VIP")
		}
		return s
	}
	if followers > 0 {
		s.Reasons = append(s.Reasons, plural(followers, "follower", "followers"))
	}
	if in.Verified {
		s.Reasons = append(s.Reasons, "verified")
	}
	if in.VIP {
		s.Reasons = append(s.Reasons, "VIP")
	}
	s.Audience = math.Min(1, math.Log10(1+0.1*float64(followers))/5)

	var engaged string
	if engagement := max(in.Engagement, 0); engagement > 0 {
		// With no time to scale by, the count stands as it is.
		phi := 1.0
		reason := plural(engagement, "reaction", "reactions")
		if !in.PostedAt.IsZero() {
			age := max(now.Sub(in.PostedAt), 0)
			phi = share(age)
			reason += " in " + formatAge(age)
		}
		expected := float64(engagement) / math.Max(phi, 0.05)
		s.Velocity = math.Min(1, math.Log10(1+expected)/4)
		s.Reasons = append(s.Reasons, reason)
		engaged = reason
	}

	s.Reach = math.Max(0.5*s.Audience, s.Velocity)
	// The card names the term that won the max: a post taking off is
	// what the model ranks by, so on a tie the engagement is named.
	switch {
	case s.Velocity > 0 && s.Velocity >= 0.5*s.Audience:
		s.Reason = engaged
	case s.Audience > 0:
		s.Reason = plural(followers, "follower", "followers")
	}
	if !in.AccountCreated.IsZero() && now.Sub(in.AccountCreated) < NewAccountAge {
		s.Reach *= NewAccountDamping
		s.Reasons = append(s.Reasons, "new account")
	}
	if bot := in.BotScore; bot > 0 { // false for NaN
		bot = math.Min(bot, 1)
		s.Reach *= 1 - bot
		s.Reasons = append(s.Reasons, "bot score "+strconv.FormatFloat(bot, 'g', 2, 64))
	}
	if s.Reach == 0 {
		s.Reason = ""
	}
	return s
}
