package staffing_test

import (
	"fmt"
	"time"

	"github.com/parleyhq/parley/internal/staffing"
)

// The classic example: 100 calls in half an hour, 180 seconds each, to
// answer 80% within 20 seconds, with 30% of rostered time off the phones.
func ExampleQueue_Required() {
	q := staffing.Queue{AHT: 180 * time.Second, ServiceLevel: 0.8, Within: 20 * time.Second, Shrinkage: 0.3}
	m, err := q.Required(200)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.0f Erlangs: %d agents, %d rostered\n", m.Erlangs, m.Agents, m.Scheduled)
	fmt.Printf("P(wait) %.1f%%, %.1f%% within 20 s, ASA %.1fs, occupancy %.1f%%\n",
		100*m.PWait, 100*m.ServiceLevel, m.ASA.Seconds(), 100*m.Occupancy)
	// Output:
	// 10 Erlangs: 14 agents, 20 rostered
	// P(wait) 17.4%, 88.8% within 20 s, ASA 7.8s, occupancy 71.4%
}

// Public posts answered within four hours, five minutes each: staffed by
// workload at 85% occupancy rather than by Erlang C.
func ExampleSuggest() {
	q := staffing.Queue{AHT: 5 * time.Minute, ServiceLevel: 0.9, Within: 4 * time.Hour, MaxOccupancy: 0.85}
	q.Model = staffing.Suggest(q.AHT, q.Within, 1)
	m, err := q.Required(120)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %d agents at %.0f%% occupancy\n", q.Model, m.Agents, 100*m.Occupancy)
	// Output:
	// workload: 12 agents at 83% occupancy
}

// A week's plan from four weeks of history: 30 messages an hour on
// weekdays from 09:00 to 17:00 London time, 6 an hour otherwise.
func ExampleQueue_Plan() {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		fmt.Println(err)
		return
	}
	monday := time.Date(2026, 11, 23, 0, 0, 0, 0, london)
	past := staffing.History{Start: monday.AddDate(0, 0, -28), Counts: make([]int, 28*24)}
	for i := range past.Counts {
		at := past.Start.Add(time.Duration(i) * time.Hour).In(london)
		past.Counts[i] = 6
		if at.Weekday() != time.Saturday && at.Weekday() != time.Sunday && at.Hour() >= 9 && at.Hour() < 17 {
			past.Counts[i] = 30
		}
	}
	week, err := staffing.Forecast(past, london, staffing.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	q := staffing.Queue{Model: staffing.ModelConcurrent, Concurrency: 2, AHT: 8 * time.Minute, ServiceLevel: 0.8, Within: time.Minute, Shrinkage: 0.25}
	plan, err := q.Plan(week, monday)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, h := range plan[8:10] {
		fmt.Printf("%s: %.0f an hour, %d agents, %d rostered, %.0f%% within a minute\n",
			h.Start.Format("Mon 15:04"), h.Rate, h.Agents, h.Scheduled, 100*h.ServiceLevel)
	}
	// Output:
	// Mon 08:00: 6 an hour, 2 agents, 3 rostered, 99% within a minute
	// Mon 09:00: 30 an hour, 4 agents, 6 rostered, 91% within a minute
}
