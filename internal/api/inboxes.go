package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/auth"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

// Credential names of an API inbox.
const (
	credTokenHash     = "token_hash"     // SHA-256 of the inbox token, hex
	credWebhookSecret = "webhook_secret" // signs outbound webhooks
	// credPrevTokenHash is the token a rotation with a grace period
	// replaced; it is accepted until apiinbox.PreviousUntilCredential.
	credPrevTokenHash = "previous_token_hash"
)

// maxRotationGrace bounds how long a rotated token and secret stay valid.
const maxRotationGrace = 7 * 24 * time.Hour

func (s *Server) listInboxes(w http.ResponseWriter, r *http.Request) {
	ins, err := s.Store.Inboxes(r.Context(), principal(r).WorkspaceID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	for i := range ins {
		if err := s.fillSpend(r, &ins[i]); err != nil {
			writeError(w, r, err)
			return
		}
	}
	views := make([]inboxView, len(ins))
	for i := range ins {
		views[i] = s.inboxView(r, &ins[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"inboxes": views})
}

// inboxView is an inbox as GET shows it: with what its channel can do, as
// the channel's adapter declares for this inbox, so that a client's
// composer counts and offers what the desk's does.
type inboxView struct {
	*care.Inbox
	Capabilities channel.Capabilities `json:"capabilities"`
}

// inboxView shows in to the request's principal. The webhook URL is
// setup, for admins: it names the brand's own systems, and agents answer
// through Parley, not through it. The platform account's id is left out
// for a partner's people too, as its health line is.
func (s *Server) inboxView(r *http.Request, in *care.Inbox) inboxView {
	v := inboxView{Inbox: in, Capabilities: s.Adapters.InboxCapabilities(*in)}
	p := principal(r)
	if p.Role != care.RoleAdmin || p.Scope != nil {
		shown := *in
		shown.WebhookURL = ""
		if p.Scope != nil {
			shown.ExternalID = ""
		}
		v.Inbox = &shown
	}
	return v
}

// fillSpend completes the health line with this month's billed messages,
// for platforms that bill (WhatsApp); amounts depend on Meta's rate card by
// country, so Parley counts rather than prices them.
func (s *Server) fillSpend(r *http.Request, in *care.Inbox) error {
	if principal(r).Scope != nil {
		// The health line (errors, rate budget, what the platform bills)
		// is the brand's running of its accounts, not a partner's.
		in.Health = care.InboxHealth{}
		return nil
	}
	return s.FillSpend(r.Context(), in)
}

// FillSpend completes an inbox's health line with this month's billed
// messages, where the platform bills, and what they cost where the
// channel's adapter prices them (X).
func (s *Server) FillSpend(ctx context.Context, in *care.Inbox) error {
	now := s.now().UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	byCat, err := s.Store.InboxCharges(ctx, in.ID, month)
	if err != nil || len(byCat) == 0 {
		return err
	}
	in.Health.Spend = describeSpend(byCat)
	if p, ok := s.Adapters.Pricer(in.Channel); ok {
		if money := p.Spend(*in, byCat); money != "" {
			in.Health.Spend += "; " + money
		}
	}
	return nil
}

// describeSpend renders counts by category: "3 billed messages this month
// (service 2, utility 1)".
func describeSpend(byCat map[string]int) string {
	cats := make([]string, 0, len(byCat))
	total := 0
	for c, n := range byCat {
		cats = append(cats, c)
		total += n
	}
	sort.Strings(cats)
	parts := make([]string, len(cats))
	for i, c := range cats {
		parts[i] = fmt.Sprintf("%s %d", c, byCat[c])
	}
	noun := "messages"
	if total == 1 {
		noun = "message"
	}
	return fmt.Sprintf("%d billed %s this month (%s)", total, noun, strings.Join(parts, ", "))
}

func (s *Server) inboxOf(r *http.Request) (*care.Inbox, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	in, err := s.Store.Inbox(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if in.WorkspaceID != principal(r).WorkspaceID {
		return nil, care.Errorf(care.ENOTFOUND, "Inbox not found.")
	}
	return in, nil
}

func (s *Server) getInbox(w http.ResponseWriter, r *http.Request) {
	in, err := s.inboxOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.fillSpend(r, in); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.inboxView(r, in))
}

type inboxRequest struct {
	Channel     care.Channel      `json:"channel"`
	Name        string            `json:"name"`
	ExternalID  string            `json:"external_id"`
	WebhookURL  string            `json:"webhook_url"`
	Credentials map[string]string `json:"credentials"`
}

// InboxSecrets are shown once, when an API inbox is created or rotated.
type InboxSecrets struct {
	Inbox         *care.Inbox           `json:"inbox"`
	Token         string                `json:"token,omitempty"`
	WebhookSecret string                `json:"webhook_secret,omitempty"`
	Setup         []channel.Instruction `json:"setup,omitempty"`
}

// inboxSetup is what an admin pastes into the platform's console.
type inboxSetup struct {
	WebhookURL   string                `json:"webhook_url"`
	Instructions []channel.Instruction `json:"instructions"`
}

func (s *Server) webhookURL(in *care.Inbox) string {
	if in.Channel == care.ChannelAPI {
		// An API inbox's messages come through the API, with the inbox's
		// token, not through a platform's signed webhook: /webhooks/{id}
		// would answer 404.
		return fmt.Sprintf("%s/api/v1/inboxes/%d/messages", s.PublicURL, in.ID)
	}
	return fmt.Sprintf("%s/webhooks/%d", s.PublicURL, in.ID)
}

// setupOf returns the inbox's connection instructions, if its channel has any.
func (s *Server) setupOf(in *care.Inbox) []channel.Instruction {
	if setup, ok := s.Adapters.Setup(in.Channel); ok {
		return setup.Instructions(*in, s.webhookURL(in))
	}
	return nil
}

func (s *Server) getInboxSetup(w http.ResponseWriter, r *http.Request) {
	in, err := s.inboxOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	ins := s.setupOf(in)
	if ins == nil {
		ins = []channel.Instruction{}
	}
	writeJSON(w, http.StatusOK, inboxSetup{WebhookURL: s.webhookURL(in), Instructions: ins})
}

func checkWebhookURL(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(v) > 2048 {
		return care.Errorf(care.EINVALID, "webhook_url must be an http or https URL.")
	}
	return nil
}

func (s *Server) createInbox(w http.ResponseWriter, r *http.Request) {
	var req inboxRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	resp, err := s.ConnectInbox(r.Context(), principal(r), req.Channel, req.Name, req.ExternalID, req.WebhookURL, req.Credentials)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, resp)
}

// ConnectInbox creates an inbox of the principal's workspace: it checks the
// request, lets the channel's adapter prepare and check the credentials
// (generating what Parley generates, such as a verify token), stores the
// inbox with its credentials sealed, and records it in the audit trail.
// The answer carries what is shown once (an API inbox's token and webhook
// secret) and what the admin pastes into the platform's console. The web
// interface's connect form calls it too.
func (s *Server) ConnectInbox(ctx context.Context, p care.Principal, ch care.Channel, name, externalID, webhookURL string, creds map[string]string) (*InboxSecrets, error) {
	name = strings.TrimSpace(name)
	switch {
	case !ch.Valid():
		return nil, care.Errorf(care.EINVALID, "channel must be a channel name such as api, x, facebook or whatsapp.")
	case name == "" || len(name) > 100:
		return nil, care.Errorf(care.EINVALID, "An inbox needs a name of up to 100 bytes.")
	case len(externalID) > care.MaxPlatformIDBytes:
		return nil, care.Errorf(care.EINVALID, "external_id is too long.")
	case len(creds) > 32:
		return nil, care.Errorf(care.EINVALID, "Too many credentials.")
	}
	// An inbox of a channel with no adapter would take no webhook and send
	// no reply: a typo ("whatsap") must not look connected.
	if _, ok := s.Adapters.Sender(ch); s.Adapters != nil && !ok {
		channels := s.Adapters.Channels()
		names := make([]string, 0, len(channels))
		for _, c := range channels {
			names = append(names, string(c))
		}
		return nil, care.Errorf(care.EINVALID, "Parley has no channel %.40q; it connects: %s.", ch, strings.Join(names, ", "))
	}
	if err := checkWebhookURL(webhookURL); err != nil {
		return nil, err
	}
	in := &care.Inbox{WorkspaceID: p.WorkspaceID, Channel: ch, Name: name, ExternalID: externalID,
		WebhookURL: webhookURL, Credentials: creds, CreatedAt: s.now()}
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	resp := &InboxSecrets{Inbox: in}
	if in.Channel == care.ChannelAPI {
		var err error
		if resp.Token, resp.WebhookSecret, err = newAPIInboxSecrets(in); err != nil {
			return nil, err
		}
	}
	if setup, ok := s.Adapters.Setup(in.Channel); ok {
		if err := setup.Prepare(in); err != nil {
			return nil, err
		}
	}
	if err := s.Store.CreateInbox(ctx, in); err != nil {
		return nil, err
	}
	resp.Setup = s.setupOf(in)
	details, _ := json.Marshal(map[string]any{"channel": in.Channel, "name": in.Name})
	if err := s.Store.AppendAudit(ctx, &care.AuditEntry{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), Action: "inbox.create",
		Target: idTarget("inbox", in.ID), Details: details, CreatedAt: s.now()}); err != nil {
		s.logger().ErrorContext(ctx, "audit failed", "action", "inbox.create", "err", err)
	}
	return resp, nil
}

