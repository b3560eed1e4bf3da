package staffing

import (
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Hour is one hour of a plan: the forecast arrivals and what they need.
type Hour struct {
	Start time.Time `json:"start"`
	Rate  float64   `json:"rate"` // forecast arrivals per hour
	Metrics
}

// WeekStart returns Monday 00:00 on the wall clock of loc of the week in
// which t falls, where a plan of the coming week usually starts.
func WeekStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	monday := t.Day() - (int(t.Weekday())+6)%7
	return time.Date(t.Year(), t.Month(), monday, 0, 0, 0, 0, loc)
}

// Plan returns q's figures at the required agents for each hour of the
// week from from: from itself, then every hour of real time until the same
// wall-clock time seven days on in w.Loc, so 168 hours in most weeks, 167
// in a week with a spring clock change and 169 in one with an autumn one.
// Each hour takes the forecast rate of the hour of the week its start
// falls in on the wall clock, so the repeated hour is planned twice, the
// skipped one not at all, and the pattern stays on the local clock. Start
// from on a wall-clock hour, such as WeekStart of a day in that week.
func (q Queue) Plan(w *Week, from time.Time) ([]Hour, error) {
	if w == nil || w.Loc == nil {
		return nil, care.Errorf(care.EINVALID, "A forecast with its time zone is needed to plan a week.")
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	end := from.In(w.Loc).AddDate(0, 0, 7)
	plan := make([]Hour, 0, HoursPerWeek+1)
	// Quiet hours and flat patterns repeat rates; each is sized once.
	sized := make(map[float64]Metrics, HoursPerWeek)
	for t := from; t.Before(end); t = t.Add(time.Hour) {
		rate := w.Rate(t)
		m, ok := sized[rate]
		if !ok {
			var err error
			if m, err = q.Required(rate); err != nil {
				return nil, err
			}
			sized[rate] = m
		}
		plan = append(plan, Hour{Start: t, Rate: rate, Metrics: m})
	}
	return plan, nil
}
