package youtube

import (
	"strconv"
	"strings"
	"time"
)

// Comment ids. A top-level comment's id is also its thread's id
// ("UgzDE2tasfmrYLyNkGt4AaABAg"); a reply's id is its thread's id, a dot
// and its own part ("UgzDE2tasfmrYLyNkGt4AaABAg.9yhz7-apDiG9yjhI39vMgL"),
// and its snippet.parentId is the thread's id. YouTube takes replies only
// to top-level comments (comments.list, parentId: "YouTube currently
// supports replies only for top-level comments"), so the thread is where
// every answer goes.

// maxIDPart bounds each part of a comment id; real ones are 26 bytes.
const maxIDPart = 100

// editMark separates a comment's id from the time of an edit in the id of
// the event that reports the edit.
const editMark = ":edit:"

// validCommentID reports whether s is a top-level comment's id or a
// reply's.
func validCommentID(s string) bool {
	top, reply, isReply := strings.Cut(s, ".")
	return idChars(top, maxIDPart) && (!isReply || idChars(reply, maxIDPart))
}

// EditID is the platform id of the event reporting that comment id was
// edited at t: "<comment id>:edit:<unix seconds>", the same however often
// a poll sees the edit.
func EditID(id string, t time.Time) string {
	return id + editMark + strconv.FormatInt(t.Unix(), 10)
}

// CommentOf returns the comment a platform id names: the id itself, or the
// comment an edit event is about. ok is false when id names no comment.
func CommentOf(id string) (comment string, ok bool) {
	if c, at, edited := strings.Cut(id, editMark); edited {
		if !isDigits(at) || len(at) > 19 {
			return "", false
		}
		id = c
	}
	if !validCommentID(id) {
		return "", false
	}
	return id, true
}

// ThreadOf returns the id of the thread, its top-level comment, that the
// comment named by id belongs to. ok is false when id names no comment.
func ThreadOf(id string) (thread string, ok bool) {
	c, ok := CommentOf(id)
	if !ok {
		return "", false
	}
	top, _, _ := strings.Cut(c, ".")
	return top, true
}

// isReplyID reports whether id names a reply rather than a top-level
// comment.
func isReplyID(id string) bool {
	c, ok := CommentOf(id)
	return ok && strings.Contains(c, ".")
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
