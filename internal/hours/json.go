package hours

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Limits on a calendar's JSON, which arrives through the API.
const (
	MaxSize       = 64 << 10 // bytes of JSON
	MaxPeriods    = 48       // open periods in one day
	MaxExceptions = 1000     // holidays and special days together
)

// calendarJSON is the stored and exchanged form of a Calendar:
//
//	{"time_zone": "Europe/London",
//	 "week": {"mon": [["08:00", "12:30"], ["13:30", "17:00"]], …},
//	 "holidays": ["2026-12-25"],
//	 "special": {"2026-12-24": [["09:00", "13:00"]]}}
type calendarJSON struct {
	TimeZone string                `json:"time_zone"`
	Week     weekJSON              `json:"week"`
	Holidays []string              `json:"holidays,omitempty"`
	Special  map[string][][]string `json:"special,omitempty"`
}

type weekJSON struct {
	Mon [][]string `json:"mon,omitempty"`
	Tue [][]string `json:"tue,omitempty"`
	Wed [][]string `json:"wed,omitempty"`
	Thu [][]string `json:"thu,omitempty"`
	Fri [][]string `json:"fri,omitempty"`
	Sat [][]string `json:"sat,omitempty"`
	Sun [][]string `json:"sun,omitempty"`
}

// days returns the week's fields in time.Weekday order, with their names.
func (w *weekJSON) days() [7]*[][]string {
	return [7]*[][]string{&w.Sun, &w.Mon, &w.Tue, &w.Wed, &w.Thu, &w.Fri, &w.Sat}
}

var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// Parse reads a calendar from its JSON form (see the package
// documentation). Every period is ["HH:MM", "HH:MM"], from 00:00 to 24:00,
// and starts before it ends; periods of a day may touch, and are then
// joined, but not overlap. Dates are YYYY-MM-DD. The week must have at
// least one open period, or deadlines could never fall. Parse returns
// EINVALID, with a message that says what to correct, for anything else.
func Parse(data []byte) (*Calendar, error) {
	if len(data) > MaxSize {
		return nil, invalid("they are larger than %d KiB", MaxSize>>10)
	}
	var in calendarJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return nil, invalid("%s", jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, invalid("there is more after the JSON object")
	}

	c := &Calendar{limited: true}
	switch {
	case in.TimeZone == "":
		return nil, invalid("time_zone is missing")
	case in.TimeZone == "Local" || len(in.TimeZone) > 64:
		return nil, invalid("time_zone %q is not a known time zone", cut(in.TimeZone, 64))
	}
	loc, err := time.LoadLocation(in.TimeZone)
	if err != nil {
		return nil, invalid("time_zone %q is not a known time zone", cut(in.TimeZone, 64))
	}
	c.loc = loc

	for d, raw := range in.Week.days() {
		if c.week[d], err = parsePeriods(*raw); err != nil {
			return nil, invalid("%s: %v", dayNames[d], err)
		}
		for _, p := range c.week[d] {
			c.weekly += time.Duration(p.end-p.start) * time.Minute
		}
	}
	if c.weekly == 0 {
		return nil, invalid("the week has no open period")
	}

	if len(in.Holidays)+len(in.Special) > MaxExceptions {
		return nil, invalid("there are more than %d holidays and special days", MaxExceptions)
	}
	for _, s := range in.Holidays {
		day, err := parseDate(s)
		if err != nil {
			return nil, invalid("holidays: %v", err)
		}
		c.exceptions = append(c.exceptions, exception{day: day})
	}
	for _, s := range slices.Sorted(maps.Keys(in.Special)) {
		raw := in.Special[s]
		day, err := parseDate(s)
		if err != nil {
			return nil, invalid("special: %v", err)
		}
		ps, err := parsePeriods(raw)
		if err != nil {
			return nil, invalid("%s: %v", s, err)
		}
		if len(ps) == 0 {
			return nil, invalid("%s: a special day needs an open period; list a day closed all day under holidays", s)
		}
		c.exceptions = append(c.exceptions, exception{day: day, periods: ps})
	}
	slices.SortFunc(c.exceptions, func(a, b exception) int {
		switch {
		case a.day < b.day:
			return -1
		case a.day > b.day:
			return 1
		}
		// A holiday listed twice is harmless; one that is also a special
		// day is a contradiction, caught below.
		return len(a.periods) - len(b.periods)
	})
	c.exceptions = slices.CompactFunc(c.exceptions, func(a, b exception) bool {
		return a.day == b.day && a.periods == nil && b.periods == nil
	})
	for i := 1; i < len(c.exceptions); i++ {
		if c.exceptions[i].day == c.exceptions[i-1].day {
			return nil, invalid("%s is both a holiday and a special day", formatDate(c.exceptions[i].day))
		}
	}

	c.limited = len(c.exceptions) > 0
	for _, ps := range c.week {
		if len(ps) != 1 || ps[0] != (period{0, minutesPerDay}) {
			c.limited = true
		}
	}
	return c, nil
}

