// Package storetest is the conformance suite every care.Store adapter runs.
//
// An adapter's own test calls Run with a function that opens a fresh, empty,
// migrated store. Every engine runs the same subtests under the same names,
// so a behaviour that holds on one engine and not on another shows up as one
// failing name.
//
// The suite holds adapters to the doc comments of care.Store and to these
// rules, which those comments leave open:
//   - Times come back in UTC, truncated to whole microseconds.
//   - A method acting on a record named by its arguments returns ENOTFOUND
//     when that record is missing; a record being written that refers to a
//     missing one is EINVALID.
//   - Lists come back oldest (lowest ID) first unless the method says
//     otherwise; a nil and an empty slice or map count as equal.
//   - Conversations: UpdatedAt starts at CreatedAt. Tags are normalised with
//     care.NormalizeTag, de-duplicated and sorted; a tag it rejects, or more
//     than care.MaxTagsPerItem, is EINVALID. A status other than snoozed
//     clears SnoozedUntil; snoozed without SnoozedUntil is EINVALID.
//   - Conversation lists: newest sorts by LastActivityAt then ID, both
//     descending, and is the default; priority by Priority then ID, both
//     descending; waiting by WaitingSince then ID, both ascending, with
//     conversations not waiting last. Min and max priority are inclusive;
//     Tag matches exactly. Cursors are keyset cursors: a conversation added
//     before the cursor does not shift later pages. Limit 0 means a page of
//     at most 100.
//   - Messages: every message counts in MessageCount. An inbound message
//     starts the wait at its SentAt unless one is running; an outbound public
//     or private message ends it; a note moves neither LastActivityAt nor the
//     wait. An empty PlatformID never conflicts and is never found.
//     SetDelivery with an empty platform id keeps the one already stored.
//   - Outbox: a lease hands out the longest-due entries first; RetryOutbox
//     counts an attempt and gives up the lease. ReleaseOutbox
//     ends a lease only while it still ends when LeaseOutbox said, and
//     counts no attempt.
//   - ResetRaw returns how many events it matched and clears their Error.
package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

// Run runs the suite against the stores open returns. Each subtest calls
// open for a store of its own; open registers the store's cleanup with
// t.Cleanup and fails t if the store cannot be opened.
func Run(t *testing.T, open func(t *testing.T) care.Store) {
	groups := []struct {
		name string
		run  func(*testing.T, opener)
	}{
		{"Workspaces", testWorkspaces},
		{"Users", testUsers},
		{"Members", testMembers},
		{"Teams", testTeams},
		{"Tokens", testTokens},
		{"Sessions", testSessions},
		{"UserSessions", testUserSessions},
		{"DeleteMember", testDeleteMember},
		{"Inboxes", testInboxes},
		{"Identities", testIdentities},
		{"Merges", testMerges},
		{"Conversations", testConversations},
		{"ConversationList", testConversationList},
		{"SnoozedDue", testSnoozedDue},
		{"Channels", testChannels},
		{"AttachIdentity", testAttachIdentity},
		{"Charges", testCharges},
		{"Search", testSearch},
		{"SearchInBatches", testSearchInBatches},
		{"Reactions", testReactions},
		{"Messages", testMessages},
		{"Outbox", testOutbox},
		{"RawEvents", testRawEvents},
		{"RawKeysSince", testRawKeysSince},
		{"RawReactionsTo", testRawReactionsTo},
		{"RecordSent", testRecordSent},
		{"ApplyStatusReports", testApplyStatusReports},
		{"Events", testEvents},
		{"Audit", testAudit},
		{"Update", testUpdate},
		{"Concurrency", testConcurrency},
		{"HostileText", testHostileText},
		{"References", testReferences},
		{"Routing", testRouting},
		{"SLAOutcomes", testSLAOutcomes},
		{"Surveys", testSurveys},
		{"Arrivals", testArrivals},
		{"ValueReport", testValueReport},
		{"Listen", testListen},
		{"Approvals", testApprovals},
		{"Hooks", testHooks},
		{"Leases", testLeases},
		{"FindIdentity", testFindIdentity},
		{"Notifications", testNotifications},
		{"RecentMessages", testRecentMessages},
		{"Files", testFiles},
		{"AppendEvents", testAppendEvents},
		{"CreateTriagedMessage", testCreateTriagedMessage},
		{"KnownPlatformIDs", testKnownPlatformIDs},
		{"MessageParts", testMessageParts},
		{"RecordSentLockOrder", testRecordSentLockOrder},
		{"MessageHidden", testMessageHidden},
		{"ContactFollowsName", testContactFollowsName},
		{"IdentitiesWithoutName", testIdentitiesWithoutName},
		{"Dialect", testDialect},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) { g.run(t, open) })
	}
}

type opener = func(t *testing.T) care.Store

// missingID names no record in any table of a fresh store.
const missingID care.ID = 1 << 40

// at returns a fixed instant plus d. It has a nanosecond part and a zone
// other than UTC, so that tests see stores truncate and normalise it.
func at(d time.Duration) time.Time {
	return time.Date(2025, time.June, 1, 12, 0, 0, 123456789, time.FixedZone("UTC+2", 2*60*60)).Add(d)
}

// micro is t as a store returns it: in UTC, truncated to microseconds.
func micro(t time.Time) time.Time { return t.Truncate(time.Microsecond).UTC() }

// microPtr is micro for an optional time.
func microPtr(t time.Time) *time.Time {
	m := micro(t)
	return &m
}

func ptr[T any](v T) *T { return &v }

// must stops the test when err is not nil.
func must(t *testing.T, err error, format string, args ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf(format+": %v", append(args, err)...)
	}
}

// wantCode checks that err carries the given care error code.
func wantCode(t *testing.T, err error, code string, format string, args ...any) {
	t.Helper()
	if got := care.ErrorCode(err); got != code {
		t.Errorf(format+" = error code %q (%v), want %q", append(args, got, err, code)...)
	}
}

// diff is cmp.Diff treating nil and empty slices and maps as equal. Times
// compare with time.Time.Equal, which cmp uses on its own.
func diff(want, got any) string {
	return cmp.Diff(want, got, cmp.FilterValues(bothEmpty, cmp.Comparer(func(_, _ any) bool { return true })))
}

func bothEmpty(x, y any) bool {
	vx, vy := reflect.ValueOf(x), reflect.ValueOf(y)
	if x == nil || y == nil || vx.Type() != vy.Type() {
		return false
	}
	k := vx.Kind()
	return (k == reflect.Slice || k == reflect.Map) && vx.Len() == 0 && vy.Len() == 0
}

// checkUTC reports times that are not in UTC.
func checkUTC(t *testing.T, what string, times ...time.Time) {
	t.Helper()
	for i, ts := range times {
		if ts.Location() != time.UTC {
			t.Errorf("%s[%d] = %v in %v, want UTC", what, i, ts, ts.Location())
		}
	}
}

// ids returns the IDs of conversations, in order.
func ids(cs []care.Conversation) []care.ID {
	out := make([]care.ID, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}
