package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// BenchmarkInbox measures the server time to render the inbox (a page of
// 50 with the three view counts) over many open conversations, after the
// first render has read each row's newest message.
//
//	go test ./internal/web -run '^$' -bench Inbox -benchtime 200x
func BenchmarkInbox(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			f := newFixture(b)
			seedMany(b, f, n)
			c := f.login()
			cookies := c.c.Jar.Cookies(mustURL(f.srv.URL))
			mux := http.NewServeMux()
			f.h.Routes(mux)
			render := func() time.Duration {
				req := httptest.NewRequest("GET", "/", nil)
				for _, ck := range cookies {
					req.AddCookie(ck)
				}
				w := httptest.NewRecorder()
				start := time.Now()
				mux.ServeHTTP(w, req)
				d := time.Since(start)
				if w.Code != http.StatusOK {
					b.Fatalf("GET / = %d", w.Code)
				}
				return d
			}
			render()
			times := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				times = append(times, render())
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
		})
	}
}

// seedMany stores n open conversations of distinct contacts, each with a
// customer message, in one transaction.
func seedMany(b *testing.B, f *fixture, n int) {
	b.Helper()
	ctx := context.Background()
	err := f.store.Update(ctx, func(q care.Queries) error {
		for i := range n {
			at := f.now.Add(-time.Duration(i) * time.Second)
			id, _, err := q.ResolveIdentity(ctx, f.ws.ID, care.ChannelAPI, care.Author{PlatformUserID: fmt.Sprint("c", i), DisplayName: fmt.Sprint("Customer ", i)}, at)
			if err != nil {
				return err
			}
			c := &care.Conversation{WorkspaceID: f.ws.ID, InboxID: f.inbox.ID, Channel: care.ChannelAPI, ContactID: id.ContactID, CreatedAt: at, LastActivityAt: at}
			if err := q.CreateConversation(ctx, c); err != nil {
				return err
			}
			m := &care.Message{WorkspaceID: f.ws.ID, ConversationID: c.ID, InboxID: f.inbox.ID, Direction: care.DirectionIn, Visibility: care.Private,
				ContactID: id.ContactID, Text: "Where is my order? It was due on Monday.", PlatformID: fmt.Sprint("m", i), Status: care.DeliveryReceived, CreatedAt: at, SentAt: at}
			if err := q.CreateMessage(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
