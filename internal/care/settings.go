package care

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DecodeSettings decodes doc, a workspace setting, into v (a pointer to a
// struct) strictly: unknown fields, values of the wrong type and data after
// the object are refused. what names the settings in the messages ("SLA
// settings"). Errors are EINVALID and say what to change in the admin's
// terms: the field as a path into the document ("policies[0].warn_at"),
// the fields there are, the kind of value wanted; never a Go type or
// encoding/json's wording. null is as if {}.
//
// encoding/json reports an unknown field without saying where it is, and a
// wrong type with Go's names, so the document is first read as plain JSON
// and walked alongside v's type, which knows both.
func DecodeSettings(doc []byte, v any, what string) error {
	if len(bytes.TrimSpace(doc)) == 0 {
		return Errorf(EINVALID, "The %s are empty; send a JSON object ({...}).", what)
	}
	var plain any
	if err := decodeOne(doc, &plain, false); err != nil {
		return Errorf(EINVALID, "The %s %s.", what, describeDecodeError(err))
	}
	t := reflect.TypeOf(v).Elem()
	if plain != nil {
		if _, ok := plain.(map[string]any); !ok {
			return Errorf(EINVALID, "The %s must be a JSON object ({...}), not %s.", what, jsonKindOfValue(plain))
		}
	}
	if msg := walkSettings(plain, t, "", what); msg != "" {
		return &Error{Code: EINVALID, Message: msg}
	}
	if err := decodeOne(doc, v, true); err != nil {
		// What the walk cannot foresee: a type's own decoding.
		var e *Error
		if errors.As(err, &e) {
			return Errorf(EINVALID, "In the %s: %s", what, e.Message)
		}
		return Errorf(EINVALID, "The %s %s.", what, describeDecodeError(err))
	}
	return nil
}

// decodeOne decodes exactly one JSON value from doc.
func decodeOne(doc []byte, v any, strict bool) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if strict {
		dec.DisallowUnknownFields()
	} else {
		dec.UseNumber()
	}
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailing
	}
	return nil
}

var errTrailing = errors.New("data after the object")

// describeDecodeError completes "The SLA settings …" for what a decoder
// said, in words: every case the walk has not caught first.
func describeDecodeError(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, errTrailing):
		return "must be one JSON object with nothing after it"
	case errors.As(err, &syntax):
		return fmt.Sprintf("are not valid JSON (at byte %d)", syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "end too early: the JSON is cut short"
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Sprintf("have %q, which must be %s", typ.Field, JSONKind(typ.Type))
	}
	return "are not valid"
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// walkSettings checks the plain JSON value v against type t at path in the
// settings named what, and returns the first problem, "" for none. Keys are
// taken in order, so the same document always gets the same message.
func walkSettings(v any, t reflect.Type, path, what string) string {
	if v == nil {
		return "" // null leaves any field as it is
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return "" // the type decodes itself; decodeOne reports its errors
	}
	wrong := func(want string) string {
		return fmt.Sprintf("In the %s, %q must be %s, not %s.", what, path, want, jsonKindOfValue(v))
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return wrong("an object")
		}
		fields := settingFields(t)
		for _, key := range slices.Sorted(maps.Keys(obj)) {
			f, ok := fieldNamed(fields, key)
			if !ok {
				return unknownField(key, path, what, fields)
			}
			if msg := walkSettings(obj[key], f.typ, join(path, f.name), what); msg != "" {
				return msg
			}
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return wrong("an object")
		}
		for _, key := range slices.Sorted(maps.Keys(obj)) {
			if msg := walkSettings(obj[key], t.Elem(), join(path, key), what); msg != "" {
				return msg
			}
		}
	case reflect.Slice, reflect.Array:
		list, ok := v.([]any)
		if !ok {
			return wrong("an array")
		}
		for i, val := range list {
			if msg := walkSettings(val, t.Elem(), path+"["+strconv.Itoa(i)+"]", what); msg != "" {
				return msg
			}
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			return wrong("a string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return wrong("true or false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, ok := v.(json.Number)
		if !ok {
			return wrong("a whole number")
		}
		var err error
		if t.Kind() >= reflect.Uint {
			_, err = strconv.ParseUint(string(n), 10, t.Bits())
		} else {
			_, err = strconv.ParseInt(string(n), 10, t.Bits())
		}
		if errors.Is(err, strconv.ErrRange) {
			return fmt.Sprintf("In the %s, %q is %s, out of range.", what, path, n)
		} else if err != nil {
			return fmt.Sprintf("In the %s, %q must be a whole number, not %s.", what, path, n)
		}
	case reflect.Float32, reflect.Float64:
		n, ok := v.(json.Number)
		if !ok {
			return wrong("a number")
		}
		if _, err := strconv.ParseFloat(string(n), t.Bits()); err != nil {
			return fmt.Sprintf("In the %s, %q is %s, out of range.", what, path, n)
		}
	}
	return ""
}

// settingField is a field as JSON names it.
type settingField struct {
	name string
	typ  reflect.Type
}

// settingFields lists the fields encoding/json decodes into t, in order,
// with those of embedded structs in their place.
func settingFields(t reflect.Type) []settingField {
	var out []settingField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				out = append(out, settingFields(ft)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, settingField{name, f.Type})
	}
	return out
}

// fieldNamed finds key among fields as encoding/json does: the exact name
// first, else one that differs only in case.
func fieldNamed(fields []settingField, key string) (settingField, bool) {
	for _, f := range fields {
		if f.name == key {
			return f, true
		}
	}
	for _, f := range fields {
		if strings.EqualFold(f.name, key) {
			return f, true
		}
	}
	return settingField{}, false
}

// unknownField is the message for key, unknown at path of the settings
// named what: where it is and which fields there are.
func unknownField(key, path, what string, fields []settingField) string {
	where := "the " + what
	if path != "" {
		where = path + " of the " + what
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	msg := fmt.Sprintf("Unknown field %q in %s", key, where)
	switch len(names) {
	case 0:
		return msg + "; there are no fields there."
	case 1:
		return msg + "; the only field is " + names[0] + "."
	}
	return msg + "; the fields are " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + "."
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonKindOfValue names a plain JSON value's kind.
func jsonKindOfValue(v any) string {
	switch v := v.(type) {
	case string:
		return "a string"
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "null"
}

// JSONKind names what JSON value a Go type takes ("a string", "a whole
// number", "an object"…), for a person who knows JSON and not Parley's
// types: the settings', the API's and the API inbox's refusals use the
// same words.
func JSONKind(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[time.Time]() {
		return "an RFC 3339 time string"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "another type"
}
