package wordpress

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/wordpress/wpfake"
)

func TestModerate(t *testing.T) {
	t.Parallel()
	s := newSite(t, nil)
	ctx := context.Background()
	c := s.visit(wpfake.Visitor{Name: "Troll", Text: "rude"})
	for _, step := range []struct {
		action channel.ModerationAction
		status string
	}{{channel.Hide, "hold"}, {channel.Unhide, "approved"}, {channel.Delete, "trash"}, {channel.Delete, "trash"}} {
		if err := s.adapter.Moderate(ctx, s.inbox, c, step.action); err != nil {
			t.Fatalf("Moderate(%s): %v", step.action, err)
		}
		if got, _ := s.fake.Get(atoi(c)); got.Status != step.status {
			t.Errorf("after %s the comment is %s, want %s", step.action, got.Status, step.status)
		}
	}
	var want []wpfake.Moderation
	for _, status := range []string{"hold", "approved", "trash"} {
		want = append(want, wpfake.Moderation{CommentID: atoi(c), Status: status, By: wpfake.DefaultUsername})
	}
	if diff := cmp.Diff(want, s.fake.Moderations()); diff != "" {
		t.Errorf("moderations (-want +got):\n%s", diff)
	}
	// Deleting what is gone succeeds; hiding it does not.
	if err := s.adapter.Moderate(ctx, s.inbox, "99999", channel.Delete); err != nil {
		t.Errorf("Delete of a missing comment = %v", err)
	}
	var se *channel.SendError
	if err := s.adapter.Moderate(ctx, s.inbox, "99999", channel.Hide); !errors.As(err, &se) || !se.Permanent {
		t.Errorf("Hide of a missing comment = %v, want permanent", err)
	}
	if err := s.adapter.Moderate(ctx, s.inbox, "abc", channel.Hide); !errors.As(err, &se) || !se.Permanent {
		t.Errorf("Hide of a non-id = %v, want permanent", err)
	}
}

func TestModerateWithoutTrash(t *testing.T) {
	t.Parallel()
	s := newSite(t, func(f *wpfake.Fake) { f.TrashDisabled = true })
	c := s.visit(wpfake.Visitor{Name: "Troll", Text: "rude"})
	if err := s.adapter.Moderate(context.Background(), s.inbox, c, channel.Delete); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.fake.Get(atoi(c)); ok {
		t.Error("the comment is still there")
	}
	if m := s.fake.Moderations(); len(m) != 1 || m[0].Status != "deleted" {
		t.Errorf("moderations = %+v", m)
	}
}
