package bench

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/meta/metafake"
)

// The Facebook Page the webhook deliveries are for, and its Meta app's
// credentials. Nothing is ever sent to Meta: the run only receives.
const (
	benchPageID      = "108236510478293"
	benchAppSecret   = "5f3c0a9e8d7b6a4c2e1f0d9c8b7a6e5d"
	benchPageToken   = "EAAGbenchPageAccessTokenNeverSentAnywhere"
	benchVerifyToken = "parley-bench-verify-token"
)

// Texts in other languages and scripts, which Meta sends escaped as
// \uXXXX (as surrogate pairs beyond the Basic Multilingual Plane), so the
// signature covers the escaped bytes and the parser must unescape them.
var foreignTexts = []string{
	"Olá! Onde está a minha encomenda #%d? Já passaram duas semanas 📦",
	"Hola, ¿me pueden ayudar? El pedido #%d se cobró dos veces.",
	"Guten Tag, die Lieferung #%d ist beschädigt angekommen. Können Sie mir helfen?",
	"Bonjour, je n'ai toujours pas reçu le remboursement de la commande #%d 😕",
	"Merhaba, siparişim #%d ne zaman gelecek?",
	"Dzień dobry, czy mogę zmienić adres dostawy zamówienia #%d?",
	"Здравствуйте! Заказ #%d до сих пор не доставлен.",
	"مرحبا، لم يصلني طلبي رقم %d بعد",
	"नमस्ते, मेरा ऑर्डर #%d अभी तक नहीं आया है।",
	"注文番号%dの商品がまだ届いていません。確認をお願いします🙏",
	"您好，我的订单%d什么时候发货？",
	"안녕하세요, 주문 #%d 환불은 언제 되나요?",
	"Xin chào, đơn hàng #%d của tôi bị giao nhầm màu.",
	"Thank you so much, that fixed it! 🎉👍",
}

// deliveries are signed Messenger webhook bodies, ready to post.
type deliveries struct {
	bodies [][]byte
	sigs   []string // X-Hub-Signature-256 of each body
	mids   []string // the message each body carries
}

// genDeliveries returns n Messenger webhook deliveries as Meta posts them,
// built and signed by fake for the Page: each one customer message, from
// one of psids, so threading both opens conversations (a customer's first
// message) and joins them (every later one). A quarter of the messages that
// have a predecessor from the same customer answer it (reply_to); about a
// third are in other languages and scripts; one in twenty is a photo. The
// same rng state, fake sequence and now give the same deliveries.
func genDeliveries(fake *metafake.Fake, n int, psids []string, rng *rand.Rand, now time.Time) deliveries {
	d := deliveries{bodies: make([][]byte, n), sigs: make([]string, n), mids: make([]string, n)}
	last := make([]string, len(psids)) // each customer's previous mid
	for i := range n {
		k := rng.IntN(len(psids))
		m := metafake.Message{Account: benchPageID, From: psids[k], At: now.Add(-time.Duration(n-i) * time.Millisecond)}
		switch {
		case rng.IntN(20) == 0:
			// Meta sends a photo with no text, its URL on its CDN.
			m.ImageURL = fmt.Sprintf("https://scontent.xx.fbcdn.net/v/t1.15752-9/%d_%d_%d_n.jpg?_nc_cat=10&ccb=1-7&_nc_sid=fc17b8&oe=%X",
				400000000+rng.IntN(100000000), 100000000000000+rng.Int64N(900000000000000), 1000000000000000+rng.Int64N(9000000000000000),
				now.Unix())
		case rng.IntN(3) == 0:
			t := foreignTexts[rng.IntN(len(foreignTexts))]
			if strings.Contains(t, "%d") {
				t = fmt.Sprintf(t, 100000+rng.IntN(900000))
			}
			m.Text = t
		default:
			m.Text = messageText(rng)
		}
		if last[k] != "" && rng.IntN(4) == 0 {
			m.ReplyTo = last[k]
		}
		mid, delivery := fake.Message(m)
		body := delivery.Body()
		d.bodies[i], d.sigs[i], d.mids[i] = body, fake.Sign(body), mid
		last[k] = mid
	}
	return d
}

