package triage_test

import (
	"context"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/triage"
)

// posts are realistic 100–280 character customer posts in several
// languages, public and private.
var posts = []care.Inbound{
	{Channel: care.ChannelX, Visibility: care.Public, Engagement: 40, Author: care.Author{PlatformUserID: "1", Handle: "mara", Followers: 38_200},
		Text: "@acmeair flight AC123 cancelled AGAIN and no one at the desk can tell us anything. Third time this month!!! I want a refund, not a voucher 😡 #acmefail"},
	{Channel: care.ChannelFacebook, Visibility: care.Private, Author: care.Author{PlatformUserID: "2"},
		Text: "Hi, I ordered a blender two weeks ago and it never arrived. The tracking number doesn't work either. Could you check what happened? Order 55-1203"},
	{Channel: care.ChannelInstagram, Visibility: care.Public, Author: care.Author{PlatformUserID: "3", Followers: 900},
		Text: "Mi pedido llegó roto y nadie responde a mis correos desde hace una semana. Muy decepcionada con el servicio, la verdad. ¿Alguien me puede ayudar?"},
	{Channel: care.ChannelWhatsApp, Visibility: care.Private, Author: care.Author{PlatformUserID: "4"},
		Text: "Merci beaucoup pour votre aide hier, le technicien était super et tout fonctionne parfaitement maintenant. Très bon service !"},
	{Channel: care.ChannelX, Visibility: care.Public, Author: care.Author{PlatformUserID: "5", Followers: 120, Verified: true},
		Text: "Ich wurde diesen Monat zweimal belastet und die Hotline legt nach 40 Minuten Warteschleife einfach auf. Das ist wirklich eine Frechheit."},
}

// BenchmarkTriage is the enrichment of one message: language, sentiment,
// topics, reach and the priority with its reasons. It reads no storage:
// the workspace's rules are the defaults, cached as they are in production.
func BenchmarkTriage(b *testing.B) {
	tr := &triage.Triager{TTL: time.Hour}
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	waiting := now.Add(-10 * time.Minute)
	conv := &care.Conversation{WorkspaceID: 1, Status: care.StatusOpen, WaitingSince: &waiting}
	ctx := context.Background()
	for i := range posts {
		posts[i].SentAt = now.Add(-20 * time.Minute)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, _, err := tr.Triage(ctx, nil, conv, &posts[i%len(posts)], false, now); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
