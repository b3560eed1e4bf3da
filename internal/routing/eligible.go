package routing

import (
	"slices"
	"strings"
)

// Eligible reports whether a may be given w now: a is online, has a free
// place for w.Kind, is on w's team when it has one (and w has one when a is
// a partner), speaks w's language when it is known and a lists languages,
// and handles w's channel and topic when a lists them. A nil agent or work
// is never eligible.
func Eligible(a *Agent, w *Work) bool {
	_, _, ok := check(a, w)
	return ok
}

// check is Eligible, also returning the load and capacity of w.Kind it read,
// so that choosing among eligible agents need not read them again. A
// negative load, which only a bug can produce, counts as 0 rather than as
// room to spare.
func check(a *Agent, w *Work) (load, capacity int, ok bool) {
	if a == nil || w == nil || a.Presence != Online {
		return 0, 0, false
	}
	load, capacity = max(a.Load[w.Kind], 0), a.Capacity[w.Kind]
	if load >= capacity {
		return 0, 0, false
	}
	// With the team rule, a partner is given only work of their teams:
	// anything else would put a conversation they may not see in their
	// hands.
	if w.TeamID == 0 && a.Partner || w.TeamID != 0 && !slices.Contains(a.Teams, w.TeamID) {
		return 0, 0, false
	}
	ok = handles(a.Languages, w.Language, sameLanguage) &&
		handles(a.Channels, w.Channel, strings.EqualFold) &&
		handles(a.Topics, w.Topic, strings.EqualFold)
	return load, capacity, ok
}

// free is how many more pieces of kind k a can take.
func free(a *Agent, k Kind) int {
	return a.Capacity[k] - max(a.Load[k], 0)
}

func handles(list []string, want string, same func(a, b string) bool) bool {
	if want == "" || len(list) == 0 {
		return true
	}
	for _, s := range list {
		if same(s, want) {
			return true
		}
	}
	return false
}

// sameLanguage reports whether two language tags name the same language:
// their primary subtags match, whatever the case, so an agent who lists "pt"
// answers "pt-BR" and one who lists "en-GB" answers "en".
func sameLanguage(a, b string) bool {
	return strings.EqualFold(primary(a), primary(b))
}

// primary is a tag's primary language subtag, before the first "-" or "_".
// A loop, because strings.IndexAny costs more than the rest of Eligible.
func primary(tag string) string {
	for i := 0; i < len(tag); i++ {
		if tag[i] == '-' || tag[i] == '_' {
			return tag[:i]
		}
	}
	return tag
}
