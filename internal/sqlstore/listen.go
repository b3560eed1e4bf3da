package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// listenChunk bounds the rows of one multi-row insert (17 parameters each,
// far below every engine's limit). A found page is rarely bigger, so a
// batch is mostly one statement.
const listenChunk = 64

const listenCols = `id, workspace_id, inbox_id, source, platform_id, url, author_id, author_handle, author_name,
	author_followers, author_verified, text, lang, posted_at, found_at, subjects, sentiment, sentiments`

// nl is a newline as an SQL string literal. A standard string may hold
// one on both engines, which escape sequences would not.
const nl = "'\n'"

// subjectMatch is true for the rows whose subjects include the name bound
// to its placeholder as "\n"+name+"\n". Wrapping the stored list in
// newlines makes every name whole, so "Acme" does not match "Acme Air";
// replace and length are plain string functions on both engines, where a
// LIKE pattern would treat % and _ in names as wildcards and ignore case
// on SQLite.
const subjectMatch = `length(replace(` + nl + ` || subjects || ` + nl + `, ?, '')) < length(` + nl + ` || subjects || ` + nl + `)`

// listenKey is a post's identity in the store.
type listenKey struct {
	workspace  care.ID
	source     string
	platformID string
}

// AddListenPosts checks every post before it writes any, so a batch is
// stored whole or not at all. New posts go in multi-row statements that
// skip the keys already stored, sorted by key: two nodes adding overlapping
// batches then take their row locks in the same order, and queue instead
// of deadlocking.
func (q queries) AddListenPosts(ctx context.Context, posts []care.ListenPost) (int, error) {
	for i := range posts {
		if err := checkListenPost(i, &posts[i]); err != nil {
			return 0, err
		}
	}
	now := time.Now()
	first := make(map[listenKey]int, len(posts))
	fresh := make([]int, 0, len(posts))
	for i := range posts {
		p := &posts[i]
		p.ID = 0
		if p.FoundAt.IsZero() {
			p.FoundAt = now
		}
		// A post without a time would sort before every other and fall
		// outside every report; when it was found is the best guess.
		if p.PostedAt.IsZero() {
			p.PostedAt = p.FoundAt
		}
		p.FoundAt, p.PostedAt = fromMicros(micros(p.FoundAt)), fromMicros(micros(p.PostedAt))
		k := listenKey{p.WorkspaceID, string(p.Source), p.PlatformID}
		if _, ok := first[k]; !ok {
			first[k] = i
			fresh = append(fresh, i)
		}
	}
	slices.SortFunc(fresh, func(a, b int) int {
		pa, pb := &posts[a], &posts[b]
		return cmp.Or(cmp.Compare(pa.WorkspaceID, pb.WorkspaceID), strings.Compare(string(pa.Source), string(pb.Source)),
			strings.Compare(pa.PlatformID, pb.PlatformID))
	})
	if len(fresh) == 0 {
		return 0, nil
	}
	added := 0
	err := q.inTx(ctx, func(q queries) error {
		for start := 0; start < len(fresh); start += listenChunk {
			n, err := q.insertListenPosts(ctx, posts, fresh[start:min(start+listenChunk, len(fresh))], first)
			if err != nil {
				return err
			}
			added += n
		}
		return nil
	})
	if err != nil {
		for _, i := range fresh {
			posts[i].ID = 0
		}
		return 0, err
	}
	return added, nil
}

