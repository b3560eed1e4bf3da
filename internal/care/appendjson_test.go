package care_test

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/parleyhq/parley/internal/care"
)

type jsonAppender interface{ AppendJSON([]byte) []byte }

// appenders are the types that encode themselves; each is compared with
// json.Marshal of the same pointer.
var appenders = []struct {
	name string
	new  func() jsonAppender
}{
	{"Conversation", func() jsonAppender { return new(care.Conversation) }},
	{"Message", func() jsonAppender { return new(care.Message) }},
	{"Inbound", func() jsonAppender { return new(care.Inbound) }},
	{"Triage", func() jsonAppender { return new(care.Triage) }},
	{"PriorityInputs", func() jsonAppender { return new(care.PriorityInputs) }},
}

// checkSame fails unless v.AppendJSON writes what json.Marshal(v) does, or
// returns nil exactly where json.Marshal fails; it also checks that what
// is in the buffer already is kept.
func checkSame(t interface {
	Helper()
	Fatalf(string, ...any)
}, v jsonAppender) {
	t.Helper()
	want, err := json.Marshal(v)
	got := v.AppendJSON(nil)
	switch {
	case err != nil && got != nil:
		t.Fatalf("json.Marshal fails (%v) but AppendJSON wrote\n%s", err, got)
	case err != nil:
		return
	case !bytes.Equal(got, want):
		t.Fatalf("AppendJSON differs from json.Marshal\n got: %s\nwant: %s", got, want)
	}
	prefix := []byte(`{"x":`)
	if got := v.AppendJSON(prefix); !bytes.Equal(got, append(prefix, want...)) {
		t.Fatalf("AppendJSON after a prefix wrote\n%s\nwant\n%s%s", got, prefix, want)
	}
}

func TestAppendJSONMatchesMarshal(t *testing.T) {
	for _, tc := range appenders {
		t.Run(tc.name, func(t *testing.T) {
			rapid.Check(t, func(rt *rapid.T) {
				v := tc.new()
				drawValue(rt, reflect.ValueOf(v).Elem(), tc.name)
				checkSame(rt, v)
			})
		})
	}
}

