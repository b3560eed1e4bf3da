package care

import "time"

// ArrivalFilter narrows Arrivals to one channel and/or one team (the
// conversations it owns or that were escalated to it); zero values mean
// all.
type ArrivalFilter struct {
	Channel Channel
	TeamID  ID
}

// HourCount is the customer work that arrived in one clock hour: what
// forecasting and staffing start from.
type HourCount struct {
	Hour          time.Time `json:"hour"`          // the hour's start, UTC
	Conversations int       `json:"conversations"` // conversations opened
	Messages      int       `json:"messages"`      // customer messages received; notes and replies are not counted
}
