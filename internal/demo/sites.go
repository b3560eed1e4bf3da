package demo

import (
	"context"
	"crypto/rand"
	"html"
	"net/url"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/channel/blog"
	"github.com/parleyhq/parley/internal/channel/blog/feedfake"
	"github.com/parleyhq/parley/internal/channel/wordpress"
	"github.com/parleyhq/parley/internal/channel/wordpress/wpfake"
)

// The open web: a tech blog whose writers mention the brand, read through
// its feed, and the brand's own blog, a WordPress site whose comments
// Parley reads and answers through its REST API. Neither pushes anything.

// The blog Orbit's customers write on, and the brand's own.
const (
	techBlogSite  = "https://signalbar.example"
	techBlogTitle = "Signal Bar"
	brandBlogSite = "https://blog.orbitmobile.example"
)

// brandBlogPosts are the brand's recent posts, which customers comment
// under.
var brandBlogPosts = [...]string{"eSIM in the Orbit app: set up in two minutes", "Roaming in 2026: what changes for you",
	"Our new shop on Gran Vía is open"}

// blogKeywords are what the blog inbox watches for: the brand's names.
const blogKeywords = brandName + ", @" + brandHandle

// connectBlog follows Signal Bar's posts feed for the brand's name. Blogs
// are read every five minutes, and a feed's first read is the baseline:
// what it holds then is not imported. Parley reads the feed once when the
// inbox is created, so the blog serves first.
func (p *platforms) connectBlog(ctx context.Context, admin *client) error {
	var err error
	if p.feedSrv, err = listen(); err != nil {
		return err
	}
	p.feed = feedfake.New()
	p.feed.Site, p.feed.Title = techBlogSite, techBlogTitle
	// What the blog held before: a post that mentions no brand.
	p.feed.Post(feedfake.Post{Author: "Sam Okafor", Title: "Five phones under 300 that are worth it",
		HTML: "<p>Battery, camera and updates: what matters in a cheap phone this year.</p>"})
	p.feedSrv.serve(p.feed.Handler(), p.log)
	feedURL := p.feedSrv.URL + feedfake.PostsRSS
	in, _, err := createInbox(ctx, admin, map[string]any{"channel": "blog", "name": "Blogs about " + brandName,
		"credentials": map[string]string{blog.CredFeeds: feedURL, blog.CredKeywords: blogKeywords}})
	if err != nil {
		return err
	}
	p.blogInbox = in.Inbox.ID
	u, err := url.Parse(feedURL)
	if err != nil {
		return err
	}
	// The blog adapter knows a blogger as the feed's host and their name.
	p.feedHost = strings.ToLower(u.Host)
	return nil
}

// connectWordPress connects the brand's blog, a WordPress site, as its
// care team's Editor with an Application Password; Parley checks the user
// with the site when the inbox is created, so the site serves first.
func (p *platforms) connectWordPress(ctx context.Context, admin *client) error {
	var err error
	if p.wpSrv, err = listen(); err != nil {
		return err
	}
	p.wp = wpfake.New()
	p.wp.Site, p.wp.Title = brandBlogSite, brandName+" Blog"
	// WordPress shows an Application Password as six groups of four.
	t := rand.Text()
	password := strings.Join([]string{t[0:4], t[4:8], t[8:12], t[12:16], t[16:20], t[20:24]}, " ")
	user := p.wp.AddUser(wpfake.User{Username: "orbitcare", Name: brandName + " Care", Email: careAddress, AppPassword: password, Moderator: true})
	for _, title := range brandBlogPosts {
		p.wpPosts = append(p.wpPosts, p.wp.AddPost(title))
	}
	p.wpSrv.serve(p.wp.Handler(), p.log)
	in, _, err := createInbox(ctx, admin, map[string]any{"channel": "wordpress", "name": brandName + "'s blog (WordPress)",
		"credentials": map[string]string{wordpress.CredSiteURL: p.wpSrv.URL, wordpress.CredUsername: user.Username,
			wordpress.CredAppPassword: password}})
	if err != nil {
		return err
	}
	p.wpInbox = in.Inbox.ID
	return nil
}

// blogWrite publishes a blogger's post on Signal Bar and returns its guid,
// the post's id in Parley, and the blogger's identity there.
func (p *platforms) blogWrite(who *customer, m message) (id, author string) {
	item := p.feed.Post(feedfake.Post{Author: who.name, Title: m.subject, HTML: "<p>" + html.EscapeString(m.text) + "</p>"})
	return item.GUID, p.feedHost + "/" + who.name
}

// wpWrite leaves a comment on the brand's blog, as a guest who types their
// name and email into the form, and returns its id: under one of the
// brand's posts, or, answering the brand, under its reply.
func (p *platforms) wpWrite(who *customer, m message) string {
	v := wpfake.Visitor{PostID: p.wpPosts[who.post%len(p.wpPosts)], Name: who.name, Email: who.id, Text: m.text}
	if parent, err := strconv.Atoi(m.replyTo); err == nil {
		if c, ok := p.wp.Get(parent); ok {
			v.PostID, v.ParentID = c.PostID, parent
		}
	}
	return strconv.Itoa(p.wp.Comment(v))
}
