// Package csat asks customers how we did once their conversation is
// resolved: a short survey sent in the conversation's own channel, answered
// with one click on a link that carries a random token (1 to 5 and an
// optional comment), never twice within the workspace's cooldown. Results
// are kept on the survey, shown on the conversation and reported per agent,
// team, channel and day.
package csat

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// SettingName is the workspace setting that holds its Settings.
const SettingName = "csat"

// Settings say whether and how a workspace surveys its customers.
type Settings struct {
	Enabled bool `json:"enabled"`
	// Question is the message sent; {link} is replaced by the survey's
	// address (appended when absent).
	Question string `json:"question,omitempty"`
	// Cooldown is how long after one survey a customer gets no other, as a
	// duration; default 720h (30 days).
	Cooldown string `json:"cooldown,omitempty"`
	// Channels limits surveys to these channels; empty means all.
	Channels []string `json:"channels,omitempty"`
}

// DefaultQuestion is sent when a workspace sets none.
const DefaultQuestion = "Thanks for talking to us. How did we do? One click, 1 to 5: {link}"

// ParseSettings checks a Settings document.
func ParseSettings(doc []byte) (*Settings, time.Duration, error) {
	var s Settings
	if err := care.DecodeSettings(doc, &s, "survey settings"); err != nil {
		return nil, 0, err
	}
	cooldown := 30 * 24 * time.Hour
	if s.Cooldown != "" {
		d, err := time.ParseDuration(s.Cooldown)
		if err != nil || d < 0 {
			return nil, 0, care.Errorf(care.EINVALID, "cooldown %q is not a duration such as 720h.", s.Cooldown)
		}
		cooldown = d
	}
	if len(s.Question) > 1000 {
		return nil, 0, care.Errorf(care.EINVALID, "The question is at most 1000 bytes.")
	}
	return &s, cooldown, nil
}

// Surveyor offers surveys and serves the page customers answer on.
type Surveyor struct {
	Store care.Store
	// PublicURL is where customers reach this server ("https://care.example.com").
	PublicURL string
	Logger    *slog.Logger
	Now       func() time.Time
}

func (s *Surveyor) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Offer decides, inside the transaction that resolved conv, whether to
// survey its customer now. It returns the message to send ("" for none)
// and record, to call once that message is queued, which stores the
// survey.
func (s *Surveyor) Offer(ctx context.Context, q care.Queries, conv *care.Conversation, now time.Time) (text string, record func(messageID care.ID) error, err error) {
	doc, err := q.Setting(ctx, conv.WorkspaceID, SettingName)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	st, cooldown, err := ParseSettings(doc)
	if err != nil || !st.Enabled {
		return "", nil, nil
	}
	if len(st.Channels) > 0 && !slices.Contains(st.Channels, string(conv.Channel)) {
		return "", nil, nil
	}
	last, err := q.LastSurveyAt(ctx, conv.WorkspaceID, conv.ContactID)
	if err != nil {
		return "", nil, err
	}
	if last != nil && now.Sub(*last) < cooldown {
		return "", nil, nil
	}
	token, hash, err := newToken()
	if err != nil {
		return "", nil, err
	}
	link := strings.TrimSuffix(s.PublicURL, "/") + "/csat/" + token
	question := st.Question
	if question == "" {
		question = DefaultQuestion
	}
	if strings.Contains(question, "{link}") {
		text = strings.ReplaceAll(question, "{link}", link)
	} else {
		text = question + " " + link
	}
	record = func(care.ID) error {
		return q.CreateSurvey(ctx, &care.Survey{WorkspaceID: conv.WorkspaceID, ConversationID: conv.ID, ContactID: conv.ContactID,
			AgentID: conv.AssigneeID, TeamID: conv.TeamID, Channel: conv.Channel, TokenHash: hash, SentAt: now})
	}
	return text, record, nil
}

func newToken() (string, []byte, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Routes mounts the survey page: GET /csat/{token} shows it, POST answers.
func (s *Surveyor) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /csat/{token}", s.page)
	mux.HandleFunc("POST /csat/{token}", s.answer)
}

