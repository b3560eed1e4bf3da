package meta_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/meta/metafake"
)

func TestFetchProfile(t *testing.T) {
	type outcome int
	const (
		found outcome = iota
		refused
		broken // the inbox cannot look anyone up
		later  // temporary
	)
	tests := []struct {
		name      string
		instagram bool
		profile   *metafake.Profile
		wrote     bool // the customer messaged the account
		fail      []metafake.Failure
		id        string
		want      care.Author
		outcome   outcome
		wait      time.Duration
	}{
		{name: "Messenger", profile: &metafake.Profile{Name: "Ana Souza", FirstName: "Ana", LastName: "Souza"}, wrote: true,
			want: care.Author{PlatformUserID: psid, DisplayName: "Ana Souza"}},
		{name: "MessengerFirstAndLastOnly", profile: &metafake.Profile{FirstName: "Ana", LastName: "Souza"}, wrote: true,
			want: care.Author{PlatformUserID: psid, DisplayName: "Ana Souza"}},
		{name: "MessengerHostileName", profile: &metafake.Profile{Name: "Ana\u202e\n  Souza\x00"}, wrote: true,
			want: care.Author{PlatformUserID: psid, DisplayName: "Ana Souza"}},
		{name: "MessengerPhoneOnly", profile: &metafake.Profile{Name: "Ana", PhoneOnly: true}, wrote: true, outcome: refused},
		{name: "MessengerNotOptedIn", profile: &metafake.Profile{Name: "Ana"}, outcome: refused},
		{name: "MessengerBlocked", profile: &metafake.Profile{Name: "Ana", Blocked: true}, wrote: true, outcome: refused},
		{name: "MessengerUnknown", wrote: true, outcome: refused},
		{name: "Instagram", instagram: true, profile: &metafake.Profile{Name: "Bea Lima", Username: "bea.lima", Followers: 812, Verified: true}, wrote: true,
			want: care.Author{PlatformUserID: igsid, DisplayName: "Bea Lima", Handle: "bea.lima", Followers: 812, Verified: true}},
		{name: "InstagramNoName", instagram: true, profile: &metafake.Profile{Username: "bea.lima"}, wrote: true,
			want: care.Author{PlatformUserID: igsid, DisplayName: "bea.lima", Handle: "bea.lima"}},
		{name: "InstagramNoConsent", instagram: true, profile: &metafake.Profile{Name: "Bea"}, outcome: refused},
		{name: "NotAUserID", id: "hidden:123", outcome: refused},
		{name: "Throttled", profile: &metafake.Profile{Name: "Ana"}, wrote: true,
			fail: []metafake.Failure{metafake.Throttled(32, 19*time.Minute)}, outcome: later, wait: 19 * time.Minute},
		{name: "Outage", instagram: true, profile: &metafake.Profile{Name: "Bea"}, wrote: true,
			fail: []metafake.Failure{metafake.Outage()}, outcome: later},
		{name: "TokenExpired", profile: &metafake.Profile{Name: "Ana"}, wrote: true,
			fail: []metafake.Failure{metafake.TokenExpired()}, outcome: broken},
		{name: "NoPermission", profile: &metafake.Profile{Name: "Ana"}, wrote: true,
			fail: []metafake.Failure{metafake.PermissionDenied()}, outcome: broken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			account, customer, in := pageID, psid, e.fb
			var f channel.ProfileFetcher = e.m
			if tt.instagram {
				account, customer, in = igID, igsid, e.ig
				f = e.g
			}
			if tt.profile != nil {
				e.fake.SetProfile(account, customer, *tt.profile)
			}
			if tt.wrote {
				e.fake.Message(metafake.Message{Account: account, From: customer, Text: "hi"})
			}
			e.fake.FailNext(tt.fail...)
			id := customer
			if tt.id != "" {
				id = tt.id
			}
			got, err := f.FetchProfile(t.Context(), in, id)
			if tt.outcome == found {
				if err != nil {
					t.Fatalf("FetchProfile: %v", err)
				}
				if !cmp.Equal(got, tt.want) {
					t.Errorf("FetchProfile = %+v, want %+v", got, tt.want)
				}
				return
			}
			var se *channel.SendError
			if !errors.As(err, &se) {
				t.Fatalf("FetchProfile = %+v, %v; want a *channel.SendError", got, err)
			}
			switch tt.outcome {
			case refused:
				if !se.Permanent || !se.Refused {
					t.Errorf("FetchProfile error %v: want permanent and refused (this person only)", se)
				}
			case broken:
				if !se.Permanent || se.Refused {
					t.Errorf("FetchProfile error %v: want permanent, not refused (the inbox)", se)
				}
			case later:
				if se.Permanent || se.RetryAfter < tt.wait {
					t.Errorf("FetchProfile error %v: want temporary, retry after at least %v", se, tt.wait)
				}
			}
		})
	}
}
