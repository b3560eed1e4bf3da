package triage_test

import (
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/triage"
)

// TestReachReason: the card names what drove the reach score, so a post
// taking off reads as reactions, not as its author's few followers.
func TestReachReason(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name   string
		author care.Author
		vis    care.Visibility
		likes  int64
		age    time.Duration
		want   string
	}{
		{"reactions drove it", care.Author{PlatformUserID: "35", Followers: 422}, care.Public, 112, time.Minute,
			"112 reactions in 1 min"},
		{"a small account taking off", care.Author{PlatformUserID: "45", Followers: 10}, care.Public, 1_438, 2 * time.Hour,
			"1.4k reactions in 2 h"},
		{"followers drove it", care.Author{PlatformUserID: "7", Followers: 120_000}, care.Public, 3, 6 * time.Hour,
			"120k followers"},
		{"verified adds no reach", care.Author{PlatformUserID: "8", Followers: 50, Verified: true}, care.Public, 0, time.Minute,
			"50 followers"},
		{"private", care.Author{PlatformUserID: "9", Followers: 120_000}, care.Private, 900, time.Minute, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var tr triage.Triager
			conv := &care.Conversation{ID: 1, WorkspaceID: 1, Status: care.StatusOpen, Channel: care.ChannelX}
			in := &care.Inbound{Channel: care.ChannelX, Visibility: tt.vis, Author: tt.author, Text: "my order never arrived",
				Engagement: tt.likes, SentAt: now.Add(-tt.age)}
			msg, ct, err := tr.Triage(t.Context(), nil, conv, in, false, now)
			if err != nil {
				t.Fatal(err)
			}
			if got := ct.Inputs.ReachReason; got != tt.want {
				t.Errorf("reach reason = %q, want %q (reach %v)", got, tt.want, ct.Inputs.Reach)
			}
			if tt.want == "" {
				if ct.Inputs.Reach != 0 || slices.Contains(ct.Reasons, "public post") {
					t.Errorf("reach %v, reasons %q; want none", ct.Inputs.Reach, ct.Reasons)
				}
				return
			}
			if !slices.Contains(ct.Reasons, tt.want) || !slices.Contains(msg.Cues, tt.want) {
				t.Errorf("priority reasons %q, cues %q; want both to name %q", ct.Reasons, msg.Cues, tt.want)
			}
		})
	}
}
