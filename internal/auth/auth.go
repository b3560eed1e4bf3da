// Package auth holds Parley's credential primitives: password hashing and
// policy, API tokens, session ids and CSRF tokens, and the bounds on
// sign-in (HashGate, Throttle), which keep their state in memory. It stores
// nothing and speaks no HTTP; the storage and web packages build sign-in
// on top of it.
package auth
