package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// response is the envelope of every Bot API answer
// (core.telegram.org/bots/api#making-requests): {"ok":true,"result":…} or
// {"ok":false,"error_code":…,"description":…,"parameters":{…}}, where
// parameters (ResponseParameters) may say how long to wait after a flood
// error or which supergroup a group became.
type response struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  *struct {
		RetryAfter      int64 `json:"retry_after"`
		MigrateToChatID int64 `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

// maxResponseBytes bounds an answer to any method but getUpdates.
const maxResponseBytes = 256 << 10

// errTooLarge is an answer over the caller's bound.
var errTooLarge = errors.New("telegram: the answer is larger than Parley accepts")

// errUnread marks a success (2xx) whose answer could not be read: the
// request was carried out, only its result is unknown.
var errUnread = errors.New("answer not read")

// call invokes a Bot API method with params as JSON and returns its result.
// It returns a *channel.SendError for everything that goes wrong, with the
// bot token removed from every message: it is part of the URL, and a
// transport error would otherwise write it to logs and the inbox's health.
func (a *Adapter) call(ctx context.Context, in care.Inbox, method string, params any, limit int64) (_ json.RawMessage, err error) {
	token := in.Credentials[CredBotToken]
	defer func() {
		var se *channel.SendError
		if token != "" && errors.As(err, &se) {
			se.Reason = strings.ReplaceAll(se.Reason, token, "<bot token>")
			se.Err = scrub(se.Err, token)
		}
	}()
	base, err := a.baseURL(in)
	if err != nil {
		return nil, channel.Permanent("the inbox's api_base is not an http or https URL", err)
	}
	if botID(token) == 0 {
		return nil, channel.Permanent("the inbox has no valid bot_token; paste the token @BotFather gave", nil)
	}
	body, err := json.Marshal(params)
	if err != nil {
		return nil, channel.Permanent("the request cannot be encoded", fmt.Errorf("telegram: %s: %w", method, err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/bot"+token+"/"+method, bytes.NewReader(body))
	if err != nil {
		return nil, channel.Permanent("the inbox's api_base is not usable", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client().Do(req)
	if err != nil {
		reason := "Telegram could not be reached"
		if ctx.Err() != nil || isTimeout(err) {
			reason = "Telegram did not answer in time"
		}
		return nil, channel.Temporary(reason, 0, fmt.Errorf("telegram: %s: %w", method, err))
	}
	defer resp.Body.Close()
	b, readErr := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if readErr == nil && int64(len(b)) > limit {
		readErr = errTooLarge
	}
	var env response
	jsonErr := json.Unmarshal(b, &env)
	ok2xx := resp.StatusCode >= 200 && resp.StatusCode <= 299
	switch {
	case ok2xx && readErr == nil && jsonErr == nil && env.OK:
		return env.Result, nil
	case ok2xx && readErr != nil:
		return nil, &channel.SendError{Status: resp.StatusCode, Reason: "Telegram's answer could not be read",
			Err: fmt.Errorf("telegram: %s: %w: %w", method, errUnread, readErr)}
	case jsonErr != nil || env.OK || env.ErrorCode == 0 && env.Description == "":
		// Not the Bot API's envelope: a proxy's error page, say.
		if ok2xx {
			return nil, &channel.SendError{Status: resp.StatusCode, Reason: "Telegram's answer was not understood",
				Err: fmt.Errorf("telegram: %s: %s", method, channel.Excerpt(b, 200))}
		}
		return nil, channel.ClassifyHTTP(resp, b, a.now())
	}
	return nil, apiError(method, resp, &env, a.now())
}

// Reasons shown to agents for the refusals they can act on. The
// descriptions are Telegram's, e.g. "Forbidden: bot was blocked by the
// user"; the Bot API calls them human-readable and subject to change, so
// they only refine what error_code says. Each concerns one chat, the
// customer's or the group's: the bot works elsewhere, so they are Refused
// and leave the inbox's health alone.
var forbidden = []struct{ contains, reason string }{
	{"blocked by the user", "the customer blocked the bot; Telegram delivers nothing until they unblock it"},
	{"user is deactivated", "the customer's Telegram account was deleted"},
	{"can't initiate conversation", "the customer has not started a chat with the bot; they must write to it first"},
	{"kicked from the", "the bot was removed from the group"},
	{"not a member of the", "the bot is no longer a member of the group"},
	{"have no rights to send", "the bot may not send messages in this group"},
}

// retryAfterText reads the wait from a description like "Too Many
// Requests: retry after 35", for an answer without parameters.
var retryAfterText = regexp.MustCompile(`retry after ([0-9]{1,9})`)

// apiError classifies a Bot API refusal: 429 (flood control) is temporary,
// not before retry_after seconds; 5xx and 409 are temporary; everything else
// is permanent, since the same request would be refused again.
func apiError(method string, resp *http.Response, env *response, now time.Time) *channel.SendError {
	code := env.ErrorCode
	if code == 0 {
		code = resp.StatusCode
	}
	desc := channel.Excerpt([]byte(env.Description), 200)
	e := &channel.SendError{Permanent: true, Status: resp.StatusCode,
		Err: fmt.Errorf("telegram: %s: error %d: %s", method, code, desc)}
	switch {
	case code == http.StatusTooManyRequests:
		e.Permanent = false
		var secs int64
		if env.Parameters != nil {
			secs = env.Parameters.RetryAfter
		}
		if m := retryAfterText.FindStringSubmatch(env.Description); secs <= 0 && m != nil {
			secs, _ = strconv.ParseInt(m[1], 10, 64)
		}
		e.RetryAfter = min(time.Duration(max(secs, 0))*time.Second, channel.MaxRetryAfter)
		if d, ok := channel.ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
			e.RetryAfter = max(e.RetryAfter, d)
		}
		e.Reason = "Telegram is limiting the bot's requests (flood control)"
		if e.RetryAfter > 0 {
			e.Reason += "; retry after " + e.RetryAfter.String()
		}
	case code >= 500 || resp.StatusCode >= 500:
		e.Permanent = false
		e.RetryAfter, _ = channel.ParseRetryAfter(resp.Header.Get("Retry-After"), now)
		e.Reason = "Telegram is having trouble (" + strconv.Itoa(code) + "): " + desc
	case code == http.StatusConflict:
		e.Permanent = false
		e.Reason = "Telegram reported a conflict: " + desc
	case code == http.StatusUnauthorized:
		e.Reason = "Telegram refused the bot token; update the inbox's bot_token from @BotFather"
	case code == http.StatusNotFound:
		e.Reason = "Telegram does not know this bot token (404); update the inbox's bot_token from @BotFather"
	case code == http.StatusForbidden:
		e.Reason = "Telegram refused: " + desc
		for _, f := range forbidden {
			if strings.Contains(strings.ToLower(env.Description), f.contains) {
				e.Reason, e.Refused = f.reason, true
				break
			}
		}
	case env.Parameters != nil && env.Parameters.MigrateToChatID != 0:
		to := env.Parameters.MigrateToChatID
		e.Err = fmt.Errorf("%w: %w", e.Err, chatMigrated(to))
		e.Reason = fmt.Sprintf("the group became a supergroup (chat %d); the customer must write to the bot there again", to)
	case strings.Contains(strings.ToLower(env.Description), "chat not found"):
		// This chat only: the bot answers for others.
		e.Reason, e.Refused = "Telegram does not know this chat: the customer may never have written to the bot", true
	default:
		e.Reason = "Telegram refused the request (" + strconv.Itoa(code) + "): " + desc
	}
	return e
}

// chatMigrated is the supergroup a basic group became, as a refusal's
// parameters.migrate_to_chat_id names it
// (core.telegram.org/bots/api#responseparameters). apiError wraps it into
// the refusal's error so that Send can resend there.
type chatMigrated int64

func (c chatMigrated) Error() string {
	return "the group moved to supergroup " + strconv.FormatInt(int64(c), 10)
}

// migratedTo returns the supergroup err says the chat became.
func migratedTo(err error) (int64, bool) {
	var c chatMigrated
	if errors.As(err, &c) && c != 0 {
		return int64(c), true
	}
	return 0, false
}

// scrub removes token from err's text: a *url.Error names the URL, which
// holds the token. The cause stays reachable with errors.Is and errors.As.
func scrub(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return &scrubbed{msg: strings.ReplaceAll(err.Error(), token, "<bot token>"), err: err}
}

type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &t) && t.Timeout()
}
