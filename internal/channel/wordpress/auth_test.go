package wordpress

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/wordpress/wpfake"
)

// TestAuthRefusals covers the ways WordPress refuses an application
// password's requests, each with the advice that fits it: the site's 401
// for a wrong password or for application passwords turned off, its 401
// rest_* for a request that reached it anonymous (the Authorization
// header dropped on the way), and its 403 rest_* for a user without the
// capability.
func TestAuthRefusals(t *testing.T) {
	t.Parallel()
	const authorPassword = "aaaa bbbb cccc dddd eeee ffff"
	tests := []struct {
		name  string
		setup func(s *site)
		says  string
	}{
		{"wrong password", func(s *site) { s.inbox.Credentials[CredAppPassword] = authorPassword }, "create a new application password"},
		{"application passwords off", func(s *site) { s.fake.AppPasswordsDisabled = true }, "application passwords are not available"},
		{"authorization header dropped", func(s *site) { s.fake.DropAuthorization = true }, "drops the Authorization header"},
		{"not a moderator", func(s *site) {
			s.fake.AddUser(wpfake.User{Username: "author", Name: "Ann Author", AppPassword: authorPassword})
			s.inbox.Credentials[CredUsername], s.inbox.Credentials[CredAppPassword] = "author", authorPassword
		}, "lacks a capability"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSite(t, nil)
			_, cursor := s.poll("")
			tt.setup(s)
			_, _, err := s.adapter.Poll(context.Background(), s.inbox, cursor)
			var se *channel.SendError
			if !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, tt.says) {
				t.Errorf("Poll = %v, want a permanent SendError saying %q", err, tt.says)
			}
		})
	}
}

// TestPrepareAnonymous connects through a server that drops the
// Authorization header: WordPress answers /users/me with 401
// rest_not_logged_in, which is no password's fault.
func TestPrepareAnonymous(t *testing.T) {
	t.Parallel()
	s := newSite(t, nil)
	s.fake.DropAuthorization = true
	in := &care.Inbox{Channel: care.ChannelWordPress, Credentials: map[string]string{
		CredSiteURL: s.srv.URL, CredUsername: wpfake.DefaultUsername, CredAppPassword: wpfake.DefaultAppPassword}}
	err := s.adapter.Prepare(in)
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "Authorization header") {
		t.Errorf("Prepare = %v, want EINVALID naming the Authorization header", err)
	}
}
