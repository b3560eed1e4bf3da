package bluesky

import (
	"context"
	"encoding/json"
	"net/url"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Profiles. A notification's author is a profileView, without follower
// counts, and a chat message names its sender by DID alone; both are
// completed from app.bsky.actor.getProfiles (profileViewDetailed, with
// followersCount), at most 25 actors a call (its lexicon's maximum), one
// call per poll. Answers are kept for profileTTL, so a customer who writes
// often costs nothing.
const (
	profileTTL         = 6 * time.Hour
	maxCachedProfiles  = 4096
	maxProfilesPerCall = 25
)

type profileCache struct {
	mu sync.Mutex
	m  map[string]cachedProfile
}

type cachedProfile struct {
	profile
	followers int64
	at        time.Time
}

func (c *profileCache) get(did string, now time.Time) (cachedProfile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[did]
	if !ok || now.Sub(p.at) > profileTTL || now.Before(p.at) {
		return cachedProfile{}, false
	}
	return p, true
}

func (c *profileCache) put(p cachedProfile) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedProfiles {
		// Dropping everything is crude but bounded, and refills in a
		// few polls.
		c.m = map[string]cachedProfile{}
	}
	c.m[p.DID] = p
}

// complete fills in the authors' follower counts, and the handle, name and
// verification where the event had none, from the cache and from one
// getProfiles call for up to 25 authors not in it. A failed call is logged
// and leaves the authors as they were: the events matter more.
func (a *Adapter) complete(ctx context.Context, in care.Inbox, authors []*care.Author) {
	now := a.now()
	var missing []string
	seen := map[string]bool{}
	for _, au := range authors {
		if _, ok := a.profiles.get(au.PlatformUserID, now); !ok && !seen[au.PlatformUserID] && len(missing) < maxProfilesPerCall {
			seen[au.PlatformUserID] = true
			missing = append(missing, au.PlatformUserID)
		}
	}
	if len(missing) > 0 {
		var out struct {
			Profiles []json.RawMessage `json:"profiles"`
		}
		_, err := a.xrpc(ctx, in, call{nsid: "app.bsky.actor.getProfiles", query: url.Values{"actors": missing}, proxy: appViewProxy},
			"reading profiles", &out)
		if err != nil {
			a.logger().Warn("bluesky: profiles not read; authors kept without follower counts", "inbox", in.ID, "err", err)
		}
		for _, raw := range out.Profiles {
			var p profile
			if json.Unmarshal(raw, &p) != nil || !seen[p.DID] {
				continue
			}
			cp := cachedProfile{profile: p, at: now}
			if p.FollowersCount != nil {
				cp.followers = int64(*p.FollowersCount)
			}
			a.profiles.put(cp)
		}
	}
	for _, au := range authors {
		p, ok := a.profiles.get(au.PlatformUserID, now)
		if !ok {
			continue
		}
		au.Followers = p.followers
		if au.Handle == "" {
			au.Handle = handleOf(p.Handle)
		}
		if au.DisplayName == "" {
			au.DisplayName = p.DisplayName
		}
		au.Verified = au.Verified || p.verified()
	}
}
