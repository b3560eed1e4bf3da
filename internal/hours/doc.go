// Package hours is business-hours arithmetic: when a team is open, and how
// much business time lies between two instants or when a given amount of it
// will have elapsed. It is pure code, with no storage and no clock of its
// own; the SLA clocks of package sla measure their targets with it.
//
// # Calendars
//
// A Calendar holds open periods per weekday on the wall clock of one time
// zone, several a day for split shifts and lunch breaks; holidays, closed
// all day; and special days that replace their weekday's periods (a short
// Christmas Eve). A period may end at 24:00, and an overnight shift is two
// periods, one ending at 24:00 and one starting at 00:00 the next day.
// Teams store it as JSON, which Parse reads and MarshalJSON writes:
//
//	{"time_zone": "Europe/London",
//	 "week": {"mon": [["08:00", "12:30"], ["13:30", "17:00"]],
//	          "tue": [["08:00", "17:00"]], …},
//	 "holidays": ["2026-12-25", "2026-12-28"],
//	 "special": {"2026-12-24": [["09:00", "13:00"]]}}
//
// A team with no hours uses AlwaysOpen, under which business time is real
// time; a nil *Calendar behaves the same, so callers need no special case.
// Parse refuses a week without an open period: a deadline on such a
// calendar could never fall, and Add could not end.
//
// # Business time
//
// Business time is real elapsed time inside open periods. Between(a, b) is
// the business time in [a, b); Add(t, d) is the earliest instant u with
// Between(t, u) == d, so the two are inverses, and when d runs out exactly at
// a closing time, Add returns the closing time rather than the next opening.
// Add skips whole weeks without exceptions or clock changes arithmetically,
// so its cost depends on the clock changes and exceptions crossed, not on d.
//
// # Clock changes
//
// Periods follow the wall clock, and a period opens the first time the wall
// clock reaches its start and closes the first time it reaches its end.
// Because real time is what is counted:
//
//   - When the clocks go forward, the skipped wall times do not exist. A
//     00:00–24:00 period lasts 23 hours. A period starting inside the gap
//     opens at the change: 01:00–03:00 in Europe/London on 29 March 2026
//     opens at 02:00 BST, when the clocks jump from 01:00 GMT, and lasts one
//     hour; in America/New_York on 8 March 2026, where the gap is 02:00–03:00,
//     the same period runs from 01:00 EST to 03:00 EDT, also one hour. A period
//     wholly inside the gap is closed that day.
//   - When the clocks go back, the repeated hour is real time too. A
//     00:00–24:00 period lasts 25 hours, and 01:00–03:00 in Europe/London on
//     25 October 2026 lasts three: from 01:00 BST through both passes of 01:00–
//     02:00 to 03:00 GMT. A period that starts or ends inside the repeated
//     hour does so on its first pass, so 00:00–01:30 closes at 01:30 BST and
//     01:30–02:30 opens at 01:30 BST; a period wholly inside it is open on
//     the first pass only.
//
// Days are split the same way, at the first instant the wall clock reads
// midnight, so the periods of consecutive days never overlap.
package hours
