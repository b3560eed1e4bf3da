package automation

import "github.com/parleyhq/parley/internal/care"

// DryRun returns the conversations rule r would have fired for among past
// events, each once, in the order of their first match: what a rule editor
// shows before the rule is saved or enabled. r is validated as Validate
// does (so its ID may be zero) and evaluated alone, enabled or not, with
// the same deadlines and loop limits as Evaluate; events without a
// ConversationID are skipped. Returns EINVALID when r is invalid.
func DryRun(r Rule, past []Facts) ([]care.ID, error) {
	c, err := r.compileAlone()
	if err != nil {
		return nil, err
	}
	e := &Engine{}
	e.byTrigger[r.Trigger.index()] = []compiled{c}
	var ids []care.ID
	seen := map[care.ID]bool{}
	for i := range past {
		f := &past[i]
		if f.ConversationID == 0 || seen[f.ConversationID] {
			continue
		}
		if len(e.Evaluate(f)) > 0 {
			seen[f.ConversationID] = true
			ids = append(ids, f.ConversationID)
		}
	}
	return ids, nil
}