// insertListenPosts stores the posts chunk names that are not stored yet
// and sets their IDs. The rows are padded to a power of two by repeating
// the last, which the conflict clause skips: a statement of each size is
// prepared once and kept, so sizes are kept few.
func (q queries) insertListenPosts(ctx context.Context, posts []care.ListenPost, chunk []int, first map[listenKey]int) (int, error) {
	rows := 1
	for rows < len(chunk) {
		rows *= 2
	}
	args := make([]any, 0, 17*rows)
	var b strings.Builder
	b.WriteString(`INSERT INTO listen_posts (workspace_id, inbox_id, source, platform_id, url, author_id, author_handle, author_name,
		author_followers, author_verified, text, lang, posted_at, found_at, subjects, sentiment, sentiments) VALUES `)
	for r := range rows {
		p := &posts[chunk[min(r, len(chunk)-1)]]
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, p.WorkspaceID, p.InboxID, string(p.Source), p.PlatformID, p.URL,
			p.Author.PlatformUserID, p.Author.Handle, p.Author.DisplayName, p.Author.Followers, b2i(p.Author.Verified),
			p.Text, p.Lang, micros(p.PostedAt), micros(p.FoundAt), strings.Join(p.Subjects, "\n"), p.Sentiment,
			joinSentiments(p.SubjectSentiments))
	}
	b.WriteString(` ON CONFLICT (workspace_id, source, platform_id) DO NOTHING RETURNING id, workspace_id, source, platform_id`)
	res, err := q.query(ctx, b.String(), args...)
	if err != nil {
		return 0, q.wrap(err, "found posts")
	}
	defer res.Close()
	n := 0
	for res.Next() {
		var id care.ID
		var k listenKey
		if err := res.Scan(&id, &k.workspace, &k.source, &k.platformID); err != nil {
			return 0, q.wrap(err, "found posts")
		}
		i, ok := first[k]
		if !ok {
			return 0, fmt.Errorf("sqlstore: found post %d stored under a key the batch does not have", id)
		}
		posts[i].ID = id
		n++
	}
	if err := res.Close(); err != nil {
		return 0, q.wrap(err, "found posts")
	}
	return n, q.wrap(res.Err(), "found posts")
}

// checkListenPost says which post of a batch is wrong, and why.
func checkListenPost(i int, p *care.ListenPost) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("found post %d: %w", i, err)
	}
	if n := len(p.SubjectSentiments); n != 0 && n != len(p.Subjects) {
		return fmt.Errorf("found post %d: %w", i, care.Errorf(care.EINVALID,
			"A found post's subject sentiments must be one per subject (%d), not %d, or none.", len(p.Subjects), n))
	}
	for _, v := range p.SubjectSentiments {
		if math.IsNaN(v) || v < -1 || v > 1 {
			return fmt.Errorf("found post %d: %w", i, care.Errorf(care.EINVALID, "A found post's subject sentiments must be from -1 to 1."))
		}
	}
	return nil
}

// joinSentiments is the sentiments column: the subjects' sentiments, one
// per line as the subjects are, in the shortest form that reads back the
// same; "" when the post has none.
func joinSentiments(v []float64) string {
	var b []byte
	for i, f := range v {
		if i > 0 {
			b = append(b, '\n')
		}
		b = strconv.AppendFloat(b, f, 'g', -1, 64)
	}
	return string(b)
}

// splitSentiments reads the sentiments column for n subjects. Rows stored
// before subjects were read apart hold "", and a row that does not hold
// one number per subject is read the same way: each subject has the
// post's sentiment, which is what reports counted for it then.
func splitSentiments(s string, n int, sentiment float64) []float64 {
	if n == 0 {
		return nil
	}
	out := make([]float64, n)
	if s != "" && strings.Count(s, "\n") == n-1 {
		ok := true
		for i, f := range strings.Split(s, "\n") {
			v, err := strconv.ParseFloat(f, 64)
			ok = ok && err == nil
			out[i] = v
		}
		if ok {
			return out
		}
	}
	for i := range out {
		out[i] = sentiment
	}
	return out
}