// SetupOf returns the inbox's webhook URL and the values to paste into
// the platform's console.
func (s *Server) SetupOf(in *care.Inbox) (webhookURL string, instructions []channel.Instruction) {
	return s.webhookURL(in), s.setupOf(in)
}

// newAPIInboxSecrets sets a fresh inbox token and webhook secret on in and
// returns them in clear, for showing once.
func newAPIInboxSecrets(in *care.Inbox) (token, webhookSecret string, err error) {
	token, hash, err := auth.NewToken("prl_inbox_")
	if err != nil {
		return "", "", err
	}
	webhookSecret, _, err = auth.NewToken("whsec_")
	if err != nil {
		return "", "", err
	}
	in.Credentials[credTokenHash] = hex.EncodeToString(hash)
	in.Credentials[credWebhookSecret] = webhookSecret
	return token, webhookSecret, nil
}

type inboxPatch struct {
	Name        *string           `json:"name"`
	WebhookURL  *string           `json:"webhook_url"`
	Credentials map[string]string `json:"credentials"`
}

func (s *Server) updateInbox(w http.ResponseWriter, r *http.Request) {
	in, err := s.inboxOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req inboxPatch
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	if req.Name != nil {
		if n := strings.TrimSpace(*req.Name); n == "" || len(n) > 100 {
			writeError(w, r, care.Errorf(care.EINVALID, "An inbox needs a name of up to 100 bytes."))
			return
		}
		in.Name = strings.TrimSpace(*req.Name)
	}
	if req.WebhookURL != nil {
		if err := checkWebhookURL(*req.WebhookURL); err != nil {
			writeError(w, r, err)
			return
		}
		in.WebhookURL = *req.WebhookURL
	}
	details := map[string]any{}
	if req.Name != nil {
		details["name"] = in.Name
	}
	if req.WebhookURL != nil {
		details["webhook_url"] = in.WebhookURL
	}
	if len(req.Credentials) > 0 {
		if len(req.Credentials) > 32 {
			writeError(w, r, care.Errorf(care.EINVALID, "Too many credentials."))
			return
		}
		keys := make([]string, 0, len(req.Credentials))
		if in.Credentials == nil {
			in.Credentials = map[string]string{}
		}
		for k, v := range req.Credentials {
			if v == "" {
				delete(in.Credentials, k)
			} else {
				in.Credentials[k] = v
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		details["credentials"] = keys // which, never their values
		if setup, ok := s.Adapters.Setup(in.Channel); ok {
			if err := setup.Prepare(in); err != nil {
				writeError(w, r, err)
				return
			}
		}
	}
	if err := s.Store.UpdateInbox(r.Context(), in); err != nil {
		writeError(w, r, err)
		return
	}
	s.inboxes.forget(in.ID)
	s.auditf(r, "inbox.update", idTarget("inbox", in.ID), details)
	writeJSON(w, http.StatusOK, in)
}

// rotateInbox replaces an API inbox's token and webhook secret.
func (s *Server) rotateInbox(w http.ResponseWriter, r *http.Request) {
	in, err := s.inboxOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if in.Channel != care.ChannelAPI {
		writeError(w, r, care.Errorf(care.EINVALID, "Only API inboxes have a token to rotate."))
		return
	}
	// A grace period lets the sending system and the webhook's receiver
	// change over without losing a message: both tokens are accepted, and
	// deliveries are signed with both secrets, until it ends. Without one
	// (the default, and what a leaked token needs) the old ones stop now.
	var grace time.Duration
	if v := r.URL.Query().Get("grace"); v != "" {
		grace, err = time.ParseDuration(v)
		if err != nil || grace < 0 || grace > maxRotationGrace {
			writeError(w, r, care.Errorf(care.EINVALID, "grace must be a duration such as 30m or 24h, at most %s.", "168h"))
			return
		}
	}
	oldHash, oldSecret := in.Credentials[credTokenHash], in.Credentials[credWebhookSecret]
	resp := InboxSecrets{Inbox: in}
	if resp.Token, resp.WebhookSecret, err = newAPIInboxSecrets(in); err != nil {
		writeError(w, r, err)
		return
	}
	details := map[string]any{}
	if grace > 0 {
		until := s.now().Add(grace).UTC().Truncate(time.Second)
		in.Credentials[credPrevTokenHash] = oldHash
		in.Credentials[apiinbox.PreviousSecretCredential] = oldSecret
		in.Credentials[apiinbox.PreviousUntilCredential] = until.Format(time.RFC3339)
		details["previous_valid_until"] = until
	} else {
		delete(in.Credentials, credPrevTokenHash)
		delete(in.Credentials, apiinbox.PreviousSecretCredential)
		delete(in.Credentials, apiinbox.PreviousUntilCredential)
	}
	if err := s.Store.UpdateInbox(r.Context(), in); err != nil {
		writeError(w, r, err)
		return
	}
	s.inboxes.forget(in.ID)
	s.auditf(r, "inbox.rotate", idTarget("inbox", in.ID), details)
	writeJSON(w, http.StatusOK, resp)
}

// tokenMatches reports, in constant time per hash, whether token is in's
// inbox token, or the one a rotation replaced while its grace period runs.
func tokenMatches(in *care.Inbox, token string, now time.Time) bool {
	if token == "" {
		return false
	}
	got := sha256.Sum256([]byte(token))
	match := func(key string) bool {
		want, _ := hex.DecodeString(in.Credentials[key])
		return len(want) == len(got) && subtle.ConstantTimeCompare(want, got[:]) == 1
	}
	return match(credTokenHash) || apiinbox.InGrace(in, now) && match(credPrevTokenHash)
}

// ingestAPIMessage is the API inbox: a system posts one customer message,
// authenticated by the inbox's own token. The message is durable before the
// answer; a repeated id is acknowledged as a duplicate and changes nothing.
func (s *Server) ingestAPIMessage(w http.ResponseWriter, r *http.Request) {
	started := s.now()
	outcome := "rejected"
	defer func() {
		if s.Observe != nil {
			s.Observe(care.ChannelAPI, outcome, started)
		}
	}()
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	in, err := s.inboxes.get(r.Context(), s.Store, id, started)
	if err != nil && care.ErrorCode(err) != care.ENOTFOUND {
		// Parley's fault (the database, or credentials the secret key
		// cannot open), not the sender's: a 5xx they retry, and a log
		// line for the operator, not a 401 they would give up on.
		outcome = "error"
		writeError(w, r, fmt.Errorf("api inbox %d: %w", id, err))
		return
	}
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if err != nil || in.Channel != care.ChannelAPI || !tokenMatches(in, token, started) {
		writeError(w, r, care.Errorf(care.EUNAUTHORIZED, "Unknown inbox or wrong inbox token."))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, apiinbox.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, r, care.Errorf(care.ETOOLARGE, "The message is larger than %d bytes.", apiinbox.MaxBodyBytes))
			return
		}
		writeError(w, r, care.Errorf(care.EINVALID, "The request body could not be read."))
		return
	}
	msg, err := apiinbox.Decode(body, in.ID, started)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.Ingest.Append(r.Context(), care.RawEvent{InboxID: in.ID, WorkspaceID: in.WorkspaceID,
		DedupeKey: msg.DedupeKey(), Payload: body, Inbound: msg, ReceivedAt: started})
	if err != nil {
		outcome = "error"
		writeError(w, r, err)
		return
	}
	outcome = "stored"
	if res.Duplicate {
		outcome = "duplicate"
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"id": res.ID, "duplicate": res.Duplicate, "received_at": started.UTC().Format(time.RFC3339Nano)})
}

// inboxTTL is how long an API inbox, with its token hash, is kept between
// messages: a busy inbox posts thousands a second, and loading it unseals
// its credentials each time. A rotated token is refused at once on the
// node that rotated it and within inboxTTL on the others.
const inboxTTL = 5 * time.Second

// inboxCache keeps recently used inboxes. Its zero value is ready to use.
type inboxCache struct {
	mu sync.Mutex
	m  map[care.ID]cachedInbox
}

type cachedInbox struct {
	in     *care.Inbox
	loaded time.Time
}

func (c *inboxCache) get(ctx context.Context, st care.Store, id care.ID, now time.Time) (*care.Inbox, error) {
	c.mu.Lock()
	e, ok := c.m[id]
	c.mu.Unlock()
	if ok && now.Sub(e.loaded) < inboxTTL && !now.Before(e.loaded) {
		return e.in, nil
	}
	in, err := st.Inbox(ctx, id)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 10_000 {
		c.m = map[care.ID]cachedInbox{}
	}
	c.m[id] = cachedInbox{in: in, loaded: now}
	return in, nil
}

func (c *inboxCache) forget(id care.ID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
}
