package reviews

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/reviews/gbpfake"
)

// TestModerate: the location's own reply can be deleted; a review cannot
// be hidden or deleted, nor a reply hidden, and Moderate says so with
// EINVALID.
func TestModerate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := newGoogle(t)
	name := g.fake.Review(gbpfake.ReviewInput{Reviewer: jane, Stars: 1, Comment: "awful"})
	res, err := g.adapter.Send(ctx, outbound(g.inbox, "Sorry!", name))
	must(t, err)

	for _, tc := range []struct {
		id     string
		action channel.ModerationAction
		says   string
	}{
		{name, channel.Hide, "does not let a business hide"},
		{name, channel.Unhide, "does not let a business hide"},
		{name, channel.Delete, "does not let a business delete"},
		{editID(name, testNow), channel.Delete, "does not let a business delete"},
		{res.PlatformID, channel.Hide, "cannot be hidden"},
		{"accounts/1/locations/2/reviews/x", channel.Delete, "not a Google review of this location"},
	} {
		err := g.adapter.Moderate(ctx, g.inbox, tc.id, tc.action)
		var se *channel.SendError
		if !errors.As(err, &se) || !se.Permanent || care.ErrorCode(err) != care.EINVALID || !strings.Contains(se.Reason, tc.says) {
			t.Errorf("Moderate(%s, %s) = %v, want EINVALID saying %q", tc.id, tc.action, err, tc.says)
		}
	}
	if _, ok := g.fake.Reply(name); !ok {
		t.Fatal("a refused action removed the reply")
	}

	// A reply replaced since is not deleted: that would delete the newer.
	newer, err := g.adapter.Send(ctx, outbound(g.inbox, "Sorry! Call us.", name))
	must(t, err)
	if err := g.adapter.Moderate(ctx, g.inbox, res.PlatformID, channel.Delete); care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "replaced by a newer one") {
		t.Errorf("deleting a replaced reply = %v", err)
	}
	if err := g.adapter.Moderate(ctx, g.inbox, newer.PlatformID, channel.Delete); err != nil {
		t.Fatalf("deleting the reply = %v", err)
	}
	if _, ok := g.fake.Reply(name); ok {
		t.Error("the reply is still on Google")
	}
	calls := g.fake.Calls()
	if last := calls[len(calls)-1]; last.Method != http.MethodDelete || last.Review != name || last.Status != http.StatusOK {
		t.Errorf("last call = %+v", last)
	}
	// Deleting it again is done already.
	if err := g.adapter.Moderate(ctx, g.inbox, newer.PlatformID, channel.Delete); err != nil {
		t.Errorf("deleting a deleted reply = %v", err)
	}
	// A reply made outside Parley can be deleted too.
	must(t, g.fake.OwnerReply(name, "From the owner"))
	if err := g.adapter.Moderate(ctx, g.inbox, ReplyID(name, "From the owner"), channel.Delete); err != nil {
		t.Errorf("deleting an outside reply = %v", err)
	}
	g.fake.Remove(name)
	err = g.adapter.Moderate(ctx, g.inbox, newer.PlatformID, channel.Delete)
	var se *channel.SendError
	if !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, "no longer exists") {
		t.Errorf("deleting the reply of a deleted review = %v", err)
	}
}
