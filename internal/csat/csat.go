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
	"maps"
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
	// Language is the workspace's own language (a code such as "en" or
	// "pt"), default "en": the language of Question, and of the survey for
	// a conversation whose language is unknown or one Parley has no text
	// for.
	Language string `json:"language,omitempty"`
	// Question is the message sent, in Language; {link} is replaced by the
	// survey's address (appended when absent). Default: Parley's own text.
	Question string `json:"question,omitempty"`
	// Questions are the message in other languages, by language code
	// ({"pt": "...", "fr": "..."}); each wins over Parley's own text.
	Questions map[string]string `json:"questions,omitempty"`
	// Cooldown is how long after one survey a customer gets no other, as a
	// duration; default 720h (30 days).
	Cooldown string `json:"cooldown,omitempty"`
	// Channels limits surveys to these channels; empty means all.
	Channels []string `json:"channels,omitempty"`
}

// maxQuestion bounds a question, far above what any channel shows whole.
const maxQuestion = 1000

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
	if s.Language != "" && !isLanguageCode(s.Language) {
		return nil, 0, care.Errorf(care.EINVALID, "In the survey settings, \"language\" must be a language code such as \"en\" or \"pt\" (ISO 639-1, in lower case), not %q.", s.Language)
	}
	if len(s.Question) > maxQuestion {
		return nil, 0, care.Errorf(care.EINVALID, "The question is at most %d bytes.", maxQuestion)
	}
	for _, lang := range slices.Sorted(maps.Keys(s.Questions)) {
		q := s.Questions[lang]
		switch {
		case !isLanguageCode(lang):
			return nil, 0, care.Errorf(care.EINVALID, "In the survey settings, \"questions\" has the key %q; its keys are language codes such as \"pt\" or \"fr\" (ISO 639-1, in lower case).", lang)
		case strings.TrimSpace(q) == "":
			return nil, 0, care.Errorf(care.EINVALID, "In the survey settings, \"questions.%s\" is empty; write the question, or leave %q out.", lang, lang)
		case len(q) > maxQuestion:
			return nil, 0, care.Errorf(care.EINVALID, "In the survey settings, \"questions.%s\" is over %d bytes; a question is at most %d.", lang, maxQuestion, maxQuestion)
		}
	}
	return &s, cooldown, nil
}

// isLanguageCode says whether s is written as care.Conversation.Language
// writes languages: ISO 639-1, or ISO 639-3 for the others ("tgl").
func isLanguageCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, c := range []byte(s) {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// normLanguage reads a language as a code of Settings: "pt-BR" and "PT" are
// "pt".
func normLanguage(s string) string {
	s, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(s)), "-")
	s, _, _ = strings.Cut(s, "_")
	return s
}

// language is the workspace's own language.
func (st *Settings) language() string {
	if st == nil || st.Language == "" {
		return defaultLanguage
	}
	return st.Language
}

// question is the message for a conversation in lang: the workspace's own
// for lang, else Parley's for lang, else the workspace's own question, in
// the workspace's language. A question the admin wrote for the workspace's
// language is not sent to a customer Parley can answer in theirs: the
// survey exists to be answered, and it is read in the customer's language.
func (st *Settings) question(lang string) string {
	if q := st.Questions[lang]; q != "" {
		return q
	}
	def := st.language()
	if t := builtin[lang]; t != nil && lang != def {
		return t.Question
	}
	if st.Question != "" {
		return st.Question
	}
	if q := st.Questions[def]; q != "" {
		return q
	}
	_, t := pageTexts("", def)
	return t.Question
}