// parsePeriods reads one day's periods, sorted, with touching ones joined.
func parsePeriods(raw [][]string) ([]period, error) {
	if len(raw) > MaxPeriods {
		return nil, fmt.Errorf("more than %d periods", MaxPeriods)
	}
	ps := make([]period, 0, len(raw))
	for _, r := range raw {
		if len(r) != 2 {
			return nil, errors.New(`a period is ["HH:MM", "HH:MM"]`)
		}
		start, err := parseClock(r[0])
		if err != nil {
			return nil, err
		}
		end, err := parseClock(r[1])
		if err != nil {
			return nil, err
		}
		if start >= end {
			return nil, fmt.Errorf("%s–%s does not start before it ends (an overnight shift is two periods, one ending at 24:00)", formatClock(start), formatClock(end))
		}
		ps = append(ps, period{start, end})
	}
	slices.SortFunc(ps, func(a, b period) int { return int(a.start - b.start) })
	out := ps[:0]
	for _, p := range ps {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if p.start < last.end {
				return nil, fmt.Errorf("%s–%s overlaps %s–%s", formatClock(last.start), formatClock(last.end), formatClock(p.start), formatClock(p.end))
			}
			if p.start == last.end {
				last.end = p.end
				continue
			}
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// parseClock reads "HH:MM", 00:00 to 24:00, as minutes after midnight.
func parseClock(s string) (int32, error) {
	bad := fmt.Errorf("%q is not a time; write HH:MM, from 00:00 to 24:00", cut(s, 16))
	if len(s) != 5 || s[2] != ':' {
		return 0, bad
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, bad
		}
	}
	h := int32(s[0]-'0')*10 + int32(s[1]-'0')
	m := int32(s[3]-'0')*10 + int32(s[4]-'0')
	if h > 24 || m > 59 || h == 24 && m != 0 {
		return 0, bad
	}
	return h*60 + m, nil
}

func formatClock(m int32) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// parseDate reads a civil date, YYYY-MM-DD.
func parseDate(s string) (int64, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) {
		return 0, fmt.Errorf("%q is not a date; write YYYY-MM-DD", cut(s, 16))
	}
	return dayNumber(t.Date()), nil
}

func formatDate(day int64) string {
	y, m, d := civil(day)
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), d)
}

// MarshalJSON writes c in the form Parse reads, canonically: periods sorted
// and joined where they touch, holidays sorted. A zero or nil Calendar is
// written as AlwaysOpen.
func (c *Calendar) MarshalJSON() ([]byte, error) {
	if c == nil || (!c.limited && c.loc == nil) {
		c = AlwaysOpen()
	}
	out := calendarJSON{TimeZone: c.loc.String()}
	for d, field := range out.Week.days() {
		*field = formatPeriods(c.week[d])
	}
	for _, e := range c.exceptions {
		if e.periods == nil {
			out.Holidays = append(out.Holidays, formatDate(e.day))
			continue
		}
		if out.Special == nil {
			out.Special = make(map[string][][]string)
		}
		out.Special[formatDate(e.day)] = formatPeriods(e.periods)
	}
	return json.Marshal(out)
}

func formatPeriods(ps []period) [][]string {
	var out [][]string
	for _, p := range ps {
		out = append(out, []string{formatClock(p.start), formatClock(p.end)})
	}
	return out
}

// UnmarshalJSON reads c with Parse, and returns its errors.
// Like encoding/json itself, it leaves c alone on null.
func (c *Calendar) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	p, err := Parse(data)
	if err != nil {
		return err
	}
	*c = *p
	return nil
}

func invalid(format string, args ...any) error {
	return care.Errorf(care.EINVALID, "The business hours are not valid: %s.", fmt.Sprintf(format, args...))
}

// jsonProblem says what is wrong with the JSON without naming Go types.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "there is no JSON"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends too early"
	case errors.As(err, &syntax):
		return fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("%q must be %s, not %s", cut(typ.Field, 64), jsonType(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Sprintf("unknown field %s", cut(strings.TrimPrefix(err.Error(), "json: unknown field "), 66))
	}
	return "invalid JSON"
}

// jsonType names a Go kind as JSON does.
func jsonType(kind string) string {
	switch kind {
	case "slice", "array":
		return "a list"
	case "map", "struct":
		return "an object"
	case "string":
		return "a string"
	}
	return kind
}

// cut bounds text from outside before it goes into a message.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