var page = template.Must(template.New("csat").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>How did we do?</title>
<style>body{font:17px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
fieldset{border:0;padding:0;display:flex;gap:.5rem}label{flex:1;text-align:center;border:1px solid #888;border-radius:.5rem;padding:.8rem 0;cursor:pointer}
input[type=radio]{display:block;margin:0 auto .3rem}textarea{width:100%;min-height:6rem;font:inherit}button{font:inherit;padding:.6rem 1.4rem;margin-top:1rem}</style>
</head><body>
{{if .Done}}<h1>Thank you</h1><p>{{.Done}}</p>{{else}}
<h1>How did we do?</h1>
<form method="post">
<fieldset><legend>1 is poor, 5 is excellent</legend>
{{range .Scores}}<label><input type="radio" name="score" value="{{.}}" required>{{.}}</label>{{end}}
</fieldset>
<p><label for="comment">Anything you'd like to add? (optional)</label><br>
<textarea id="comment" name="comment" maxlength="2000"></textarea></p>
<button type="submit">Send</button>
</form>{{end}}
</body></html>`))

type view struct {
	Done   string
	Scores []int
}

func (s *Surveyor) survey(w http.ResponseWriter, r *http.Request) (*care.Survey, bool) {
	token := r.PathValue("token")
	if len(token) < 20 || len(token) > 64 {
		http.NotFound(w, r)
		return nil, false
	}
	sv, err := s.Store.SurveyByToken(r.Context(), hashToken(token))
	if err != nil {
		if care.ErrorCode(err) != care.ENOTFOUND && s.Logger != nil {
			s.Logger.Error("csat: find survey", "err", err)
		}
		http.NotFound(w, r)
		return nil, false
	}
	return sv, true
}

func render(w http.ResponseWriter, status int, v view) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	page.Execute(w, v)
}

func (s *Surveyor) page(w http.ResponseWriter, r *http.Request) {
	sv, ok := s.survey(w, r)
	if !ok {
		return
	}
	if sv.AnsweredAt != nil {
		render(w, http.StatusOK, view{Done: "You already told us: " + strconv.Itoa(sv.Score) + " out of 5."})
		return
	}
	render(w, http.StatusOK, view{Scores: []int{1, 2, 3, 4, 5}})
}

func (s *Surveyor) answer(w http.ResponseWriter, r *http.Request) {
	sv, ok := s.survey(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	score, err := strconv.Atoi(r.PostFormValue("score"))
	if err != nil || score < 1 || score > 5 {
		http.Error(w, "Choose a score from 1 to 5.", http.StatusBadRequest)
		return
	}
	_, err = s.Store.AnswerSurvey(r.Context(), sv.ID, score, r.PostFormValue("comment"), s.now())
	switch care.ErrorCode(err) {
	case "":
		render(w, http.StatusOK, view{Done: "Your answer helps us do better."})
	case care.ECONFLICT:
		render(w, http.StatusOK, view{Done: "You already answered this survey."})
	case care.EINVALID:
		http.Error(w, care.ErrorMessage(err), http.StatusBadRequest)
	default:
		if s.Logger != nil {
			s.Logger.Error("csat: answer", "survey", sv.ID, "err", err)
		}
		http.Error(w, "Something went wrong; please try again.", http.StatusInternalServerError)
	}
}

// answerWindow is how long after a survey a bare score in the channel is
// read as its answer.
const answerWindow = 7 * 24 * time.Hour

// score reads a customer's message as a survey answer: a score of 1 to 5
// at the very start, alone or followed by "/5", "out of 5", "stars" or a
// separator and a comment ("5", "4/5", "3 - slow but friendly",
// "⭐⭐⭐⭐ quick"). It is conservative: "5 great service" and "2 bags
// lost" are not answers, since a number followed by words may be a new
// message; those open a conversation as usual.
func score(text string) (n int, comment string, ok bool) {
	t := strings.TrimSpace(text)
	stars := 0
	for strings.HasPrefix(t, "⭐") {
		stars++
		t = strings.TrimPrefix(strings.TrimPrefix(t, "⭐"), "\ufe0f")
	}
	switch {
	case stars > 5:
		return 0, "", false
	case stars > 0:
		n = stars
	case t != "" && t[0] >= '1' && t[0] <= '5':
		n, t = int(t[0]-'0'), t[1:]
		if t != "" && t[0] >= '0' && t[0] <= '9' {
			return 0, "", false // 10, 15, 42: not a score
		}
		rest := strings.TrimLeft(t, " \t")
		lower := strings.ToLower(rest)
		for _, suffix := range []string{"/5", "/ 5", "out of 5", "of 5", "stars", "star"} {
			if strings.HasPrefix(lower, suffix) {
				rest = rest[len(suffix):]
				lower = lower[len(suffix):]
			}
		}
		if rest != "" && rest == strings.TrimLeft(t, " \t") && !strings.ContainsAny(rest[:1], "-,.!:;)\r\n") {
			return 0, "", false // a number followed directly by words
		}
		t = rest
	default:
		return 0, "", false
	}
	comment = strings.TrimSpace(strings.TrimLeft(t, " \t-,.!:;)"))
	if len(comment) > care.MaxSurveyComment {
		comment = strings.ToValidUTF8(comment[:care.MaxSurveyComment], "")
	}
	return n, comment, true
}

// AnswerInChannel records a customer's message as the answer to the survey
// they were sent on this channel in the last week, when it reads as a
// score, and returns the surveyed conversation; nil when it is not an
// answer.
func (s *Surveyor) AnswerInChannel(ctx context.Context, q care.Queries, inbox *care.Inbox, contactID care.ID, text string, now time.Time) (*care.Conversation, error) {
	n, comment, ok := score(text)
	if !ok {
		return nil, nil
	}
	sv, err := q.OpenSurvey(ctx, inbox.WorkspaceID, contactID, inbox.Channel, now.Add(-answerWindow))
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if _, err := q.AnswerSurvey(ctx, sv.ID, n, comment, now); err != nil {
		return nil, err
	}
	return q.Conversation(ctx, sv.ConversationID)
}
