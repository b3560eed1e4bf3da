package youtube

import (
	"testing"
	"time"
)

func TestIDs(t *testing.T) {
	t.Parallel()
	const top = "UgzDE2tasfmrYLyNkGt4AaABAg"
	const reply = top + ".9yhz7-apDiG9yjhI39vMgL"
	edit := EditID(reply, time.Unix(1795513800, 0))
	if edit != reply+":edit:1795513800" {
		t.Fatalf("EditID = %q", edit)
	}
	for _, tt := range []struct {
		id              string
		comment, thread string // "" when id names no comment
		isReply         bool
	}{
		{top, top, top, false},
		{reply, reply, top, true},
		{edit, reply, top, true},
		{top + ":edit:1795513800", top, top, false},
		{"", "", "", false},
		{"Ugz/../x", "", "", false},
		{top + ".", "", "", false},
		{"." + top, "", "", false},
		{top + ".a.b", "", "", false},
		{top + ":edit:", "", "", false},
		{top + ":edit:12x", "", "", false},
		{top + ":edit:99999999999999999999", "", "", false},
		{"1111111:1365", "", "", false}, // another channel's id shape
	} {
		c, ok := CommentOf(tt.id)
		if c != tt.comment || ok != (tt.comment != "") {
			t.Errorf("CommentOf(%q) = %q, %v; want %q", tt.id, c, ok, tt.comment)
		}
		th, ok := ThreadOf(tt.id)
		if th != tt.thread || ok != (tt.thread != "") {
			t.Errorf("ThreadOf(%q) = %q, %v; want %q", tt.id, th, ok, tt.thread)
		}
		if got := isReplyID(tt.id); got != tt.isReply {
			t.Errorf("isReplyID(%q) = %v, want %v", tt.id, got, tt.isReply)
		}
	}
	for _, tt := range []struct {
		id   string
		want bool
	}{
		{"UC_x5XG1OV2P6uZZ5FSM9Ttw", true},
		{"UC_x5XG1OV2P6uZZ5FSM9Tt", false},
		{"UX_x5XG1OV2P6uZZ5FSM9Ttw", false},
		{"UC_x5XG1OV2P6uZZ5FSM9T.w", false},
		{"", false},
	} {
		if got := validChannelID(tt.id); got != tt.want {
			t.Errorf("validChannelID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}
