package feedfake

import (
	"encoding/xml"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The feeds are written as WordPress's templates write them; comments in
// each function name the template. Text that WordPress wraps in CDATA is
// wrapped likewise.

const (
	rssDate  = "Mon, 02 Jan 2006 15:04:05 +0000" // mysql2date( 'D, d M Y H:i:s +0000', … )
	atomDate = "2006-01-02T15:04:05Z"            // mysql2date( 'Y-m-d\TH:i:s\Z', … )
)

// esc escapes text for XML character data and attribute values.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// cdata wraps s in a CDATA section, split where s holds "]]>".
func cdata(s string) string {
	return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>"
}

var tags = regexp.MustCompile(`<[^>]*>`)

// excerpt is a post's summary: its Summary, else the first 55 words of its
// text, as wp_trim_excerpt does.
func excerpt(p *post) string {
	if p.Summary != "" {
		return p.Summary
	}
	words := strings.Fields(tags.ReplaceAllString(p.HTML, " "))
	if len(words) > 55 {
		return strings.Join(words[:55], " ") + " [&#8230;]"
	}
	return strings.Join(words, " ")
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug is a post's name in its address, from its title.
func slug(title string, id int) string {
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(title), "-"), "-")
	if s == "" {
		return strconv.Itoa(id)
	}
	return s
}

// newestPosts and newestComments are what the feeds hold: the newest
// f.Items, newest first.
func (f *Fake) newestPosts() []*post {
	ps := slices.Clone(f.posts)
	slices.Reverse(ps)
	return ps[:min(len(ps), max(f.Items, 1))]
}

func (f *Fake) newestComments() []*comment {
	cs := slices.Clone(f.comments)
	slices.Reverse(cs)
	return cs[:min(len(cs), max(f.Items, 1))]
}

func (f *Fake) commentCount(postID int) int {
	n := 0
	for _, c := range f.comments {
		if c.PostID == postID {
			n++
		}
	}
	return n
}

func lastBuild(t time.Time) time.Time {
	if t.IsZero() {
		return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t
}

// postsRSS is wp-includes/feed-rss2.php.
func (f *Fake) postsRSS() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>` + esc(f.Title) + `</title>
	<atom:link href="` + esc(f.Site+PostsRSS) + `" rel="self" type="application/rss+xml" />
	<link>` + esc(f.Site) + `</link>
	<description>News from ` + esc(f.Title) + `</description>
	<lastBuildDate>` + lastBuild(f.postsChanged).Format(rssDate) + `</lastBuildDate>
	<language>en-US</language>
	<sy:updatePeriod>
	hourly	</sy:updatePeriod>
	<sy:updateFrequency>
	1	</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.8</generator>
`)
	for _, p := range f.newestPosts() {
		link := f.postLink(p)
		n := strconv.Itoa(f.commentCount(p.id))
		b.WriteString(`	<item>
		<title>` + esc(p.Title) + `</title>
		<link>` + esc(link) + `</link>
		<comments>` + esc(link) + `#respond</comments>
		<dc:creator>` + cdata(p.Author) + `</dc:creator>
		<pubDate>` + p.at.Format(rssDate) + `</pubDate>
		<guid isPermaLink="false">` + esc(f.postGUID(p)) + `</guid>

		<description>` + cdata(excerpt(p)) + `</description>
		<content:encoded>` + cdata(p.HTML) + `</content:encoded>
		<wfw:commentRss>` + esc(link) + `feed/</wfw:commentRss>
		<slash:comments>` + n + `</slash:comments>
`)
		for _, e := range p.Enclosures {
			b.WriteString(`		<enclosure url="` + esc(e.URL) + `" length="` + strconv.FormatInt(e.Length, 10) + `" type="` + esc(e.Type) + `" />
`)
		}
		b.WriteString("\t</item>\n")
	}
	b.WriteString("</channel>\n</rss>\n")
	return []byte(b.String())
}

// commentsRSS is wp-includes/feed-rss2-comments.php, for the whole site.
func (f *Fake) commentsRSS() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	
	>
<channel>
	<title>
	Comments for ` + esc(f.Title) + `	</title>
	<atom:link href="` + esc(f.Site+CommentsRSS) + `" rel="self" type="application/rss+xml" />
	<link>` + esc(f.Site) + `</link>
	<description>News from ` + esc(f.Title) + `</description>
	<lastBuildDate>` + lastBuild(f.commentsChanged).Format(rssDate) + `</lastBuildDate>
	<sy:updatePeriod>
	hourly	</sy:updatePeriod>
	<sy:updateFrequency>
	1	</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.8</generator>
`)
	for _, c := range f.newestComments() {
		p := f.post(c.PostID)
		id := strconv.Itoa(c.id)
		b.WriteString(`	<item>
		<title>
		Comment on ` + esc(p.Title) + ` by ` + esc(c.Author) + `		</title>
		<link>` + esc(f.postLink(p)) + `#comment-` + id + `</link>

		<dc:creator>` + cdata(c.Author) + `</dc:creator>
		<pubDate>` + c.at.Format(rssDate) + `</pubDate>
		<guid isPermaLink="false">` + esc(f.postGUID(p)) + `#comment-` + id + `</guid>

					<description>` + cdata(strings.TrimSpace(tags.ReplaceAllString(c.HTML, ""))) + `</description>
			<content:encoded>` + cdata(c.HTML) + `</content:encoded>
		
			</item>
`)
	}
	b.WriteString("	</channel>\n</rss>\n")
	return []byte(b.String())
}

