package meta

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func TestStampEither(t *testing.T) {
	fallback := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   stamp
		want time.Time
	}{
		{"milliseconds, messaging entry", 1458692752478, time.UnixMilli(1458692752478).UTC()},
		{"seconds, changes entry", 1520383571, time.Unix(1520383571, 0).UTC()},
		{"zero", 0, fallback},
		{"negative", -5, fallback},
		{"seconds far ahead", 99999999999, fallback},
		{"milliseconds far ahead", 4102444800000, fallback},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.either(fallback); !got.Equal(tt.want) {
				t.Errorf("stamp(%v).either() = %v, want %v", float64(tt.in), got, tt.want)
			}
		})
	}
}

func TestReactionID(t *testing.T) {
	short := reactionID("m_1", "1254459154682919", 1458692752484)
	if want := "reaction:1254459154682919:1458692752484:m_1"; short != want {
		t.Errorf("reactionID(short) = %q, want %q", short, want)
	}
	mid := strings.Repeat("aWdf", 60)
	long := reactionID(mid, "1234567890123456", 1700000003000)
	if len(long) > care.MaxPlatformIDBytes || !strings.HasPrefix(long, "reaction:") {
		t.Errorf("reactionID(long mid) = %q (%d bytes), want a reaction id of at most %d bytes", long, len(long), care.MaxPlatformIDBytes)
	}
	if again := reactionID(mid, "1234567890123456", 1700000003000); again != long {
		t.Errorf("reactionID is not stable: %q then %q", long, again)
	}
	if other := reactionID(mid, "1234567890123456", 1700000004000); other == long {
		t.Errorf("reactionID gives two reactions at different times the same id %q", long)
	}
}

func TestEditID(t *testing.T) {
	if got, want := editID("m_1", "2"), "m_1:edit:2"; got != want {
		t.Errorf("editID(short) = %q, want %q", got, want)
	}
	mid := strings.Repeat("aWdf", 63) // 252 bytes: Instagram's mids are long
	long := editID(mid, "1")
	if len(long) > care.MaxPlatformIDBytes || !strings.HasPrefix(long, "edit:") {
		t.Errorf("editID(long mid) = %q (%d bytes), want an edit id of at most %d bytes", long, len(long), care.MaxPlatformIDBytes)
	}
	if again := editID(mid, "1"); again != long {
		t.Errorf("editID is not stable: %q then %q", long, again)
	}
	if second := editID(mid, "2"); second == long {
		t.Errorf("editID gives two edits the same id %q", long)
	}
}
