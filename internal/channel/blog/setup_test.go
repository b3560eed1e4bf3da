package blog

import (
	"net"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/blog/feedfake"
)

func TestPrepare(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	in := &care.Inbox{Channel: care.ChannelBlog, Credentials: map[string]string{
		CredFeeds:    " " + s.url(feedfake.CommentsRSS) + "#frag , " + s.url(feedfake.PostsAtom) + "\r\n" + s.url(feedfake.CommentsRSS),
		CredKeywords: "Acme,  ACME Cloud ,",
	}}
	if err := s.adapter.Prepare(in); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	if got, want := in.Credentials[CredFeeds], s.url(feedfake.CommentsRSS)+"\n"+s.url(feedfake.PostsAtom); got != want {
		t.Errorf("feeds = %q, want %q", got, want)
	}
	if got := in.Credentials[CredKeywords]; got != "acme\nacme cloud" {
		t.Errorf("keywords = %q", got)
	}
	ins := s.adapter.Instructions(*in, "")
	if len(ins) != 4 || !strings.Contains(ins[0].Value, feedfake.PostsAtom) || !strings.Contains(ins[1].Value, "acme cloud") || ins[3].Value != NoReplies {
		t.Errorf("Instructions = %+v", ins)
	}
}

func TestPrepareRefuses(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.fake.Serve("/page", "text/html", []byte("<!doctype html><p>not a feed"))
	s.fake.Fail("/busy", 9, 503, 0)
	// A port nothing listens on: connections are refused at once.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/feed"
	l.Close()
	tests := []struct {
		feeds, keywords, code, says string
	}{
		{"", "", care.EINVALID, "is required"},
		{"blog.example.com/feed", "", care.EINVALID, "not an http or https address"},
		{"https://me:secret@blog.example.com/feed", "", care.EINVALID, "user name or password"},
		{s.url("/nothing-here/"), "", care.EINVALID, "404"},
		{s.url("/page"), "", care.EINVALID, "is not an RSS, Atom or JSON feed"},
		{s.url("/busy"), "", care.EUNAVAILABLE, "503"},
		{closed, "", care.EUNAVAILABLE, "could not be reached"},
		{s.url(feedfake.CommentsRSS), strings.Repeat("x", 200), care.EINVALID, "longer than"},
	}
	for _, tt := range tests {
		in := &care.Inbox{Channel: care.ChannelBlog, Credentials: map[string]string{CredFeeds: tt.feeds, CredKeywords: tt.keywords}}
		err := s.adapter.Prepare(in)
		if care.ErrorCode(err) != tt.code || !strings.Contains(care.ErrorMessage(err), tt.says) {
			t.Errorf("Prepare(feeds %q) = %v, want %s saying %q", tt.feeds, err, tt.code, tt.says)
		}
		if strings.Contains(care.ErrorMessage(err), "secret") {
			t.Errorf("Prepare's error shows the password: %v", err)
		}
	}
	if got := s.adapter.Instructions(care.Inbox{}, ""); len(got) != 1 || got[0].Label != "To fix" {
		t.Errorf("Instructions of an inbox without feeds = %+v", got)
	}
}
