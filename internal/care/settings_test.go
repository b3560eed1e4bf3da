package care_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

type (
	testInner struct {
		Min  *float64 `json:"min,omitempty"`
		Tags []string `json:"tags"`
	}
	testEmbedded struct {
		Note string `json:"note,omitempty"`
	}
	testSettings struct {
		testEmbedded
		Name     string             `json:"name"`
		On       bool               `json:"on"`
		Count    int8               `json:"count"`
		Users    []uint32           `json:"users"`
		Share    float64            `json:"share"`
		Inner    testInner          `json:"inner"`
		List     []testInner        `json:"list"`
		ByKey    map[string]int     `json:"by_key"`
		Raw      json.RawMessage    `json:"raw,omitempty"`
		Own      testOwn            `json:"own"`
		Skipped  string             `json:"-"`
		Untagged string             // named by its Go name, as encoding/json names it
		Any      any                `json:"any"`
		Fixed    [2]int             `json:"fixed"`
		PtrTo    *testInner         `json:"ptr"`
		Deep     map[string][]int64 `json:"deep"`
	}
	// testOwn decodes itself, and refuses anything but "ok".
	testOwn struct{}
)

func (*testOwn) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"ok"`, "null":
		return nil
	case `"care"`:
		return care.Errorf(care.EINVALID, "own must be ok.")
	}
	return errors.New("testOwn: nope")
}

func TestDecodeSettings(t *testing.T) {
	t.Parallel()
	fields := "note, name, on, count, users, share, inner, list, by_key, raw, own, Untagged, any, fixed, ptr and deep"
	for _, tt := range []struct {
		name, doc, want string // want "" for a valid document
	}{
		{"empty object", `{}`, ""},
		{"null is {}", `null`, ""},
		{"everything right", `{"note":"n","name":"x","on":true,"count":-3,"users":[1,2],"share":0.5,"inner":{"min":1,"tags":["a"]},
			"list":[{"tags":null}],"by_key":{"a":1},"raw":{"any":[1,"x"]},"own":"ok","Untagged":"u","any":[{}],"fixed":[1,2],
			"ptr":{"min":null},"deep":{"k":[1]}}`, ""},
		{"keys in another case, as encoding/json takes them", `{"NAME":"x","untagged":"u"}`, ""},
		{"blank", " \n", "The test settings are empty; send a JSON object ({...})."},
		{"a string", `"x"`, "The test settings must be a JSON object ({...}), not a string."},
		{"an array", `[1]`, "The test settings must be a JSON object ({...}), not an array."},
		{"a number", `12`, "The test settings must be a JSON object ({...}), not a number."},
		{"not JSON", `{"name":}`, "The test settings are not valid JSON (at byte 9)."},
		{"cut short", `{"name":"x"`, "The test settings end too early: the JSON is cut short."},
		{"data after", `{} {}`, "The test settings must be one JSON object with nothing after it."},
		{"unknown field", `{"bogus":1}`, `Unknown field "bogus" in the test settings; the fields are ` + fields + "."},
		{"a field json leaves out", `{"Skipped":"x"}`, `Unknown field "Skipped" in the test settings; the fields are ` + fields + "."},
		{"unknown nested field", `{"inner":{"max":1}}`, `Unknown field "max" in inner of the test settings; the fields are min and tags.`},
		{"unknown field in a list", `{"list":[{},{"tag":[]}]}`, `Unknown field "tag" in list[1] of the test settings; the fields are min and tags.`},
		{"the first problem in key order", `{"zz":1,"name":2,"aa":3}`, `Unknown field "aa" in the test settings; the fields are ` + fields + "."},
		{"string wanted", `{"name":1}`, `In the test settings, "name" must be a string, not a number.`},
		{"bool wanted", `{"on":"yes"}`, `In the test settings, "on" must be true or false, not a string.`},
		{"whole number wanted", `{"count":1.5}`, `In the test settings, "count" must be a whole number, not 1.5.`},
		{"whole number out of range", `{"count":300}`, `In the test settings, "count" is 300, out of range.`},
		{"unsigned wanted", `{"users":[1,-2]}`, `In the test settings, "users[1]" must be a whole number, not -2.`},
		{"number wanted", `{"share":false}`, `In the test settings, "share" must be a number, not false.`},
		{"number out of range", `{"share":1e999}`, `In the test settings, "share" is 1e999, out of range.`},
		{"object wanted", `{"inner":[]}`, `In the test settings, "inner" must be an object, not an array.`},
		{"array wanted", `{"list":{}}`, `In the test settings, "list" must be an array, not an object.`},
		{"nested type", `{"inner":{"min":"1"}}`, `In the test settings, "inner.min" must be a number, not a string.`},
		{"through a pointer", `{"ptr":{"tags":"a"}}`, `In the test settings, "ptr.tags" must be an array, not a string.`},
		{"map value", `{"by_key":{"a":"1"}}`, `In the test settings, "by_key.a" must be a whole number, not a string.`},
		{"deep", `{"deep":{"k":[1,true]}}`, `In the test settings, "deep.k[1]" must be a whole number, not true.`},
		{"array length", `{"fixed":[1,"2"]}`, `In the test settings, "fixed[1]" must be a whole number, not a string.`},
		{"a type's own error, in words", `{"own":"care"}`, "In the test settings: own must be ok."},
		{"a type's own error, not in words", `{"own":"no"}`, "The test settings are not valid."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s testSettings
			err := care.DecodeSettings([]byte(tt.doc), &s, "test settings")
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("DecodeSettings(%s) = %v, want no error", tt.doc, err)
			case tt.want != "" && (care.ErrorCode(err) != care.EINVALID || care.ErrorMessage(err) != tt.want):
				t.Errorf("DecodeSettings(%s) = %v,\nwant EINVALID %q", tt.doc, err, tt.want)
			}
			if err != nil {
				for _, leak := range []string{"json:", "Go value", "care.", "testSettings", "unmarshal"} {
					if strings.Contains(care.ErrorMessage(err), leak) {
						t.Errorf("message %q shows %q", care.ErrorMessage(err), leak)
					}
				}
			}
		})
	}
}

func TestDecodeSettingsDecodes(t *testing.T) {
	t.Parallel()
	var s testSettings
	doc := `{"note":"n","NAME":"x","count":-3,"inner":{"min":0.5,"tags":["a"]},"by_key":{"a":1},"raw":{"k":1}}`
	if err := care.DecodeSettings([]byte(doc), &s, "test settings"); err != nil {
		t.Fatal(err)
	}
	if s.Note != "n" || s.Name != "x" || s.Count != -3 || s.Inner.Min == nil || *s.Inner.Min != 0.5 || s.ByKey["a"] != 1 || string(s.Raw) != `{"k":1}` {
		t.Errorf("decoded %+v", s)
	}
}
