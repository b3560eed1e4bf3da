package reddit

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/reddit/redditfake"
)

func TestModerate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	post := e.fake.Post("some_customer", "Router issues", "")
	comment := e.fake.Comment(redditfake.Comment{From: "spammer", Parent: post, Body: "buy now"})
	elsewhere := e.fake.Comment(redditfake.Comment{From: "spammer", Parent: e.fake.PostIn("routers", "x", "t", ""), Body: "buy"})

	for _, action := range []channel.ModerationAction{channel.Hide, channel.Unhide, channel.Delete} {
		if err := e.a.Moderate(e.ctx, e.in, comment, action); err != nil {
			t.Fatalf("%s: %v", action, err)
		}
	}
	want := []redditfake.Moderation{{Action: "remove", ID: comment}, {Action: "approve", ID: comment}, {Action: "remove", ID: comment}}
	if diff := cmp.Diff(want, e.fake.Moderations()); diff != "" || !e.fake.Removed(comment) {
		t.Errorf("moderations (-want +got):\n%s", diff)
	}

	err := e.a.Moderate(e.ctx, e.in, elsewhere, channel.Hide)
	if se := sendError(t, err); !se.Permanent || se.Status != 403 || !strings.Contains(se.Reason, "the account is not a moderator here") {
		t.Errorf("outside the brand's subreddits: %+v", se)
	}
	for _, tt := range []struct {
		id     string
		action channel.ModerationAction
	}{{"t4_abc", channel.Hide}, {"nonsense", channel.Hide}, {comment, "ban"}} {
		if se := sendError(t, e.a.Moderate(e.ctx, e.in, tt.id, tt.action)); !se.Permanent {
			t.Errorf("Moderate(%s, %s) = %+v, want permanent", tt.id, tt.action, se)
		}
	}
}
