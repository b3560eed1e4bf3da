package wordpress

import (
	"net"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/wordpress/wpfake"
)

func TestPrepare(t *testing.T) {
	t.Parallel()
	s := newSite(t, nil)
	c := s.inbox.Credentials
	if s.inbox.ExternalID != "2" || c[CredUserID] != "2" || c[CredRoute] != RoutePretty || c[CredSiteURL] != s.srv.URL {
		t.Errorf("prepared inbox %q, %v", s.inbox.ExternalID, c)
	}
	ins := s.adapter.Instructions(s.inbox, "")
	if len(ins) != 5 || !strings.Contains(ins[0].Value, s.srv.URL+"/wp-admin/profile.php") || !strings.Contains(ins[1].Value, "user 2") {
		t.Errorf("Instructions = %+v", ins)
	}
}

func TestPrepareRefuses(t *testing.T) {
	t.Parallel()
	s := newSite(t, nil)
	s.fake.AddUser(wpfake.User{Username: "author", Name: "Ann Author", AppPassword: "aaaa bbbb cccc dddd eeee ffff"})
	notWP := newSite(t, nil)
	notWP.fake.PrettyPermalinks = false
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	good := wpfake.DefaultAppPassword
	tests := []struct {
		name                 string
		site, user, password string
		more                 map[string]string
		external             string
		code, says           string
	}{
		{"no site", "", "parley", good, nil, "", care.EINVALID, "site_url is required"},
		{"plain http", "http://blog.example.com", "parley", good, nil, "", care.EINVALID, "https"},
		{"query", s.srv.URL + "?x=1", "parley", good, nil, "", care.EINVALID, "without a query"},
		{"no user", s.srv.URL, "", good, nil, "", care.EINVALID, "username is required"},
		{"account password", s.srv.URL, "parley", "hunter2", nil, "", care.EINVALID, "not an Application Password"},
		{"site users", s.srv.URL, "parley", good, map[string]string{CredSiteUsers: "everyone"}, "", care.EINVALID, "site_users"},
		{"wrong password", s.srv.URL, "parley", "aaaa bbbb cccc dddd eeee ffff", nil, "", care.EINVALID, "invalid application password"},
		{"unknown user", s.srv.URL, "nobody", good, nil, "", care.EINVALID, "Unknown username"},
		{"not a moderator", s.srv.URL, "author", "aaaa bbbb cccc dddd eeee ffff", nil, "", care.EINVALID, "cannot moderate comments"},
		{"another user", s.srv.URL, "parley", good, nil, "1", care.EINVALID, "belongs to user 2"},
		{"unreachable", closed, "parley", good, nil, "", care.EUNAVAILABLE, "could not be reached"},
		{"no REST API", notWP.srv.URL + "/blog", "parley", good, nil, "", care.EINVALID, "does not answer as a WordPress site"},
	}
	for _, tt := range tests {
		in := &care.Inbox{Channel: care.ChannelWordPress, ExternalID: tt.external, Credentials: map[string]string{
			CredSiteURL: tt.site, CredUsername: tt.user, CredAppPassword: tt.password}}
		for k, v := range tt.more {
			in.Credentials[k] = v
		}
		err := s.adapter.Prepare(in)
		if care.ErrorCode(err) != tt.code || !strings.Contains(care.ErrorMessage(err), tt.says) {
			t.Errorf("%s: Prepare = %v, want %s saying %q", tt.name, err, tt.code, tt.says)
		}
	}
}
