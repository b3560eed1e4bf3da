package x

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// What X's webhooks deliver that is not a message still says
// something in the log: a revoke, which stops the inbox, as a warning; the
// events skipped on purpose at debug level.
func TestReceiveAAALogs(t *testing.T) {
	tests := []struct {
		file string
		want string
	}{
		{"aaa_user_event.json", `level=WARN msg="x: the account revoked the app's access; its inbox receives and sends nothing until it is connected again" user=63046977 app=13090192 at=2018-05-24T09:48:12+00:00`},
		{"aaa_favorite_events.json", `level=DEBUG msg="x: Account Activity events skipped: not messages" kinds=favorite_events`},
		{"aaa_follow_events.json", `level=DEBUG msg="x: Account Activity events skipped: not messages" kinds=follow_events`},
		{"aaa_direct_message_indicate_typing_events.json", `kinds=direct_message_indicate_typing_events`},
		{"aaa_replay_job_status.json", `kinds=replay_job_status`},
		{"aaa_tweet_create_events_retweet.json", `level=DEBUG msg="x: retweet skipped: it says nothing of its own"`},
		{"xaa_oauth_revoke.json", `level=WARN msg="x: the account revoked the app's access; its inbox receives and sends nothing until it is connected again" user=1111111111111111111 app=29820954 at=2026-07-23T21:44:05+00:00`},
		{"xaa_like_create.json", `level=DEBUG msg="x: X Activity event skipped: not a message" event=like.create`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var log bytes.Buffer
			a := quietAdapter()
			a.Logger = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug,
				ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
					if a.Key == slog.TimeKey {
						return slog.Attr{}
					}
					return a
				}}))
			body := readTestdata(t, tt.file)
			evs, err := a.Receive(signed(body), body, webhookInbox(), testNow)
			if err != nil || len(evs) != 0 {
				t.Fatalf("Receive = %d events, %v; want none", len(evs), err)
			}
			if !strings.Contains(log.String(), tt.want) {
				t.Errorf("log = %q, want it to contain %q", log.String(), tt.want)
			}
		})
	}
}
