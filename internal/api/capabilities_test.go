package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/mastodon"
)

// An inbox, listed or read alone, carries what its channel can do, as the
// channel's adapter declares for that inbox: what an API client's composer
// needs to count and offer what the desk's does.
func TestInboxCapabilities(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	agent := ta.token(t, workspace1, care.RoleAgent)
	// Nothing reaches a platform: the inboxes point at a closed port.
	closed := map[string]string{channel.CredAPIBase: "http://127.0.0.1:1"}
	long := map[string]string{channel.CredAPIBase: "http://127.0.0.1:1", mastodon.CredMaxCharacters: "1000"}
	tests := []struct {
		name  string
		inbox care.Inbox
		want  string // the capabilities object
	}{
		{"x", care.Inbox{Channel: care.ChannelX, Name: "@acme", ExternalID: "42", Credentials: closed},
			`{"public_and_private":true,"public_reply":{"unit":"x","limit":280,"overflow":"private"},
			"private_reply":{"unit":"chars","limit":10000,"overflow":"split"},"moderation":"none","followers":true}`},
		{"mastodon instance with longer posts", care.Inbox{Channel: care.ChannelMastodon, Name: "Long posts", ExternalID: "@acme@127.0.0.1", Credentials: long},
			`{"public_and_private":true,"public_reply":{"unit":"mastodon","limit":1000,"overflow":"shorten"},
			"private_reply":{"unit":"mastodon","limit":1000,"overflow":"shorten"},"moderation":"none","followers":true}`},
		{"google reviews", care.Inbox{Channel: care.ChannelReviews, Name: "Shop", ExternalID: "accounts/1/locations/2", Credentials: closed},
			`{"public_and_private":false,"public_reply":{"unit":"bytes","limit":4096,"overflow":"shorten"},"moderation":"own_replies","followers":false}`},
		{"phone", care.Inbox{Channel: care.ChannelPhone, Name: "Line", ExternalID: "+14155550100"},
			`{"no_reply":"A phone call is answered by phone. Call the customer back: use the number's call link, and note what was said.",
			"public_and_private":false,"moderation":"none","followers":false}`},
		{"bluesky", care.Inbox{Channel: care.ChannelBluesky, Name: "Sky", ExternalID: "did:plc:acme", Credentials: closed},
			`{"public_and_private":true,"public_reply":{"unit":"graphemes","limit":300,"bytes":3000,"overflow":"private"},
			"private_reply":{"unit":"graphemes","limit":1000,"bytes":10000,"overflow":"split"},"moderation":"none","followers":true}`},
	}
	for i := range tests {
		tests[i].inbox.WorkspaceID = workspace1
		if err := ta.Store.CreateInbox(ctx, &tests[i].inbox); err != nil {
			t.Fatal(err)
		}
	}
	var list struct {
		Inboxes []struct {
			ID           care.ID         `json:"id"`
			Capabilities json.RawMessage `json:"capabilities"`
		} `json:"inboxes"`
	}
	ta.must(t, http.StatusOK, agent, "GET", "/api/v1/inboxes", "", &list)
	listed := map[care.ID]json.RawMessage{}
	for _, in := range list.Inboxes {
		listed[in.ID] = in.Capabilities
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want any
			if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			check := func(where string, raw json.RawMessage) {
				t.Helper()
				var got any
				if err := json.Unmarshal(raw, &got); err != nil {
					t.Fatalf("%s: capabilities %s: %v", where, raw, err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: capabilities (-want +got):\n%s", where, diff)
				}
			}
			check("GET /api/v1/inboxes", listed[tt.inbox.ID])
			var one struct {
				Channel      care.Channel    `json:"channel"`
				Capabilities json.RawMessage `json:"capabilities"`
			}
			ta.must(t, http.StatusOK, agent, "GET", fmt.Sprintf("/api/v1/inboxes/%d", tt.inbox.ID), "", &one)
			if one.Channel != tt.inbox.Channel {
				t.Errorf("GET /api/v1/inboxes/%d: channel %q, want %q", tt.inbox.ID, one.Channel, tt.inbox.Channel)
			}
			check("GET /api/v1/inboxes/{id}", one.Capabilities)
		})
	}
}
