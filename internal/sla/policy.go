package sla

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Kind names one of the three targets.
type Kind string

// Kinds, in the order Deadlines and Check report them.
const (
	FirstResponse Kind = "first_response"
	NextResponse  Kind = "next_response"
	Resolution    Kind = "resolution"
)

// MaxTarget bounds a target, so that a deadline always lies within reach
// of the business-hours arithmetic.
const MaxTarget = 366 * 24 * time.Hour

// Targets are a policy's goals, in business time.
type Targets struct {
	FirstResponse time.Duration `json:"first_response,omitempty"` // 0: none
	NextResponse  time.Duration `json:"next_response,omitempty"`  // 0: none
	Resolution    time.Duration `json:"resolution,omitempty"`     // 0: none

	// WarnAt is the share of a target after which a warning is due, such
	// as 0.75; 0 means no warning.
	WarnAt float64 `json:"warn_at,omitempty"`
}

// Target returns the target of kind k, 0 when there is none.
func (t Targets) Target(k Kind) time.Duration {
	switch k {
	case FirstResponse:
		return t.FirstResponse
	case NextResponse:
		return t.NextResponse
	case Resolution:
		return t.Resolution
	}
	return 0
}

// warning returns the business time after which target calls for a
// warning, 0 when it does not.
func (t Targets) warning(target time.Duration) time.Duration {
	if !(t.WarnAt > 0 && t.WarnAt < 1) {
		return 0
	}
	return time.Duration(math.Ceil(float64(target) * t.WarnAt))
}

// Validate returns EINVALID when a target is negative or longer than
// MaxTarget, or WarnAt is not a share between 0 and 1.
func (t Targets) Validate() error {
	for _, k := range []Kind{FirstResponse, NextResponse, Resolution} {
		if d := t.Target(k); d < 0 || d > MaxTarget {
			return care.Errorf(care.EINVALID, "The %s target must be between 0 (none) and %d days.", strings.ReplaceAll(string(k), "_", " "), MaxTarget/(24*time.Hour))
		}
	}
	if !(t.WarnAt >= 0 && t.WarnAt < 1) {
		return care.Errorf(care.EINVALID, "warn_at is a share of the target, at least 0 (no warning) and below 1, such as 0.75.")
	}
	return nil
}

// Policy is a workspace's SLA for the conversations its Match accepts.
type Policy struct {
	ID      int64   `json:"id"`
	Name    string  `json:"name"`
	Match   Match   `json:"match"`
	Targets Targets `json:"targets"`
}

// Match says which conversations a policy is for. An empty field accepts
// any conversation; the fields that are set must all accept it.
type Match struct {
	Channels    []string `json:"channels,omitempty"`     // any of these channels
	TeamIDs     []int64  `json:"team_ids,omitempty"`     // any of these teams
	MinPriority *float64 `json:"min_priority,omitempty"` // at least this priority
	Tags        []string `json:"tags,omitempty"`         // any of these tags, in any case
}

// Subject is what a Match looks at in a conversation.
type Subject struct {
	Channel  string
	TeamID   int64
	Priority float64
	Tags     []string
}

// Accepts reports whether m accepts s.
func (m Match) Accepts(s Subject) bool {
	if len(m.Channels) > 0 && !slices.Contains(m.Channels, s.Channel) {
		return false
	}
	if len(m.TeamIDs) > 0 && !slices.Contains(m.TeamIDs, s.TeamID) {
		return false
	}
	if m.MinPriority != nil && !(s.Priority >= *m.MinPriority) {
		return false
	}
	if len(m.Tags) > 0 && !slices.ContainsFunc(m.Tags, func(want string) bool {
		return slices.ContainsFunc(s.Tags, func(have string) bool { return strings.EqualFold(want, have) })
	}) {
		return false
	}
	return true
}

// Select returns the first of policies, in order, whose Match accepts s,
// and false when none does. Workspaces order their policies from the most
// specific to a catch-all.
func Select(policies []Policy, s Subject) (Policy, bool) {
	for _, p := range policies {
		if p.Match.Accepts(s) {
			return p, true
		}
	}
	return Policy{}, false
}
