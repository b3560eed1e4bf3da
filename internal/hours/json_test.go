package hours_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/hours"
)

func TestParseInvalid(t *testing.T) {
	t.Parallel()
	const mon = `"week": {"mon": [["09:00", "17:00"]]}`
	for _, tt := range []struct {
		name, json string
		want       string // part of the EINVALID message
	}{
		{"empty", ``, "there is no JSON"},
		{"not JSON", `{"time_zone":`, "ends too early"},
		{"syntax", `{"time_zone" "UTC"}`, "invalid JSON at byte"},
		{"trailing", `{"time_zone": "UTC", ` + mon + `} {}`, "more after the JSON object"},
		{"null", `null`, "time_zone is missing"},
		{"no zone", `{` + mon + `}`, "time_zone is missing"},
		{"unknown zone", `{"time_zone": "Mars/Olympus_Mons", ` + mon + `}`, `"Mars/Olympus_Mons" is not a known time zone`},
		{"local zone", `{"time_zone": "Local", ` + mon + `}`, `"Local" is not a known time zone`},
		{"path as zone", `{"time_zone": "../../etc/passwd", ` + mon + `}`, "is not a known time zone"},
		{"long zone", `{"time_zone": "` + strings.Repeat("A", 200) + `", ` + mon + `}`, "is not a known time zone"},
		{"unknown day", `{"time_zone": "UTC", "week": {"monday": [["09:00", "17:00"]]}}`, `unknown field "monday"`},
		{"unknown field", `{"time_zone": "UTC", ` + mon + `, "lunch": true}`, `unknown field "lunch"`},
		{"wrong type", `{"time_zone": "UTC", "week": {"mon": "09:00-17:00"}}`, `"week.mon" must be a list, not string`},
		{"empty week", `{"time_zone": "UTC", "week": {}}`, "the week has no open period"},
		{"only special days", `{"time_zone": "UTC", "special": {"2026-12-24": [["09:00", "13:00"]]}}`, "the week has no open period"},
		{"one time", `{"time_zone": "UTC", "week": {"mon": [["09:00"]]}}`, `mon: a period is ["HH:MM", "HH:MM"]`},
		{"bad time", `{"time_zone": "UTC", "week": {"mon": [["9:00", "17:00"]]}}`, `mon: "9:00" is not a time`},
		{"minute 60", `{"time_zone": "UTC", "week": {"mon": [["09:60", "17:00"]]}}`, `"09:60" is not a time`},
		{"after 24:00", `{"time_zone": "UTC", "week": {"mon": [["09:00", "24:01"]]}}`, `"24:01" is not a time`},
		{"25:00", `{"time_zone": "UTC", "week": {"mon": [["09:00", "25:00"]]}}`, `"25:00" is not a time`},
		{"start after end", `{"time_zone": "UTC", "week": {"tue": [["22:00", "06:00"]]}}`, "tue: 22:00–06:00 does not start before it ends"},
		{"empty period", `{"time_zone": "UTC", "week": {"mon": [["09:00", "09:00"]]}}`, "09:00–09:00 does not start before it ends"},
		{"overlap", `{"time_zone": "UTC", "week": {"fri": [["13:00", "17:00"], ["08:00", "13:30"]]}}`, "fri: 08:00–13:30 overlaps 13:00–17:00"},
		{"too many periods", `{"time_zone": "UTC", "week": {"mon": [` + strings.Repeat(`["00:00", "00:01"],`, 49) + `["23:00", "24:00"]]}}`, "more than 48 periods"},
		{"bad holiday", `{"time_zone": "UTC", ` + mon + `, "holidays": ["2026-02-30"]}`, `holidays: "2026-02-30" is not a date`},
		{"holiday format", `{"time_zone": "UTC", ` + mon + `, "holidays": ["25/12/2026"]}`, `"25/12/2026" is not a date`},
		{"bad special date", `{"time_zone": "UTC", ` + mon + `, "special": {"2026-13-01": [["09:00", "13:00"]]}}`, `special: "2026-13-01" is not a date`},
		{"bad special period", `{"time_zone": "UTC", ` + mon + `, "special": {"2026-12-24": [["13:00", "09:00"]]}}`, "2026-12-24: 13:00–09:00 does not start"},
		{"empty special day", `{"time_zone": "UTC", ` + mon + `, "special": {"2026-12-24": []}}`, "list a day closed all day under holidays"},
		{"holiday and special", `{"time_zone": "UTC", ` + mon + `, "holidays": ["2026-12-24"], "special": {"2026-12-24": [["09:00", "13:00"]]}}`, "2026-12-24 is both a holiday and a special day"},
		{"too many holidays", `{"time_zone": "UTC", ` + mon + `, "holidays": [` + strings.Repeat(`"2026-01-01",`, 1000) + `"2026-01-02"]}`, "more than 1000 holidays"},
		{"too large", `{"time_zone": "UTC", ` + mon + `, "holidays": ["` + strings.Repeat(" ", 70000) + `"]}`, "larger than 64 KiB"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := hours.Parse([]byte(tt.json))
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want) {
				t.Fatalf("Parse = %v, %v; want EINVALID containing %q", c, err, tt.want)
			}
		})
	}
}

