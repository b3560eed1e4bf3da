package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/web/webtest"
)

// BenchmarkLiveLatency measures how long a customer message takes to reach
// an agent's open inbox: from just before an outside system POSTs it to
// the API inbox until its text is in the page's DOM in headless Chromium.
// The page itself sends the POST (fetch, with the inbox's token) and a
// MutationObserver notes when a node with the message's text is added, so
// both times come from the page's clock and no polling delay is counted.
// Messages go one at a time, 100 ms apart, each from a new customer, over
// 1,000 open conversations. It skips when Chromium is absent.
//
// The probe is evaluated over the DevTools protocol, which the page's
// Content-Security-Policy does not stop (it would stop the same code as an
// inline script); its fetch still obeys connect-src 'self', which the API
// inbox on the same origin meets. A refused connection would show in the
// console, which the benchmark checks.
//
// Reported: p50-ms and p99-ms, the figure; ack-p50-ms, until the 202 (the
// message is stored); refetch-p50-ms, until the page starts fetching the
// new list (the event has arrived and the page's 40 ms debounce is over).
//
//	go test ./internal/web -run '^$' -bench LiveLatency -benchtime 100x
func BenchmarkLiveLatency(b *testing.B) {
	if _, err := os.Stat(chromium); err != nil {
		b.Skipf("browser benchmark skipped: %s not found (install Debian's chromium package)", chromium)
	}
	s := webtest.Start(b)
	s.CreateUser("sam@example.com", "Sam Rivera", password, care.RoleAgent)
	in := s.CreateInbox("Website", "")
	seedOpen(b, s, in.ID, 1_000)
	ctx, console := benchBrowser(b)

	run := func(actions ...chromedp.Action[chromedp.Void]) {
		b.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			b.Fatalf("browser: %v", err)
		}
	}
	// waitFor waits until expr is true, across page loads.
	waitFor := func(expr string) {
		b.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr,
				chromedp.WithPollingTimeout(time.Until(deadline)), chromedp.WithPollingInterval(10*time.Millisecond)))
			if err == nil {
				return
			}
			if time.Now().After(deadline) || ctx.Err() != nil {
				b.Fatalf("waited for %s: %v", expr, err)
			}
			time.Sleep(10 * time.Millisecond) // the page navigated while polling
		}
	}
	run(chromedp.Navigate(s.URL + "/"))
	waitFor(`document.body.dataset.page === 'login'`)
	run(
		chromedp.SendKeys(chromedp.ID("email"), "sam@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
	)
	waitFor(`document.body.dataset.page === 'inbox' && document.readyState === 'complete' && document.querySelectorAll('#list .row').length === 50`)
	waitFor(`document.body.dataset.live === 'on'`)
	run(chromedp.Evaluate[chromedp.Void](`window.__sameDocument = true`))

	url := fmt.Sprintf("/api/v1/inboxes/%d/messages", in.ID)
	i := 0
	post := func() [3]float64 {
		b.Helper()
		i++
		m := customer(fmt.Sprintf("live-%d", i), fmt.Sprintf("Customer %d", i), fmt.Sprintf("customer%d", i), 120,
			fmt.Sprintf("[probe %d] Hi! My order still shows as processing, can you check it?", i))
		body, err := json.Marshal(m)
		if err != nil {
			b.Fatal(err)
		}
		args, err := json.Marshal([]string{url, in.Token, string(body), fmt.Sprintf("[probe %d]", i)})
		if err != nil {
			b.Fatal(err)
		}
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[3]float64](livePost+"(..."+string(args)+")", chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatalf("message %d: %v", i, err)
		}
		return v
	}

	// Warm up: the first refreshes open connections and fill caches.
	for range 5 {
		post()
		time.Sleep(100 * time.Millisecond)
	}
	var dom, ack, refetch []float64
	for b.Loop() {
		v := post()
		ack, dom = append(ack, v[0]), append(dom, v[1])
		if v[2] >= 0 {
			refetch = append(refetch, v[2])
		}
		// Let the page settle, so each message is measured on its own.
		b.StopTimer()
		time.Sleep(100 * time.Millisecond)
		b.StartTimer()
	}

	if same, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__sameDocument === true`)); err != nil || !same {
		b.Fatalf("the page reloaded to show the new messages (%v)", err)
	}
	for _, m := range console() {
		if m.IsException() || strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Refused to") {
			b.Errorf("browser console: %s", m)
		}
	}
	b.ReportMetric(percentile(dom, 50), "p50-ms")
	b.ReportMetric(percentile(dom, 99), "p99-ms")
	b.ReportMetric(percentile(ack, 50), "ack-p50-ms")
	if len(refetch) > 0 {
		b.ReportMetric(percentile(refetch, 50), "refetch-p50-ms")
	}
}

// livePost is a page function: it POSTs body to the API inbox at url with
// the inbox's token and resolves, in milliseconds after the POST began, to
// when the 202 came back, when a node holding marker was added to the
// document, and when the page began fetching the new list (-1 if it did
// not). It fails after 10 s.
const livePost = `(async (url, token, body, marker) => {
	performance.clearResourceTimings();
	let observer;
	const shown = new Promise((resolve) => {
		const has = (n) => n && n.textContent && n.textContent.includes(marker);
		observer = new MutationObserver((records) => {
			const t = performance.now();
			for (const r of records) {
				if ((r.type === 'characterData' && has(r.target)) || [...r.addedNodes].some(has)) {
					resolve(t);
					return;
				}
			}
		});
		observer.observe(document.body, {childList: true, subtree: true, characterData: true});
	});
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(marker + ' did not appear within 10 s')), 10000);
	});
	try {
		const t0 = performance.now();
		const res = await fetch(url, {method: 'POST', credentials: 'omit', body: body,
			headers: {'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token}});
		const ack = performance.now() - t0;
		if (res.status !== 202) {
			throw new Error('POST ' + url + ' = ' + res.status + ' ' + await res.text());
		}
		const dom = (await Promise.race([shown, timeout])) - t0;
		const list = performance.getEntriesByType('resource').find((e) => e.name.includes('/list') && e.startTime >= t0);
		return [ack, dom, list ? list.startTime - t0 : -1];
	} finally {
		observer.disconnect();
		clearTimeout(timer);
	}
})`

// benchBrowser starts a headless Chromium as openTab does, for a benchmark.
// It returns the tab and a function that returns what the page wrote to its
// console.
func benchBrowser(b *testing.B) (context.Context, func() []chromedp.ConsoleMessage) {
	b.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(b.TempDir()),
		chromedp.WindowSize(int(desktop.width), int(desktop.height)),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(actx)
	b.Cleanup(cancelTab)
	if err := chromedp.Do(ctx); err != nil {
		b.Fatalf("start %s: %v", chromium, err)
	}
	var mu sync.Mutex
	var console []chromedp.ConsoleMessage
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			mu.Lock()
			console = append(console, m)
			mu.Unlock()
		}
	}()
	return ctx, func() []chromedp.ConsoleMessage {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(console)
	}
}

// percentile returns the p-th percentile of ms by nearest rank: of 100
// samples, p50 is the 50th smallest and p99 the 99th.
func percentile(ms []float64, p int) float64 {
	s := slices.Sorted(slices.Values(ms))
	return s[max(0, (len(s)*p+99)/100-1)]
}

// seedOpen stores n open conversations in the inbox, each with a customer
// message, an hour ago and older, in one transaction.
func seedOpen(b *testing.B, s *webtest.Server, inbox care.ID, n int) {
	b.Helper()
	ctx, now := context.Background(), time.Now().Add(-time.Hour)
	err := s.App.Store.Update(ctx, func(q care.Queries) error {
		for i := range n {
			at := now.Add(-time.Duration(i) * time.Second)
			id, _, err := q.ResolveIdentity(ctx, s.WorkspaceID, care.ChannelAPI, care.Author{PlatformUserID: fmt.Sprint("seed-", i), DisplayName: fmt.Sprint("Seeded ", i)}, at)
			if err != nil {
				return err
			}
			c := &care.Conversation{WorkspaceID: s.WorkspaceID, InboxID: inbox, Channel: care.ChannelAPI, ContactID: id.ContactID, CreatedAt: at, LastActivityAt: at}
			if err := q.CreateConversation(ctx, c); err != nil {
				return err
			}
			m := &care.Message{WorkspaceID: s.WorkspaceID, ConversationID: c.ID, InboxID: inbox, Direction: care.DirectionIn, Visibility: care.Private,
				ContactID: id.ContactID, Text: "Where is my order? It was due on Monday.", PlatformID: fmt.Sprint("seed-", i), Status: care.DeliveryReceived, CreatedAt: at, SentAt: at}
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
