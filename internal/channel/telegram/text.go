package telegram

import (
	"strings"
	"unicode/utf16"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// name is a person's or chat's name for display: its parts joined with a
// space, cleaned and bounded.
func name(parts ...string) string {
	return channel.CleanName(strings.Join(parts, " "), care.MaxNameBytes)
}

func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

// Bounds on reading entities: Telegram allows 100 per message, and the
// entities Parley looks at (a mention or command of the bot: "@" and a
// username of at most 32 characters, "/", a command of at most 32 and the
// username) are short.
const (
	maxEntities      = 100
	maxEntityLength  = 72
	maxEntityTextLen = 1 << 16
)

// entityTexts returns the text of each entity of text whose type is one of
// types, by the entity's UTF-16 offset and length
// (core.telegram.org/api/entities: "UTF-16 is used when computing the length
// and offsets of entities"). Entities out of range are ignored.
func entityTexts(text string, entities []entity, types ...string) []string {
	if len(entities) == 0 || len(text) > maxEntityTextLen {
		return nil
	}
	var units []uint16
	var out []string
	for i, e := range entities {
		if i == maxEntities {
			break
		}
		matches := false
		for _, t := range types {
			matches = matches || e.Type == t
		}
		if !matches || e.Offset < 0 || e.Length <= 0 || e.Length > maxEntityLength {
			continue
		}
		if units == nil {
			units = utf16.Encode([]rune(text))
		}
		if e.Offset > len(units) || e.Length > len(units)-e.Offset {
			continue
		}
		out = append(out, string(utf16.Decode(units[e.Offset:e.Offset+e.Length])))
	}
	return out
}