func TestMarshalJSON(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		cal  *hours.Calendar
		want string
	}{
		{"canonical", mustParse(t, `{"time_zone": "Europe/Paris",
			"week": {"mon": [["13:30", "17:00"], ["08:00", "12:30"]], "tue": [["08:00", "12:00"], ["12:00", "17:00"]]},
			"holidays": ["2026-12-25", "2026-01-01", "2026-12-25"], "special": {"2026-12-24": [["09:00", "13:00"]]}}`),
			`{"time_zone":"Europe/Paris","week":{"mon":[["08:00","12:30"],["13:30","17:00"]],"tue":[["08:00","17:00"]]},` +
				`"holidays":["2026-01-01","2026-12-25"],"special":{"2026-12-24":[["09:00","13:00"]]}}`},
		{"always open", hours.AlwaysOpen(),
			`{"time_zone":"UTC","week":{"mon":[["00:00","24:00"]],"tue":[["00:00","24:00"]],"wed":[["00:00","24:00"]],` +
				`"thu":[["00:00","24:00"]],"fri":[["00:00","24:00"]],"sat":[["00:00","24:00"]],"sun":[["00:00","24:00"]]}}`},
		{"zero", &hours.Calendar{},
			`{"time_zone":"UTC","week":{"mon":[["00:00","24:00"]],"tue":[["00:00","24:00"]],"wed":[["00:00","24:00"]],` +
				`"thu":[["00:00","24:00"]],"fri":[["00:00","24:00"]],"sat":[["00:00","24:00"]],"sun":[["00:00","24:00"]]}}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := json.Marshal(tt.cal)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Marshal (-want +got):\n%s", diff)
			}
			back, err := hours.Parse(got)
			if err != nil {
				t.Fatalf("Parse(Marshal) = %v", err)
			}
			again, _ := json.Marshal(back)
			if string(again) != string(got) {
				t.Errorf("Marshal(Parse(%s)) = %s", got, again)
			}
		})
	}
}

// A team's hours travel inside other JSON documents.
func TestUnmarshalJSON(t *testing.T) {
	t.Parallel()
	var team struct {
		Name  string          `json:"name"`
		Hours *hours.Calendar `json:"hours"`
	}
	if err := json.Unmarshal([]byte(`{"name": "Care", "hours": `+office+`}`), &team); err != nil {
		t.Fatal(err)
	}
	if at := wall(t, "Europe/London", "2026-11-23 12:00"); !team.Hours.Open(at) {
		t.Errorf("Open(%v) = false", at)
	}
	err := json.Unmarshal([]byte(`{"hours": {"time_zone": "Nowhere", "week": {"mon": [["09:00", "17:00"]]}}}`), &team)
	if care.ErrorCode(err) != care.EINVALID {
		t.Errorf("Unmarshal with an unknown zone = %v, want EINVALID", err)
	}
	team.Hours = nil
	if err := json.Unmarshal([]byte(`{"hours": null}`), &team); err != nil || team.Hours != nil {
		t.Errorf("Unmarshal null = %v, %v", team.Hours, err)
	}
	if got := team.Hours.Location(); got != time.UTC {
		t.Errorf("nil Location() = %v, want UTC", got)
	}
}