// pageTexts are the texts of the survey page for a conversation in lang,
// in a workspace whose language is def, and their language: the page is in
// the customer's language when Parley has it, else in the workspace's, else
// in English.
func pageTexts(lang, def string) (string, *texts) {
	if t := builtin[lang]; t != nil {
		return lang, t
	}
	if t := builtin[def]; t != nil {
		return def, t
	}
	return defaultLanguage, builtin[defaultLanguage]
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
	question := st.question(normLanguage(conv.Language))
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
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Heading}}</title>
<style>body{font:17px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
fieldset{border:0;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}legend{margin-bottom:.5rem}label.score{flex:1;text-align:center;border:1px solid #888;border-radius:.5rem;padding:.8rem 0;cursor:pointer}
input[type=radio]{display:block;margin:0 auto .3rem}textarea{width:100%;min-height:6rem;font:inherit}button{font:inherit;padding:.6rem 1.4rem;margin-top:1rem}
.error{color:#a00;font-weight:600}</style>
</head><body>
<h1>{{.Heading}}</h1>
{{with .Note}}<p>{{.}}</p>{{end}}
{{if .Form}}{{with .Error}}<p class="error" role="alert">{{.}}</p>{{end}}
<form method="post">
<fieldset><legend>{{.T.Scale}}</legend>
{{range .Scores}}<label class="score"><input type="radio" name="score" value="{{.}}" required{{if eq . $.Score}} checked{{end}}>{{.}}</label>{{end}}
</fieldset>
<p><label for="comment">{{.T.Comment}}</label><br>
<textarea id="comment" name="comment" maxlength="2000">{{.Comment}}</textarea></p>
<button type="submit">{{.T.Send}}</button>
</form>{{end}}
</body></html>`))

// view is what the survey page shows: a heading and a note, and the form
// when Form is set, with the score and comment a customer already gave when
// the page comes back with an Error.
type view struct {
	Lang    string
	T       *texts
	Heading string
	Note    string
	Form    bool
	Error   string
	Score   int
	Comment string
	Scores  []int
}

func (s *Surveyor) logError(msg string, args ...any) {
	if s.Logger != nil {
		s.Logger.Error(msg, args...)
	}
}

// survey finds the survey a request's token names, and the language to
// show it in; it answers the request itself, with a page saying the link
// leads nowhere, when there is none.
func (s *Surveyor) survey(w http.ResponseWriter, r *http.Request) (*care.Survey, string, *texts, bool) {
	token := r.PathValue("token")
	var sv *care.Survey
	var err error
	if len(token) >= 20 && len(token) <= 64 {
		sv, err = s.Store.SurveyByToken(r.Context(), hashToken(token))
	}
	if sv == nil || err != nil {
		if err != nil && care.ErrorCode(err) != care.ENOTFOUND {
			s.logError("csat: find survey", "err", err)
		}
		// With no survey there is no conversation to take a language from:
		// the browser's is the best guess left.
		lang, t := pageTexts(acceptLanguage(r.Header.Get("Accept-Language")), defaultLanguage)
		s.render(w, http.StatusNotFound, view{Lang: lang, T: t, Heading: t.GoneTitle, Note: t.Gone})
		return nil, "", nil, false
	}
	lang, t := s.surveyTexts(r.Context(), sv)
	return sv, lang, t, true
}

// surveyTexts are the page texts for sv: in its conversation's language, as
// its message was. A fault finding them falls back to the workspace's or
// English texts rather than fail a customer's page.
func (s *Surveyor) surveyTexts(ctx context.Context, sv *care.Survey) (string, *texts) {
	var st *Settings
	doc, err := s.Store.Setting(ctx, sv.WorkspaceID, SettingName)
	if err == nil {
		st, _, err = ParseSettings(doc)
	}
	if err != nil && care.ErrorCode(err) != care.ENOTFOUND {
		s.logError("csat: survey settings", "workspace", sv.WorkspaceID, "err", err)
	}
	conv, err := s.Store.Conversation(ctx, sv.ConversationID)
	if err != nil {
		s.logError("csat: surveyed conversation", "survey", sv.ID, "err", err)
		return pageTexts("", st.language())
	}
	return pageTexts(normLanguage(conv.Language), st.language())
}

// acceptLanguage is the language of an Accept-Language header that Parley
// has texts for, preferred most; "" for none.
// https://www.rfc-editor.org/rfc/rfc9110#name-accept-language
func acceptLanguage(h string) string {
	best, bestQ := "", 0.0
	for part := range strings.SplitSeq(h, ",") {
		tag, params, _ := strings.Cut(part, ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			var err error
			if q, err = strconv.ParseFloat(v, 64); err != nil {
				continue
			}
		}
		if lang := normLanguage(tag); builtin[lang] != nil && q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best
}

func (s *Surveyor) render(w http.ResponseWriter, status int, v view) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", v.Lang)
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := page.Execute(w, v); err != nil {
		s.logError("csat: render survey page", "err", err)
	}
}

// form is the survey's form in lang.
func form(lang string, t *texts) view {
	return view{Lang: lang, T: t, Heading: t.Title, Form: true, Scores: []int{1, 2, 3, 4, 5}}
}

// done is the page after an answer: note says which.
func done(lang string, t *texts, note string) view {
	return view{Lang: lang, T: t, Heading: t.ThanksTitle, Note: note}
}

func (s *Surveyor) page(w http.ResponseWriter, r *http.Request) {
	sv, lang, t, ok := s.survey(w, r)
	if !ok {
		return
	}
	if sv.AnsweredAt != nil {
		s.render(w, http.StatusOK, done(lang, t, strings.ReplaceAll(t.Answered, "{score}", strconv.Itoa(sv.Score))))
		return
	}
	s.render(w, http.StatusOK, form(lang, t))
}

func (s *Surveyor) answer(w http.ResponseWriter, r *http.Request) {
	sv, lang, t, ok := s.survey(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	v := form(lang, t)
	v.Comment = r.PostFormValue("comment")
	score, err := strconv.Atoi(r.PostFormValue("score"))
	if err != nil || score < 1 || score > 5 {
		v.Error = t.ChooseScore
		s.render(w, http.StatusBadRequest, v)
		return
	}
	v.Score = score
	// The form's maxlength counts characters and the limit is in bytes: a
	// comment in Portuguese or Greek can pass the one and not the other.
	if len(strings.TrimSpace(v.Comment)) > care.MaxSurveyComment {
		v.Error = t.TooLong
		s.render(w, http.StatusBadRequest, v)
		return
	}
	_, err = s.Store.AnswerSurvey(r.Context(), sv.ID, score, v.Comment, s.now())
	switch care.ErrorCode(err) {
	case "":
		s.render(w, http.StatusOK, done(lang, t, t.Thanks))
	case care.ECONFLICT:
		s.render(w, http.StatusOK, done(lang, t, t.AlreadyAnswered))
	case care.EINVALID:
		// What the store refuses beyond the score and the length is text
		// that is not UTF-8 or holds a NUL, which no browser sends by itself.
		v.Error = t.Failed
		s.render(w, http.StatusBadRequest, v)
	default:
		s.logError("csat: answer", "survey", sv.ID, "err", err)
		v.Error = t.Failed
		s.render(w, http.StatusInternalServerError, v)
	}
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
