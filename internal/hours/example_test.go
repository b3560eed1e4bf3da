package hours_test

import (
	"fmt"
	"time"

	"github.com/parleyhq/parley/internal/hours"
)

func ExampleCalendar_Add() {
	cal, err := hours.Parse([]byte(`{"time_zone": "Europe/London", "week": {
		"mon": [["08:00", "12:30"], ["13:30", "17:00"]], "fri": [["08:00", "12:30"], ["13:30", "17:00"]]}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	london := cal.Location()
	friday := time.Date(2026, 11, 27, 16, 0, 0, 0, london)
	due := cal.Add(friday, 2*time.Hour)
	fmt.Println(due.In(london).Format("Mon 2 Jan 15:04"))
	fmt.Println(cal.Between(friday, due))
	fmt.Println(cal.NextOpen(time.Date(2026, 11, 30, 12, 45, 0, 0, london)).In(london).Format("Mon 15:04"))
	// Output:
	// Mon 30 Nov 09:00
	// 2h0m0s
	// Mon 13:30
}