// splitSubjects is the subjects column as names.
func splitSubjects(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// ListenPosts reads a page by walking the (workspace_id, posted_at, id)
// index backwards from the cursor, so a page costs the same however deep
// it is.
func (q queries) ListenPosts(ctx context.Context, workspaceID care.ID, f care.ListenFilter) ([]care.ListenPost, error) {
	switch {
	case f.Limit < 1 || f.Limit > care.MaxListenPage:
		return nil, care.Errorf(care.EINVALID, "A page of found posts holds 1 to %d posts, not %d.", care.MaxListenPage, f.Limit)
	case !f.From.Before(f.To):
		return nil, care.Errorf(care.EINVALID, "The period of found posts must start before it ends.")
	case f.Subject != "" && !care.ListenSubjectName(f.Subject):
		return nil, care.Errorf(care.EINVALID, "A subject is a name of at most %d bytes without control characters.", care.MaxNameBytes)
	}
	query := `SELECT ` + listenCols + ` FROM listen_posts WHERE workspace_id = ? AND posted_at >= ? AND posted_at < ?`
	args := []any{workspaceID, micros(f.From), micros(f.To)}
	if !f.Before.IsZero() {
		// The first bound alone is an index range; the second finishes the
		// row comparison (posted_at, id) < (Before, BeforeID).
		before := micros(f.Before)
		query += ` AND posted_at <= ? AND (posted_at < ? OR id < ?)`
		args = append(args, before, before, f.BeforeID)
	}
	if f.Source != "" {
		query += ` AND source = ?`
		args = append(args, string(f.Source))
	}
	if f.Subject != "" {
		query += ` AND ` + subjectMatch
		args = append(args, "\n"+f.Subject+"\n")
	}
	rows, err := q.query(ctx, query+` ORDER BY posted_at DESC, id DESC LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, q.wrap(err, "found posts")
	}
	defer rows.Close()
	out := []care.ListenPost{}
	for rows.Next() {
		var p care.ListenPost
		var source, subjects, sentiments string
		var verified int
		var posted, found int64
		if err := rows.Scan(&p.ID, &p.WorkspaceID, &p.InboxID, &source, &p.PlatformID, &p.URL,
			&p.Author.PlatformUserID, &p.Author.Handle, &p.Author.DisplayName, &p.Author.Followers, &verified,
			&p.Text, &p.Lang, &posted, &found, &subjects, &p.Sentiment, &sentiments); err != nil {
			return nil, q.wrap(err, "found posts")
		}
		p.Source, p.Author.Verified = care.Channel(source), verified != 0
		p.PostedAt, p.FoundAt = fromMicros(posted), fromMicros(found)
		if p.Subjects = splitSubjects(subjects); p.Subjects == nil {
			p.Subjects = []string{}
		}
		p.SubjectSentiments = splitSentiments(sentiments, len(p.Subjects), p.Sentiment)
		out = append(out, p)
	}
	return out, q.wrap(rows.Err(), "found posts")
}

// PruneListenPosts deletes the oldest of a workspace's found posts through
// the (workspace_id, posted_at, id) index, a bounded batch at a time so a
// large backlog does not hold the one writer for long.
func (q queries) PruneListenPosts(ctx context.Context, workspaceID care.ID, before time.Time, limit int) (int, error) {
	if limit < 1 {
		return 0, care.Errorf(care.EINVALID, "PruneListenPosts deletes at least one post at a time, not %d.", limit)
	}
	res, err := q.exec(ctx, `DELETE FROM listen_posts WHERE id IN (SELECT id FROM listen_posts
		WHERE workspace_id = ? AND posted_at < ? ORDER BY posted_at, id LIMIT ?)`, workspaceID, micros(before), limit)
	if err != nil {
		return 0, q.wrap(err, "prune found posts")
	}
	n, err := res.RowsAffected()
	return int(n), q.wrap(err, "prune found posts")
}

// ListenPoints reads only the columns a report counts, newest first, so
// that a report over a long period can stop at a bound.
func (q queries) ListenPoints(ctx context.Context, workspaceID care.ID, from, to time.Time, limit int) ([]care.ListenPoint, error) {
	switch {
	case limit < 1:
		return nil, care.Errorf(care.EINVALID, "A listening report reads at least one post, not %d.", limit)
	case !from.Before(to):
		return nil, care.Errorf(care.EINVALID, "The period of a listening report must start before it ends.")
	}
	rows, err := q.query(ctx, `SELECT posted_at, source, subjects, sentiment, sentiments, author_followers FROM listen_posts
		WHERE workspace_id = ? AND posted_at >= ? AND posted_at < ? ORDER BY posted_at DESC, id DESC LIMIT ?`,
		workspaceID, micros(from), micros(to), limit)
	if err != nil {
		return nil, q.wrap(err, "found posts")
	}
	defer rows.Close()
	out := make([]care.ListenPoint, 0, min(limit, 1024))
	for rows.Next() {
		var p care.ListenPoint
		var posted int64
		var source, subjects, sentiments string
		if err := rows.Scan(&posted, &source, &subjects, &p.Sentiment, &sentiments, &p.Followers); err != nil {
			return nil, q.wrap(err, "found posts")
		}
		p.PostedAt, p.Source, p.Subjects = fromMicros(posted), care.Channel(source), splitSubjects(subjects)
		p.SubjectSentiments = splitSentiments(sentiments, len(p.Subjects), p.Sentiment)
		out = append(out, p)
	}
	return out, q.wrap(rows.Err(), "found posts")
}
