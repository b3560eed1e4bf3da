package storetest

import (
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func testInboxes(t *testing.T, open opener) {
	t.Run("CreateAndGet", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		tests := []struct {
			name  string
			inbox care.Inbox
		}{
			{"WithCredentials", care.Inbox{
				WorkspaceID: ws.ID, Channel: care.ChannelFacebook, Name: "Acme Page", ExternalID: "1029384756",
				Credentials: map[string]string{
					"page_access_token": "EAAG-very-secret",
					"app_secret":        "s3cr3t \"quoted\" ünïcode 🔑",
					"empty":             "",
				},
			}},
			{"WithoutCredentials", care.Inbox{
				WorkspaceID: ws.ID, Channel: care.ChannelAPI, Name: "CRM", WebhookURL: "https://crm.example.com/parley",
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := tt.inbox
				in.CreatedAt = at(0)
				must(t, s.CreateInbox(ctx, &in), "CreateInbox")
				if in.ID == 0 {
					t.Fatal("CreateInbox did not assign an ID")
				}
				want := tt.inbox
				want.ID, want.CreatedAt = in.ID, micro(at(0))
				got, err := s.Inbox(ctx, in.ID)
				must(t, err, "Inbox(%d)", in.ID)
				if d := diff(&want, got); d != "" {
					t.Errorf("Inbox(%d) mismatch (-want +got):\n%s", in.ID, d)
				}
				checkUTC(t, "Inbox.CreatedAt", got.CreatedAt)
			})
		}
	})

	t.Run("List", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		var want []care.Inbox
		for _, in := range []*care.Inbox{
			{WorkspaceID: ws.ID, Channel: care.ChannelX, Name: "@acme", Credentials: map[string]string{"token": "x-token"}},
			{WorkspaceID: other.ID, Channel: care.ChannelX, Name: "@other", Credentials: map[string]string{"token": "other-token"}},
			{WorkspaceID: ws.ID, Channel: care.ChannelEmail, Name: "help@acme.example"},
		} {
			in.CreatedAt = at(0)
			must(t, s.CreateInbox(ctx, in), "CreateInbox(%s)", in.Name)
			if in.WorkspaceID == ws.ID {
				w := *in
				w.CreatedAt = micro(at(0))
				want = append(want, w)
			}
		}
		got, err := s.Inboxes(ctx, ws.ID)
		must(t, err, "Inboxes")
		if d := diff(want, got); d != "" {
			t.Errorf("Inboxes(%d) mismatch (-want +got):\n%s", ws.ID, d)
		}
	})

	t.Run("Update", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelX, Name: "@acme", ExternalID: "42",
			Credentials: map[string]string{"token": "old"}, CreatedAt: at(0)}
		must(t, s.CreateInbox(ctx, in), "CreateInbox")
		untouched := mustInbox(t, s, ws, care.ChannelSMS)

		steps := []struct {
			name string
			edit func(*care.Inbox)
		}{
			{"Fields", func(in *care.Inbox) {
				in.Name, in.ExternalID, in.WebhookURL = "@acme_help", "43", "https://hooks.example.com/x"
			}},
			{"RotateCredentials", func(in *care.Inbox) {
				in.Credentials = map[string]string{"token": "new", "refresh": "r"}
			}},
			{"DropCredentials", func(in *care.Inbox) { in.Credentials = nil }},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				cur, err := s.Inbox(ctx, in.ID)
				must(t, err, "Inbox")
				st.edit(cur)
				must(t, s.UpdateInbox(ctx, cur), "UpdateInbox")
				got, err := s.Inbox(ctx, in.ID)
				must(t, err, "Inbox")
				if d := diff(cur, got); d != "" {
					t.Errorf("Inbox() after UpdateInbox mismatch (-want +got):\n%s", d)
				}
			})
		}
		want := *untouched
		want.CreatedAt = micro(at(0))
		got, err := s.Inbox(ctx, untouched.ID)
		must(t, err, "Inbox(untouched)")
		if d := diff(&want, got); d != "" {
			t.Errorf("UpdateInbox changed another inbox (-want +got):\n%s", d)
		}
		wantCode(t, s.UpdateInbox(ctx, &care.Inbox{ID: missingID, WorkspaceID: ws.ID, Channel: care.ChannelX, Name: "x"}),
			care.ENOTFOUND, "UpdateInbox(missing)")
	})

	t.Run("NotFound", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		_, err := s.Inbox(ctx, missingID)
		wantCode(t, err, care.ENOTFOUND, "Inbox(missing)")
	})
}
