package channel

import "github.com/parleyhq/parley/internal/care"

// Pricer is implemented by adapters whose platform bills by use at prices
// it publishes (X): it turns an inbox's counts of billed calls into money
// for the inbox's health line.
type Pricer interface {
	// Spend prices counts (this month's billed messages by category, as
	// Result.Charge and Inbound.Charge name them) with the inbox's prices,
	// e.g. "≈ $0.42 at X's list prices"; "" when it has none for them.
	Spend(inbox care.Inbox, counts map[string]int) string
}

// Pricer returns ch's adapter if it prices what its platform bills.
func (r *Registry) Pricer(ch care.Channel) (Pricer, bool) { return as[Pricer](r, ch) }
