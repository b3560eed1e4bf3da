package meta

import (
	"context"
	"net/http"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// moderate hides, unhides or deletes a comment. Facebook takes
// POST /{comment-id} is_hidden=true|false (the Graph Comment object's
// update); Instagram POST /{ig-comment-id} hide=true|false
// (developers.facebook.com/docs/instagram-platform/comment-moderation); both
// delete with DELETE /{id}. Errors are *channel.SendError, whose Reason the
// agent sees.
func (a *adapter) moderate(ctx context.Context, in care.Inbox, platformID string, action channel.ModerationAction) error {
	if !isObjectID(platformID) {
		return channel.Permanent("only comments on the "+a.account()+"'s own posts can be moderated", nil)
	}
	param := "is_hidden"
	if a.ch == care.ChannelInstagram {
		param = "hide"
	}
	var res struct {
		Success bool `json:"success"`
	}
	var err error
	switch action {
	case channel.Hide:
		_, err = a.call(ctx, in, http.MethodPost, []string{platformID}, map[string]bool{param: true}, &res)
	case channel.Unhide:
		_, err = a.call(ctx, in, http.MethodPost, []string{platformID}, map[string]bool{param: false}, &res)
	case channel.Delete:
		_, err = a.call(ctx, in, http.MethodDelete, []string{platformID}, nil, &res)
	default:
		return channel.Permanent("unknown moderation action", nil)
	}
	return err
}