// postsAtom is wp-includes/feed-atom.php.
func (f *Fake) postsAtom() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><feed
	xmlns="http://www.w3.org/2005/Atom"
	xmlns:thr="http://purl.org/syndication/thread/1.0"
	xml:lang="en-US"
	>
	<title type="text">` + esc(f.Title) + `</title>
	<subtitle type="text">News from ` + esc(f.Title) + `</subtitle>

	<updated>` + lastBuild(f.postsChanged).Format(atomDate) + `</updated>

	<link rel="alternate" type="text/html" href="` + esc(f.Site) + `" />
	<id>` + esc(f.Site+PostsAtom) + `</id>
	<link rel="self" type="application/atom+xml" href="` + esc(f.Site+PostsAtom) + `" />

	<generator uri="https://wordpress.org/" version="6.8">WordPress</generator>
`)
	for _, p := range f.newestPosts() {
		link := f.postLink(p)
		n := strconv.Itoa(f.commentCount(p.id))
		b.WriteString(`	<entry>
		<author>
			<name>` + esc(p.Author) + `</name>
					</author>

		<title type="html">` + cdata(p.Title) + `</title>
		<link rel="alternate" type="text/html" href="` + esc(link) + `" />

		<id>` + esc(f.postGUID(p)) + `</id>
		<updated>` + p.at.Format(atomDate) + `</updated>
		<published>` + p.at.Format(atomDate) + `</published>
		<summary type="html">` + cdata(excerpt(p)) + `</summary>
		<content type="html" xml:base="` + esc(link) + `">` + cdata(p.HTML) + `</content>
`)
		for _, e := range p.Enclosures {
			b.WriteString(`		<link href="` + esc(e.URL) + `" rel="enclosure" length="` + strconv.FormatInt(e.Length, 10) + `" type="` + esc(e.Type) + `" />
`)
		}
		b.WriteString(`		<link rel="replies" type="text/html" href="` + esc(link) + `#comments" thr:count="` + n + `" />
		<link rel="replies" type="application/atom+xml" href="` + esc(link) + `feed/atom/" thr:count="` + n + `" />
		<thr:total>` + n + `</thr:total>
	</entry>
`)
	}
	b.WriteString("</feed>\n")
	return []byte(b.String())
}

// commentsAtom is wp-includes/feed-atom-comments.php, for the whole site.
func (f *Fake) commentsAtom() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" ?><feed
	xmlns="http://www.w3.org/2005/Atom"
	xml:lang="en-US"
	xmlns:thr="http://purl.org/syndication/thread/1.0"
	>
	<title type="text">Comments for ` + esc(f.Title) + `</title>
	<subtitle type="text">News from ` + esc(f.Title) + `</subtitle>

	<updated>` + lastBuild(f.commentsChanged).Format(atomDate) + `</updated>

	<link rel="alternate" type="text/html" href="` + esc(f.Site) + `" />
	<link rel="self" type="application/atom+xml" href="` + esc(f.Site+CommentsAtom) + `" />
	<id>` + esc(f.Site+CommentsAtom) + `</id>
`)
	for _, c := range f.newestComments() {
		p := f.post(c.PostID)
		id := strconv.Itoa(c.id)
		link := f.postLink(p) + "#comment-" + id
		b.WriteString(`	<entry>
		<title>
		Comment on ` + esc(p.Title) + ` by ` + esc(c.Author) + `		</title>
		<link rel="alternate" href="` + esc(link) + `" type="text/html" />

		<author>
			<name>` + esc(c.Author) + `</name>
`)
		if c.AuthorURL != "" {
			b.WriteString(`			<uri>` + esc(c.AuthorURL) + `</uri>` + "\n")
		}
		b.WriteString(`		</author>

		<id>` + esc(f.postGUID(p)) + `#comment-` + id + `</id>
		<updated>` + c.at.Format(atomDate) + `</updated>
		<published>` + c.at.Format(atomDate) + `</published>

		<content type="html" xml:base="` + esc(link) + `">` + cdata(c.HTML) + `</content>

`)
		if parent := f.commentByID(c.ParentID); c.ParentID != 0 && parent != nil {
			pid := strconv.Itoa(parent.id)
			b.WriteString(`			<thr:in-reply-to ref="` + esc(f.postGUID(p)) + `#comment-` + pid + `" href="` + esc(f.postLink(p)) + `#comment-` + pid + `" type="text/html" />
`)
		} else {
			b.WriteString(`			<thr:in-reply-to ref="` + esc(f.postGUID(p)) + `" href="` + esc(f.postLink(p)) + `" type="text/html" />
`)
		}
		b.WriteString("\t</entry>\n")
	}
	b.WriteString("</feed>\n")
	return []byte(b.String())
}