// genPSIDs returns n distinct page-scoped ids, 16-digit numbers like
// Messenger's.
func genPSIDs(n int, rng *rand.Rand) []string {
	seen := make(map[int64]bool, n)
	out := make([]string, 0, n)
	for len(out) < n {
		v := 1_000_000_000_000_000 + rng.Int64N(9_000_000_000_000_000)
		if !seen[v] {
			seen[v] = true
			out = append(out, strconv.FormatInt(v, 10))
		}
	}
	return out
}

// newBenchFake returns the fake Meta that builds and signs the deliveries,
// its clock stopped at now.
func newBenchFake(now time.Time) *metafake.Fake {
	fake := metafake.New(benchAppSecret)
	fake.Now = func() time.Time { return now }
	fake.AddPage(benchPageID, benchPageToken)
	return fake
}

// measureWebhooks creates a Facebook inbox for a Page and posts signed
// Messenger deliveries to its webhook, /webhooks/{inbox}, as Meta would:
// the server verifies each signature over the raw body, parses it, and
// answers 200 only after the group commit that stored its event. It times
// the acknowledgements, then how long until the pipeline has threaded every
// message, and checks each delivery's message was stored exactly once.
// The deliveries are built and signed before the clock starts, as Meta
// signs them on its own machines.
func (s *session) measureWebhooks(ctx context.Context) (*Ingest, error) {
	cfg := s.cfg
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x3e7b00c5))
	now := time.Now()
	fake := newBenchFake(now)
	// The warm-up comes from customers of its own, as with the API inbox,
	// so the measured run opens its conversations itself.
	measured := genDeliveries(fake, cfg.Messages, genPSIDs(cfg.Authors, rng), rng, now)
	warm := genDeliveries(fake, warmupCount(cfg.Messages), genPSIDs(cfg.Authors, rng), rng, now)

	inboxID, _, err := s.createInbox(ctx, inboxRequest{Channel: care.ChannelFacebook, Name: "Benchmark Page", ExternalID: benchPageID,
		Credentials: map[string]string{meta.CredAppSecret: benchAppSecret, meta.CredPageAccessToken: benchPageToken,
			meta.CredVerifyToken: benchVerifyToken}})
	if err != nil {
		return nil, err
	}
	url := fmt.Sprintf("%s/webhooks/%d", s.p.URL, inboxID)
	// Meta checks the callback URL before it subscribes the app.
	if err := fake.VerifySubscription(ctx, url, benchVerifyToken); err != nil {
		return nil, fmt.Errorf("bench: webhook subscription check: %w", err)
	}

	client := newClient(cfg.Concurrency)
	defer client.CloseIdleConnections()
	post := func(isMeasured bool) (load, error) {
		d := measured
		if !isMeasured {
			d = warm
		}
		return drive(ctx, client, len(d.bodies), cfg.Concurrency, http.StatusOK, func(ctx context.Context, i int) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(d.bodies[i]))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(meta.SignatureHeader, d.sigs[i])
			return req, nil
		})
	}
	// Profiled when it is the first measured phase.
	res, err := s.timeIngest(ctx, "webhook ingest", inboxID, len(measured.bodies), cfg.SkipIngest, post)
	if err != nil {
		return nil, err
	}
	if err := s.storedOnce(ctx, inboxID, measured.mids); err != nil {
		return nil, err
	}
	return res, nil
}

// storedOnce checks that each of the platform ids is the id of exactly one
// message of the inbox.
func (s *session) storedOnce(ctx context.Context, inboxID care.ID, ids []string) error {
	// The inbox id is a formatted integer, never outside input.
	rows, err := s.p.DB.QueryContext(ctx, fmt.Sprintf("SELECT platform_id, COUNT(*) FROM messages WHERE inbox_id = %d GROUP BY platform_id", inboxID))
	if err != nil {
		return fmt.Errorf("bench: read stored message ids: %w", err)
	}
	defer rows.Close()
	stored := make(map[string]int, len(ids))
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return fmt.Errorf("bench: read stored message ids: %w", err)
		}
		stored[id] = n
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("bench: read stored message ids: %w", err)
	}
	missing, twice := 0, 0
	for _, id := range ids {
		switch n := stored[id]; {
		case n == 0:
			missing++
		case n > 1:
			twice++
		}
	}
	if missing > 0 || twice > 0 {
		return fmt.Errorf("bench: of %d acknowledged events, %d have no message and %d more than one", len(ids), missing, twice)
	}
	return nil
}
