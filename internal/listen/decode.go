package listen

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// decode reads a settings document token by token rather than with
// json.Unmarshal, so that every error can name its field, with indices
// ("subjects[1].terms[0]"), and so that arrays are counted as they are
// read: a document of a million terms stops at the first one too many.
// Keys are matched exactly, each at most once; null is as if absent.
func decode(doc []byte) (Settings, error) {
	var s Settings
	if len(doc) > MaxSettingsBytes {
		return s, care.Errorf(care.EINVALID, "The listening settings are %d bytes, more than %d.", len(doc), MaxSettingsBytes)
	}
	if len(bytes.TrimSpace(doc)) == 0 {
		return s, nil
	}
	d := &decoder{dec: json.NewDecoder(bytes.NewReader(doc))}
	d.dec.UseNumber()
	tok, err := d.token("settings")
	if err != nil {
		return s, err
	}
	switch tok {
	case nil:
	case json.Delim('{'):
		seen := false
		for d.dec.More() {
			key, err := d.key("settings")
			if err != nil {
				return s, err
			}
			if key != "subjects" {
				return s, care.Errorf(care.EINVALID, "%s: unknown field; the settings have only \"subjects\".", member("", key))
			}
			if seen {
				return s, care.Errorf(care.EINVALID, "subjects: the field is given twice.")
			}
			seen = true
			if s.Subjects, err = d.subjects(); err != nil {
				return s, err
			}
		}
		if _, err := d.token("settings"); err != nil { // the closing brace
			return s, err
		}
	default:
		return s, care.Errorf(care.EINVALID, "settings: want an object such as {\"subjects\": [...]}, not %s.", describe(tok))
	}
	if _, err := d.dec.Token(); err != io.EOF {
		return s, care.Errorf(care.EINVALID, "settings: there is more after the settings object; send one JSON object.")
	}
	return s, nil
}

type decoder struct {
	dec *json.Decoder
}

// token reads the next token of the value at field.
func (d *decoder) token(field string) (json.Token, error) {
	tok, err := d.dec.Token()
	if err == nil {
		return tok, nil
	}
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return nil, care.Errorf(care.EINVALID, "%s: the document ends before the value does.", field)
	case errors.As(err, &syntax):
		return nil, care.Errorf(care.EINVALID, "%s: not valid JSON at byte %d: %v.", field, syntax.Offset, err)
	}
	return nil, care.Errorf(care.EINVALID, "%s: not valid JSON: %v.", field, err)
}

// key reads an object's key, in the object at field.
func (d *decoder) key(field string) (string, error) {
	tok, err := d.token(field)
	if err != nil {
		return "", err
	}
	key, ok := tok.(string)
	if !ok {
		return "", care.Errorf(care.EINVALID, "%s: not valid JSON: want a key, not %s.", field, describe(tok))
	}
	return key, nil
}

func (d *decoder) subjects() ([]Subject, error) {
	tok, err := d.token("subjects")
	if err != nil || tok == nil {
		return nil, err
	}
	if tok != json.Delim('[') {
		return nil, care.Errorf(care.EINVALID, "subjects: want an array of subjects, not %s.", describe(tok))
	}
	var list []Subject
	for i := 0; d.dec.More(); i++ {
		if i == MaxSubjects {
			return nil, care.Errorf(care.EINVALID, "subjects: more than %d subjects; listen for fewer brands.", MaxSubjects)
		}
		s, err := d.subject(path("subjects", i))
		if err != nil {
			return nil, err
		}
		list = append(list, s)
	}
	_, err = d.token("subjects")
	return list, err
}

func (d *decoder) subject(at string) (Subject, error) {
	var s Subject
	tok, err := d.token(at)
	if err != nil {
		return s, err
	}
	if tok != json.Delim('{') {
		return s, care.Errorf(care.EINVALID, "%s: want a subject, an object with a name and terms, not %s.", at, describe(tok))
	}
	seen := map[string]bool{}
	for d.dec.More() {
		key, err := d.key(at)
		if err != nil {
			return s, err
		}
		field := member(at, key)
		if seen[key] {
			return s, care.Errorf(care.EINVALID, "%s: the field is given twice.", field)
		}
		seen[key] = true
		switch key {
		case "name":
			s.Name, err = d.string(field)
		case "own":
			s.Own, err = d.bool(field)
		case "terms":
			s.Terms, err = d.strings(field)
		case "exclude":
			s.Exclude, err = d.strings(field)
		default:
			return s, care.Errorf(care.EINVALID, "%s: unknown field; a subject has name, own, terms and exclude.", field)
		}
		if err != nil {
			return s, err
		}
	}
	_, err = d.token(at)
	return s, err
}

func (d *decoder) string(field string) (string, error) {
	tok, err := d.token(field)
	if err != nil || tok == nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", care.Errorf(care.EINVALID, "%s: want a string, not %s.", field, describe(tok))
	}
	return s, nil
}

func (d *decoder) bool(field string) (bool, error) {
	tok, err := d.token(field)
	if err != nil || tok == nil {
		return false, err
	}
	b, ok := tok.(bool)
	if !ok {
		return false, care.Errorf(care.EINVALID, "%s: want true or false, not %s.", field, describe(tok))
	}
	return b, nil
}

// strings reads an array of at most MaxTerms strings.
func (d *decoder) strings(field string) ([]string, error) {
	tok, err := d.token(field)
	if err != nil || tok == nil {
		return nil, err
	}
	if tok != json.Delim('[') {
		return nil, care.Errorf(care.EINVALID, "%s: want an array of strings, not %s.", field, describe(tok))
	}
	var list []string
	for i := 0; d.dec.More(); i++ {
		if i == MaxTerms {
			return nil, care.Errorf(care.EINVALID, "%s: more than %d; keep the %d that find the most.", field, MaxTerms, MaxTerms)
		}
		tok, err := d.token(path(field, i))
		if err != nil {
			return nil, err
		}
		s, ok := tok.(string)
		if !ok {
			return nil, care.Errorf(care.EINVALID, "%s: want a string, not %s.", path(field, i), describe(tok))
		}
		list = append(list, s)
	}
	_, err = d.token(field)
	return list, err
}

// describe names a token's type for a message.
func describe(tok json.Token) string {
	switch v := tok.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		if v == '[' {
			return "an array"
		}
		return fmt.Sprintf("%q", string(v))
	case string:
		return "a string"
	}
	return "a number"
}

// member names the member key of the object at field: field.key, or
// field["key"] when key is not a plain name, cut to 40 bytes.
func member(field, key string) string {
	plain := key != "" && len(key) <= 40
	for i := 0; i < len(key) && plain; i++ {
		plain = key[i] < 0x80 && (asciiClass[key[i]] == aWord || asciiClass[key[i]] == aUpper)
	}
	switch {
	case plain && field == "":
		return key
	case plain:
		return field + "." + key
	}
	if len(key) > 40 {
		key = strings.ToValidUTF8(key[:40], "") + "…"
	}
	return field + "[" + strconv.Quote(key) + "]"
}

// path returns field[i].
func path(field string, i int) string {
	return field + "[" + strconv.Itoa(i) + "]"
}
