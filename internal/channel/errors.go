package channel

import (
	"fmt"
	"runtime/debug"
	"strings"
	"time"
)

// SendError is a failed send, classified so the outbox knows whether to try
// again. Reason is shown to agents next to the message, so adapters keep it
// short and free of secrets; Err carries the full cause for the log.
type SendError struct {
	// Permanent is true when retrying the same request cannot succeed: the
	// recipient is gone, the content was refused, the credentials are wrong.
	Permanent bool
	// RetryAfter is the platform's requested wait before the next attempt,
	// 0 when it asked for none.
	RetryAfter time.Duration
	// Status is the HTTP status code the platform answered with, 0 when the
	// request got no answer.
	Status int
	Reason string
	Err    error
	// RateLimit is the platform's budget as its headers last reported it
	// (e.g. "0/300 left, resets 10:15:00Z"), for the inbox's health line.
	RateLimit string
	// Refused is true when the platform refused this one reply (its
	// messaging window closed, the comment it answers is gone, the person
	// blocks the account) while the account itself works: the reply fails,
	// and the inbox's health shows no error, which would send an admin to
	// reconnect an inbox that is fine.
	Refused bool
}

func (e *SendError) Error() string {
	var b strings.Builder
	if e.Permanent {
		b.WriteString("channel: permanent send failure")
	} else {
		b.WriteString("channel: temporary send failure")
	}
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after ")
		b.WriteString(e.RetryAfter.String())
		b.WriteString(")")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *SendError) Unwrap() error { return e.Err }

// Permanent returns a *SendError that must not be retried.
func Permanent(reason string, err error) error {
	return &SendError{Permanent: true, Reason: reason, Err: err}
}

// Guard calls into an adapter, which reads what a platform sent, with a
// panic (a fault some response meets) turned into a permanent *SendError:
// the reply, poll or stream fails, not the process, and trying the same
// call again would only panic again.
func Guard(call func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = Permanent("the channel adapter failed", fmt.Errorf("panic: %v\n%s", p, debug.Stack()))
		}
	}()
	return call()
}

// Temporary returns a *SendError worth retrying, not before retryAfter when it
// is positive.
func Temporary(reason string, retryAfter time.Duration, err error) error {
	return &SendError{RetryAfter: max(retryAfter, 0), Reason: reason, Err: err}
}
