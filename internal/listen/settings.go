package listen

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// SettingName is the workspace setting holding Settings (GET/PUT
// /api/v1/settings/listening).
const SettingName = "listening"

// Bounds of Settings. Each term is a search on every platform listened to,
// run again and again, and platforms cap a query's length and a client's
// searches: ten subjects of twenty terms is what a brand, its sub-brands
// and its main competitors need.
const (
	MaxSubjects  = 10
	MaxTerms     = 20 // per subject, for terms and for excludes each
	MaxTermBytes = 100
	MaxNameBytes = 60
	// MaxSettingsBytes bounds the document ParseSettings reads: far more
	// than the largest valid one, written with every character escaped.
	MaxSettingsBytes = 1 << 20
)

// Settings are a workspace's listening: the brands it listens for.
type Settings struct {
	Subjects []Subject `json:"subjects"`
}

// A Subject is a brand listened for: the workspace's own (Own), or a
// competitor, against whom share of voice is measured.
type Subject struct {
	// Name is shown in reports and stored with each post found: 1 to
	// MaxNameBytes bytes, unique in the settings regardless of case.
	Name string `json:"name"`
	// Own marks the workspace's own brand. Any number of subjects may be
	// own, for a group of brands.
	Own bool `json:"own,omitempty"`
	// Terms find posts about the subject: words, phrases, #hashtags and
	// @handles, normalised (see ParseSettings). At least one.
	Terms []string `json:"terms"`
	// Exclude drops a post that has any of them, however many terms it
	// has: "acme" with "acme anvils" excluded, for a brand that shares its
	// name with a cartoon prop.
	Exclude []string `json:"exclude,omitempty"`
}

// Query is what a platform is asked for this subject: its normalised terms
// and excludes. Terms that are not valid are left out, so that a subject
// built by hand never sends a platform what it cannot search for.
func (s Subject) Query() care.ListenQuery {
	terms, _ := normalizeAll(s.Terms)
	exclude, _ := normalizeAll(s.Exclude)
	return care.ListenQuery{Terms: terms, Exclude: exclude}
}

// ParseSettings decodes and validates a settings document. It is strict, so
// that a typo does not silently listen for nothing: unknown fields, wrong
// types and trailing data are EINVALID, with a message that names the field
// (`subjects[1].terms[0]: ...`). An empty document, null or {} is valid: no
// subjects, listening off.
//
// Terms and excludes are normalised: trimmed, lower-cased, runs of white
// space collapsed to one space, duplicates dropped. A term is a word or a
// phrase of words, or a single #hashtag or @handle (@name, or
// @name@domain on Mastodon). Terms with no letter or digit, longer than
// MaxTermBytes, with control characters or not UTF-8 are refused, and so
// are terms that hold a link, since Match never reads links.
func ParseSettings(doc []byte) (Settings, error) { return parseSettings(doc, true) }

// parseSettings reads doc; strict, it also refuses the operators of other
// listening tools (see operators). That is a rule for saving a setting: a
// stored one from before the rule is read with them as plain words, as
// it always was, rather than stop the workspace's listening.
func parseSettings(doc []byte, strict bool) (Settings, error) {
	s, err := decode(doc)
	if err != nil {
		return Settings{}, err
	}
	for i := range s.Subjects {
		if err := s.Subjects[i].validate(i, s.Subjects[:i], strict); err != nil {
			return Settings{}, err
		}
	}
	return s, nil
}

// validate checks and normalises subject i, given those before it.
func (s *Subject) validate(i int, before []Subject, strict bool) error {
	at := path("subjects", i)
	s.Name = strings.TrimSpace(s.Name)
	switch {
	case s.Name == "":
		return care.Errorf(care.EINVALID, "%s.name: every subject needs a name, to show in reports.", at)
	case !utf8.ValidString(s.Name) || strings.ContainsRune(s.Name, utf8.RuneError):
		return care.Errorf(care.EINVALID, "%s.name: the name is not valid UTF-8.", at)
	case len(s.Name) > MaxNameBytes:
		return care.Errorf(care.EINVALID, "%s.name: the name is %d bytes, more than %d.", at, len(s.Name), MaxNameBytes)
	case strings.IndexFunc(s.Name, unicode.IsControl) >= 0:
		return care.Errorf(care.EINVALID, "%s.name: the name %q holds a control character.", at, s.Name)
	}
	for j, b := range before {
		if strings.EqualFold(b.Name, s.Name) {
			return care.Errorf(care.EINVALID, "%s.name: %q is also the name of subjects[%d]; give each subject a name of its own.", at, s.Name, j)
		}
	}
	if len(s.Terms) == 0 {
		return care.Errorf(care.EINVALID, "%s.terms: the subject %q has no terms; give at least one word, phrase, #hashtag or @handle to listen for.", at, s.Name)
	}
	var err error
	if s.Terms, err = normalizeList(at+".terms", s.Terms, nil, strict); err != nil {
		return err
	}
	if s.Exclude, err = normalizeList(at+".exclude", s.Exclude, s.Terms, strict); err != nil {
		return err
	}
	return nil
}

// normalizeList normalises the terms at field, dropping duplicates; none of
// them may be one of terms, nor, when strict, use operators.
func normalizeList(field string, raw, terms []string, strict bool) ([]string, error) {
	var out []string
	for j, r := range raw {
		n, _, err := normalize(r)
		if err == nil && strict {
			err = operators(r)
		}
		if err != nil {
			return nil, care.Errorf(care.EINVALID, "%s: %v.", path(field, j), err)
		}
		if contains(terms, n) {
			return nil, care.Errorf(care.EINVALID, "%s: %q is also a term, so it would hide every post that term finds.", path(field, j), n)
		}
		if !contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// SettingReader is what Load needs of storage.
type SettingReader interface {
	Setting(ctx context.Context, workspaceID care.ID, name string) ([]byte, error)
}

// Load reads a workspace's listening settings: none when it has not set
// any. A saved document that no longer parses (an older Parley's, a hand
// edit) is an error that says so.
func Load(ctx context.Context, st SettingReader, workspaceID care.ID) (Settings, error) {
	doc, err := st.Setting(ctx, workspaceID, SettingName)
	switch {
	case care.ErrorCode(err) == care.ENOTFOUND:
		return Settings{}, nil
	case err != nil:
		return Settings{}, err
	}
	s, err := parseSettings(doc, false)
	if err != nil {
		return Settings{}, fmt.Errorf("listening settings: %w", err)
	}
	return s, nil
}
