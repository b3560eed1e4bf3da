package ingest

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

func TestJoinContent(t *testing.T) {
	photo := care.Attachment{Kind: "image", URL: "u"}
	photos := func(n int) []care.Attachment {
		out := make([]care.Attachment, n)
		for i := range out {
			out[i] = photo
		}
		return out
	}
	long := strings.Repeat("é", care.MaxTextBytes/2) // exactly MaxTextBytes
	for _, tc := range []struct {
		name           string
		text, partText string
		atts, partAtts int
		wantText       string
		wantAtts       int
	}{
		{name: "caption on the part", partText: "Both broken", atts: 1, partAtts: 1, wantText: "Both broken", wantAtts: 2},
		{name: "caption on the message", text: "Both broken", atts: 1, partAtts: 1, wantText: "Both broken", wantAtts: 2},
		{name: "two captions", text: "a", partText: "b", atts: 1, partAtts: 1, wantText: "a\n\nb", wantAtts: 2},
		{name: "the same caption", text: "a", partText: "a", atts: 1, partAtts: 1, wantText: "a", wantAtts: 2},
		{name: "attachments capped", atts: care.MaxAttachments - 1, partAtts: 3, wantAtts: care.MaxAttachments},
		{name: "attachments full", atts: care.MaxAttachments, partAtts: 1, wantAtts: care.MaxAttachments},
		{name: "text capped at a character", text: long, partText: "b", atts: 1, partAtts: 1, wantText: long, wantAtts: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, got := joinContent(tc.text, photos(tc.atts), tc.partText, photos(tc.partAtts))
			if text != tc.wantText || len(got) != tc.wantAtts {
				t.Errorf("joinContent = %.40q…, %d attachments; want %.40q…, %d", text, len(got), tc.wantText, tc.wantAtts)
			}
			if len(text) > care.MaxTextBytes || !utf8.ValidString(text) {
				t.Errorf("joined text of %d bytes, valid UTF-8 %v", len(text), utf8.ValidString(text))
			}
		})
	}
}
