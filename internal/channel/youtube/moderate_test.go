package youtube

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/youtube/ytfake"
)

func TestModerate(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ctx := context.Background()
	top := r.fake.Comment(ana, ytfake.DefaultVideoID, "Buy followers at spam.example")
	reply, _ := r.fake.Reply(ben, top, "spam too")
	for _, tt := range []struct {
		id     string
		action channel.ModerationAction
		want   string
	}{
		{top, channel.Hide, ytfake.HeldForReview},
		{top, channel.Unhide, ytfake.Published},
		{EditID(reply, testNow), channel.Delete, ytfake.Rejected},
	} {
		if err := r.adapter.Moderate(ctx, r.inbox, tt.id, tt.action); err != nil {
			t.Fatalf("Moderate(%s, %s): %v", tt.id, tt.action, err)
		}
		c, _ := r.fake.Get(strings.Split(tt.id, ":")[0])
		if c.ModerationStatus != tt.want {
			t.Errorf("after %s, %s is %s; want %s", tt.action, tt.id, c.ModerationStatus, tt.want)
		}
	}
	mods := r.fake.Moderations()
	if len(mods) != 3 || mods[2].IDs[0] != reply || mods[2].BanAuthor {
		t.Errorf("moderations = %+v", mods)
	}
	if q := r.fake.QuotaUsed(); q != 150 {
		t.Errorf("the fake charged %d units, want 150", q)
	}

	var se *channel.SendError
	for _, tt := range []struct {
		id, reason string
		action     channel.ModerationAction
	}{
		{"UgzGoneGoneGone000000AaABAg", "commentNotFound", channel.Hide},
		{"not/a/comment", "not a YouTube comment", channel.Hide},
		{top, "unknown moderation action", "ban"},
	} {
		if err := r.adapter.Moderate(ctx, r.inbox, tt.id, tt.action); !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, tt.reason) {
			t.Errorf("Moderate(%s, %s) = %v, want a permanent failure saying %q", tt.id, tt.action, err, tt.reason)
		}
	}
	r.fake.FailNext(1, 403, "forbidden")
	if err := r.adapter.Moderate(ctx, r.inbox, top, channel.Hide); !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, "owner") {
		t.Errorf("Moderate when forbidden = %v", err)
	}
	r.inbox.Credentials[CredDailyQuota] = "200"
	if err := r.adapter.Moderate(ctx, r.inbox, top, channel.Hide); !errors.As(err, &se) || se.Permanent || !strings.Contains(se.Reason, "try again after midnight Pacific Time") {
		t.Errorf("Moderate past the quota = %v", err)
	}
}
