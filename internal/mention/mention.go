// Package mention finds the colleagues an internal note @mentions. An agent
// is mentioned by their handle, the part of their email address before the
// "@" (@ana.lima for ana.lima@example.com), or by their first name when no
// one else in the workspace shares it (@Ana), in any letter case.
package mention

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// maxMentions bounds how many names one note can notify: a note pasted
// full of @words must not page the whole workspace.
const maxMentions = 20

// Handle is how a note mentions u: "@" and the local part of their email,
// lower-cased.
func Handle(u care.User) string {
	local, _, _ := strings.Cut(u.Email, "@")
	return "@" + strings.ToLower(local)
}

// Words returns the distinct @words of text, lower-cased and without the
// "@", in order of appearance. An "@" inside a word (an email address) does
// not start one, and trailing punctuation is not part of it.
func Words(text string) []string {
	var out []string
	for i := 0; i < len(text); i++ {
		if text[i] != '@' {
			continue
		}
		if i > 0 {
			r, _ := utf8.DecodeLastRuneInString(text[:i])
			if isWord(r) {
				continue
			}
		}
		j := i + 1
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !isWord(r) && r != '.' && r != '-' && r != '_' && r != '+' {
				break
			}
			j += size
		}
		w := strings.ToLower(strings.TrimRight(text[i+1:j], ".-_+"))
		if w != "" && len(w) <= 64 && !slices.Contains(out, w) {
			out = append(out, w)
			if len(out) == maxMentions {
				break
			}
		}
		i = j - 1
	}
	return out
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// Resolve returns the ids of the users text mentions, each once, in the
// order of the users given. Disabled users are never mentioned.
func Resolve(text string, users []care.User) []care.ID {
	words := Words(text)
	if len(words) == 0 {
		return nil
	}
	firsts := map[string]int{}
	for _, u := range users {
		if f := firstName(u); f != "" {
			firsts[f]++
		}
	}
	var ids []care.ID
	for _, u := range users {
		if u.Disabled {
			continue
		}
		h := strings.TrimPrefix(Handle(u), "@")
		f := firstName(u)
		for _, w := range words {
			if w == h || (f != "" && w == f && firsts[f] == 1) {
				ids = append(ids, u.ID)
				break
			}
		}
	}
	return ids
}

// firstName is the first word of u's name, lower-cased, as it would be
// typed after an "@".
func firstName(u care.User) string {
	f, _, _ := strings.Cut(strings.TrimSpace(u.Name), " ")
	return strings.ToLower(f)
}