// drawValue fills v, field by field, each filled or left zero at random.
// It follows the types by reflection, so a field added later is generated
// too.
func drawValue(t *rapid.T, v reflect.Value, path string) {
	if v.Type() == reflect.TypeFor[time.Time]() {
		v.Set(reflect.ValueOf(genTime.Draw(t, path)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(genString.Draw(t, path))
	case reflect.Int, reflect.Int64:
		v.SetInt(genInt.Draw(t, path))
	case reflect.Uint8:
		v.SetUint(uint64(rapid.Byte().Draw(t, path)))
	case reflect.Float64:
		v.SetFloat(genFloat.Draw(t, path))
	case reflect.Bool:
		v.SetBool(rapid.Bool().Draw(t, path))
	case reflect.Pointer:
		if rapid.Bool().Draw(t, path+" set") {
			p := reflect.New(v.Type().Elem())
			drawValue(t, p.Elem(), path)
			v.Set(p)
		}
	case reflect.Slice:
		// -1 is nil, 0 empty: encoding/json tells them apart
		n := rapid.IntRange(-1, 3).Draw(t, path+" len")
		if n < 0 {
			return
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			drawValue(t, s.Index(i), path+"[]")
		}
		v.Set(s)
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if f.IsExported() && rapid.Bool().Draw(t, path+"."+f.Name+" set") {
				drawValue(t, v.Field(i), path+"."+f.Name)
			}
		}
	default:
		t.Fatalf("%s: no generator for %s", path, v.Type())
	}
}

var (
	// genString draws from every rune, the bytes encoding/json escapes or
	// replaces, and invalid UTF-8.
	genString = rapid.Custom(func(t *rapid.T) string {
		parts := rapid.SliceOfN(rapid.OneOf(
			rapid.StringN(0, 8, -1),
			rapid.Map(rapid.Int32Range(0, 0x10ffff), func(r int32) string { return string(rune(r)) }),
			rapid.Map(rapid.ByteRange(0, 0x7f), func(b byte) string { return string([]byte{b}) }),
			rapid.Map(rapid.ByteRange(0x80, 0xff), func(b byte) string { return string([]byte{b}) }),
			rapid.SampledFrom([]string{
				"<", ">", "&", `"`, `\`, "\u2028", "\u2029", "\ufffd", "\x7f", "\x00", "\b", "\f", "\n", "\r", "\t",
				"\xed\xa0\x80", "\xe2\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "é", "日本", "🙂", "</script>",
			}),
		), 0, 6).Draw(t, "parts")
		return strings.Join(parts, "")
	})
	genInt = rapid.OneOf(
		rapid.Int64(),
		rapid.SampledFrom([]int64{0, 1, -1, math.MaxInt64, math.MinInt64}),
	)
	// genFloat covers both sides of the thresholds where encoding/json
	// switches to exponents, and the values it refuses.
	genFloat = rapid.OneOf(
		rapid.Float64(),
		rapid.Float64Range(-1, 1),
		rapid.SampledFrom([]float64{
			0, math.Copysign(0, -1), 1, -1, 0.5, 1e-6, math.Nextafter(1e-6, 0), -1e-6, 1e-7, 1e21,
			math.Nextafter(1e21, 0), -1e21, 1e20, 123456789e12, 1e-300, 5e-324, math.MaxFloat64, -math.MaxFloat64,
			math.NaN(), math.Inf(1), math.Inf(-1),
		}),
	)
	genZone = rapid.OneOf(
		rapid.Just(time.UTC),
		rapid.Just(time.Local),
		rapid.Map(rapid.IntRange(-30*3600, 30*3600), func(s int) *time.Location { return time.FixedZone("", s) }),
		rapid.Map(rapid.IntRange(-14, 14), func(h int) *time.Location { return time.FixedZone("Z", h*3600+1800) }),
		rapid.Custom(func(t *rapid.T) *time.Location {
			name := rapid.SampledFrom([]string{"America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Europe/Dublin"}).Draw(t, "zone")
			loc, err := time.LoadLocation(name)
			if err != nil {
				return time.FixedZone(name, -5*3600)
			}
			return loc
		}),
	)
	// genTime draws the zero time, times around now, and years out of
	// RFC 3339's range, with or without fractions of a second, in zones
	// with odd offsets too.
	genTime = rapid.Custom(func(t *rapid.T) time.Time {
		var tm time.Time
		switch rapid.IntRange(0, 3).Draw(t, "time kind") {
		case 0:
			return time.Time{}
		case 1:
			tm = time.Unix(rapid.Int64Range(0, 4e9).Draw(t, "sec"), 0)
		case 2:
			tm = time.Date(rapid.IntRange(-3000, 12000).Draw(t, "year"), time.Month(rapid.IntRange(1, 12).Draw(t, "month")),
				rapid.IntRange(1, 31).Draw(t, "day"), rapid.IntRange(0, 23).Draw(t, "hour"), rapid.IntRange(0, 59).Draw(t, "min"),
				rapid.IntRange(0, 59).Draw(t, "s"), 0, time.UTC)
		case 3:
			tm = time.Date(rapid.SampledFrom([]int{-1, 0, 1, 9999, 10000}).Draw(t, "edge year"), time.January, 1, 0, 0, 0, 0, time.UTC)
		}
		nsec := rapid.OneOf(
			rapid.Just(0),
			rapid.IntRange(0, 999999999),
			rapid.Map(rapid.IntRange(0, 999), func(ms int) int { return ms * 1e6 }),
		).Draw(t, "nsec")
		return tm.Add(time.Duration(nsec)).In(genZone.Draw(t, "zone"))
	})
)

// TestAppendJSONKnowsEveryField sets one field at a time, nested fields all
// set, and compares with json.Marshal: a field added to one of these types
// and not to its appender fails here, naming the field, before a client
// sees a snapshot without it.
func TestAppendJSONKnowsEveryField(t *testing.T) {
	for _, tc := range appenders {
		typ := reflect.TypeOf(tc.new()).Elem()
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			t.Run(tc.name+"."+f.Name, func(t *testing.T) {
				v := tc.new()
				fill(t, reflect.ValueOf(v).Elem().Field(i), f.Name)
				checkSame(t, v)
			})
		}
		t.Run(tc.name+".all", func(t *testing.T) {
			v := tc.new()
			fill(t, reflect.ValueOf(v).Elem(), tc.name)
			checkSame(t, v)
		})
	}
}

// fill sets v and everything in it to a value that is not zero, so
// omitempty keeps it.
func fill(t *testing.T, v reflect.Value, path string) {
	if v.Type() == reflect.TypeFor[time.Time]() {
		v.Set(reflect.ValueOf(time.Date(2024, 2, 29, 13, 4, 5, 600700800, time.FixedZone("", 5*3600+1800))))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x<" + path + ">")
	case reflect.Int, reflect.Int64:
		v.SetInt(42)
	case reflect.Uint8:
		v.SetUint(7)
	case reflect.Float64:
		v.SetFloat(0.25)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(t, p.Elem(), path)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, s.Index(i), path+"[]")
		}
		v.Set(s)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		}
	default:
		t.Fatalf("%s: cannot fill a %s", path, v.Type())
	}
}

func TestAppendJSONEdges(t *testing.T) {
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	early := time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC)
	zone := time.Date(2024, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600))
	for _, tc := range []struct {
		name string
		v    jsonAppender
		want string // "" when json.Marshal fails
	}{
		{"nil conversation", (*care.Conversation)(nil), "null"},
		{"nil message", (*care.Message)(nil), "null"},
		{"nil inbound", (*care.Inbound)(nil), "null"},
		{"nil triage", (*care.Triage)(nil), "null"},
		{"nil priority inputs", (*care.PriorityInputs)(nil), "null"},
		{"zero triage", &care.Triage{}, `{"sentiment":0}`},
		{"zero priority inputs", &care.PriorityInputs{}, `{}`},
		{"NaN triage", &care.Triage{Intensity: math.NaN()}, ""},
		{"infinite boost", &care.PriorityInputs{Boost: math.Inf(1)}, ""},
		{"NaN priority", &care.Conversation{Priority: math.NaN()}, ""},
		{"infinite reach", &care.Conversation{PriorityInputs: care.PriorityInputs{Reach: math.Inf(-1)}}, ""},
		{"NaN sentiment", &care.Message{Triage: &care.Triage{Sentiment: math.NaN()}}, ""},
		{"year 10000", &care.Message{SentAt: far}, ""},
		{"year -1", &care.Conversation{WaitingSince: &early}, ""},
		{"zone offset 24h", &care.Inbound{SentAt: zone}, ""},
		{"account created year 10000", &care.Inbound{Author: care.Author{AccountCreated: &far}}, ""},
		{"negative zero and exponents", &care.Message{Triage: &care.Triage{Sentiment: math.Copysign(0, -1), Intensity: 1e-7, Reach: 1e21}}, "-"},
		{"empty and nil slices", &care.Conversation{Tags: []string{}, Topics: nil, PriorityReasons: []string{""}}, "-"},
		{"escapes", &care.Message{Text: "<a href=\"x\">&\u2028\u2029\x00\x1f\x7f\xff\xc3</a>\t"}, "-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.v.AppendJSON(nil)
			if tc.want == "" {
				if got != nil {
					t.Fatalf("AppendJSON wrote %s for a value json.Marshal refuses", got)
				}
				if _, err := json.Marshal(tc.v); err == nil {
					t.Fatal("json.Marshal accepts the value")
				}
				return
			}
			if tc.want != "-" && string(got) != tc.want {
				t.Fatalf("AppendJSON wrote %s, want %s", got, tc.want)
			}
			checkSame(t, tc.v)
		})
	}
}

// BenchmarkAppendJSON compares with json.Marshal on the snapshots ingest
// stores for a typical inbound message.
func BenchmarkAppendJSON(b *testing.B) {
	now := time.Date(2026, 3, 1, 9, 30, 12, 345678000, time.UTC)
	c := &care.Conversation{ID: 1234, WorkspaceID: 1, InboxID: 7, Channel: care.ChannelX, ContactID: 99, Status: care.StatusOpen,
		Tags: []string{}, Priority: 41.5, PriorityReasons: []string{"negative", "38k followers"}, Kind: care.WorkSocial,
		PriorityInputs: care.PriorityInputs{Need: 0.6, NeedReason: "negative", Reach: 0.31}, Language: "en", Mood: care.MoodNegative,
		Topics: []string{"delivery"}, WaitingSince: &now, LastActivityAt: now, MessageCount: 3, CreatedAt: now, UpdatedAt: now}
	m := &care.Message{ID: 5678, WorkspaceID: 1, ConversationID: 1234, InboxID: 7, Direction: care.DirectionIn, Visibility: care.Public, ContactID: 99,
		Text: "@brand my order #4471 still hasn't arrived & nobody answers <sigh>", Attachments: []care.Attachment{},
		PlatformID: "1790000000000000001", Status: care.DeliveryReceived, CreatedAt: now, SentAt: now,
		Triage: &care.Triage{Language: "en", Sentiment: -0.62, Mood: care.MoodNegative, Intensity: 0.4, Topics: []string{"delivery"}}}
	for _, v := range []jsonAppender{c, m} {
		name := reflect.TypeOf(v).Elem().Name()
		b.Run(name+"/AppendJSON", func(b *testing.B) {
			for b.Loop() {
				v.AppendJSON(nil)
			}
		})
		b.Run(name+"/Marshal", func(b *testing.B) {
			for b.Loop() {
				if _, err := json.Marshal(v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestEncodeJSON(t *testing.T) {
	in := &care.PriorityInputs{Need: 0.8, NeedReason: "refund <now>"}
	want, _ := json.Marshal(in)
	if got, err := care.EncodeJSON(in); err != nil || string(got) != string(want) {
		t.Errorf("EncodeJSON = %s, %v; want %s", got, err, want)
	}
	// What json.Marshal refuses, EncodeJSON refuses with its error.
	_, wantErr := json.Marshal(&care.PriorityInputs{Need: math.NaN()})
	if _, err := care.EncodeJSON(&care.PriorityInputs{Need: math.NaN()}); err == nil || wantErr == nil || err.Error() != wantErr.Error() {
		t.Errorf("EncodeJSON(NaN) error = %v, want json.Marshal's %v", err, wantErr)
	}
}
