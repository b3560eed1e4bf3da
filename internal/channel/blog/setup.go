package blog

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// defaultSetupTimeout bounds Prepare's check of the feeds.
const defaultSetupTimeout = 20 * time.Second

// Prepare validates a new blog inbox and normalises its credentials: the
// feeds one a line, each an http(s) address without user information or
// fragment, and the keywords one a line, lower-cased. It then reads every
// feed once, within the adapter's SetupTimeout, so that a mistyped address
// is reported now. It returns EINVALID naming what is wrong (no feeds, too
// many, an address that is not one, a feed that answers an error or is not
// a feed, too many or too long keywords), and EUNAVAILABLE when a feed
// cannot be reached or fails for the moment.
func (a *Adapter) Prepare(in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	cfg, err := configOf(*in)
	if err != nil {
		return err
	}
	in.Credentials[CredFeeds] = strings.Join(cfg.feeds, "\n")
	if len(cfg.keywords) > 0 {
		in.Credentials[CredKeywords] = strings.Join(cfg.keywords, "\n")
	} else {
		delete(in.Credentials, CredKeywords)
	}
	timeout := a.SetupTimeout
	if timeout <= 0 {
		timeout = defaultSetupTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	errs := make([]error, len(cfg.feeds))
	sem := make(chan struct{}, parallelFetches)
	var wg sync.WaitGroup
	for i, feed := range cfg.feeds {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = a.check(ctx, feed)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			continue
		}
		var se *channel.SendError
		reason := "failed"
		if errors.As(err, &se) && se.Reason != "" {
			reason = se.Reason
		}
		code := care.EINVALID
		if se != nil && !se.Permanent {
			code = care.EUNAVAILABLE
		}
		return care.Errorf(code, "credentials.%s: the feed %s %s.", CredFeeds, display(cfg.feeds[i]), strings.TrimSuffix(reason, "."))
	}
	return nil
}

// check reads a feed and parses it.
func (a *Adapter) check(ctx context.Context, feed string) error {
	f, err := a.fetch(ctx, feed, &feedState{})
	if err != nil {
		return err
	}
	if _, err := parseFeed(f.body); err != nil {
		return channel.Permanent("is not an RSS, Atom or JSON feed", err)
	}
	return nil
}

// Instructions describe what the inbox follows; there is nothing to paste
// anywhere, since feeds are public.
func (a *Adapter) Instructions(in care.Inbox, _ string) []channel.Instruction {
	cfg, err := configOf(in)
	if err != nil {
		return []channel.Instruction{{Label: "To fix", Value: care.ErrorMessage(err)}}
	}
	feeds := make([]string, len(cfg.feeds))
	for i, f := range cfg.feeds {
		feeds[i] = display(f)
	}
	watch := "every new item (no keywords)"
	if len(cfg.keywords) > 0 {
		watch = "new items that mention: " + strings.Join(cfg.keywords, ", ")
	}
	return []channel.Instruction{
		{Label: "Feeds", Value: strings.Join(feeds, "\n")},
		{Label: "Imported", Value: watch + "; what the feeds held when the inbox was created is not imported"},
		{Label: "Checked", Value: "every 5 minutes, with conditional requests"},
		{Label: "Replies", Value: NoReplies},
	}
}
