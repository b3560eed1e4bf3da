package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Template lists are read from the Graph API and kept in memory: an agent
// opening a conversation, and a send, need not ask Meta each time.
const (
	// TemplateMaxAge is how long a template list is used before it is
	// read again.
	TemplateMaxAge = 5 * time.Minute
	// templateRecheck is how old a list may be when a template is not in
	// it: one just approved is found within this.
	templateRecheck = 30 * time.Second
	// templateErrorAge is how long a failure to read the list stands, so
	// that pages do not wait on Meta at every load while it is down.
	templateErrorAge = time.Minute
	// maxTemplatePages bounds how many pages of 100 are read.
	maxTemplatePages = 20
	// maxTemplatePageBytes bounds one page of the list.
	maxTemplatePageBytes = 4 << 20
	// templateFields are the fields of the list asked for.
	templateFields = "name,language,status,category,parameter_format,components"
)

// ErrNoTemplateList says Parley cannot read an inbox's templates: it has
// no waba_id credential.
var ErrNoTemplateList = errors.New("whatsapp: the inbox has no waba_id, so its templates cannot be read")

// TemplateSource reads a WhatsApp inbox's templates; the Adapter is one.
type TemplateSource interface {
	// Templates returns the templates of the inbox's WhatsApp Business
	// Account, read at most maxAge ago. It returns ErrNoTemplateList for
	// an inbox without a waba_id.
	Templates(ctx context.Context, in care.Inbox, maxAge time.Duration) ([]TemplateDef, error)
}

var _ TemplateSource = (*Adapter)(nil)

// templateCache holds each inbox's template list.
type templateCache struct {
	mu sync.Mutex
	m  map[templateKey]templateEntry
}

// templateKey names a list: the account and the credentials it was read
// with, so a changed token or base is read afresh.
type templateKey struct {
	inbox            care.ID
	base, waba, auth string
}

type templateEntry struct {
	at   time.Time
	defs []TemplateDef
	err  error
}

// Templates returns the templates of in's WhatsApp Business Account (its
// waba_id credential), from GET /{waba id}/message_templates with the
// inbox's token, which needs the whatsapp_business_management permission.
// A list read less than maxAge ago is used again.
func (a *Adapter) Templates(ctx context.Context, in care.Inbox, maxAge time.Duration) ([]TemplateDef, error) {
	waba := in.Credentials[CredWABAID]
	if waba == "" {
		return nil, ErrNoTemplateList
	}
	base, err := a.baseURL(in)
	if err != nil {
		return nil, err
	}
	key := templateKey{inbox: in.ID, base: base, waba: waba, auth: in.Credentials[CredAccessToken]}
	now := a.now()
	a.templates.mu.Lock()
	e, ok := a.templates.m[key]
	a.templates.mu.Unlock()
	if ok && now.Sub(e.at) >= 0 && (now.Sub(e.at) < maxAge && e.err == nil || now.Sub(e.at) < min(maxAge, templateErrorAge) && e.err != nil) {
		return e.defs, e.err
	}
	defs, err := a.readTemplates(ctx, base, waba, key.auth)
	if err != nil && ctx.Err() != nil {
		// The caller gave up; that says nothing of Meta.
		return nil, err
	}
	a.templates.mu.Lock()
	if a.templates.m == nil {
		a.templates.m = map[templateKey]templateEntry{}
	}
	a.templates.m[key] = templateEntry{at: now, defs: defs, err: err}
	a.templates.mu.Unlock()
	return defs, err
}

// readTemplates reads the template list, page by page.
func (a *Adapter) readTemplates(ctx context.Context, base, waba, token string) ([]TemplateDef, error) {
	if !isDigits(waba) || len(waba) > 32 {
		return nil, care.Errorf(care.EINVALID, "The inbox's waba_id must be the WhatsApp Business Account id, in digits.")
	}
	if token == "" {
		return nil, care.Errorf(care.EINVALID, "The inbox has no access_token.")
	}
	var all []TemplateDef
	after := ""
	for range maxTemplatePages {
		q := url.Values{"fields": {templateFields}, "limit": {"100"}}
		if after != "" {
			q.Set("after", after)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/"+waba+"/message_templates?"+q.Encode(), nil)
		if err != nil {
			return nil, fmt.Errorf("whatsapp: reading templates: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := a.client().Do(req)
		if err != nil {
			return nil, fmt.Errorf("whatsapp: reading templates: %w", err)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxTemplatePageBytes))
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("whatsapp: reading templates: %w", err)
		}
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return nil, fmt.Errorf("whatsapp: reading templates: %w", sendError(resp, body, a.now()))
		}
		defs, next, err := parseTemplateList(body)
		if err != nil {
			return nil, err
		}
		all = append(all, defs...)
		if next == "" || next == after {
			break
		}
		after = next
	}
	return all, nil
}

// LookupTemplate finds the template name in language among src's
// templates for in; found is false when the list, read again if it is
// older than a few seconds, does not have it. It returns
// ErrNoTemplateList when in has no waba_id.
func LookupTemplate(ctx context.Context, src TemplateSource, in care.Inbox, name, language string) (d TemplateDef, found bool, err error) {
	for _, age := range []time.Duration{TemplateMaxAge, templateRecheck} {
		defs, err := src.Templates(ctx, in, age)
		if err != nil {
			return TemplateDef{}, false, err
		}
		for _, d := range defs {
			if d.Name == name && d.Language == language {
				return d, true, nil
			}
		}
	}
	return TemplateDef{}, false, nil
}

// FillTemplate builds the template v asks for, checked against its
// definition in in's WhatsApp Business Account, and the text the
// conversation keeps of it (the approved wording, filled in). It returns
// EINVALID naming what is wrong: a template the account does not have or
// has not had approved, a parameter missing, one the template does not
// have. When the list cannot be read (src is nil, the inbox has no waba_id,
// or Meta does not answer) the template is built from v alone, and
// WhatsApp checks it when it is sent.
func FillTemplate(ctx context.Context, src TemplateSource, in care.Inbox, v TemplateValues) (Template, string, error) {
	if !templateName(v.Name) {
		return Template{}, "", care.Errorf(care.EINVALID, "A WhatsApp template name is lower-case letters, digits and underscores.")
	}
	if !languageCode(v.Language) {
		return Template{}, "", care.Errorf(care.EINVALID, "A WhatsApp template needs its language code, such as en_US.")
	}
	if src != nil {
		d, found, err := LookupTemplate(ctx, src, in, v.Name, v.Language)
		switch {
		case err != nil:
			// Unchecked: the send checks again.
		case !found:
			return Template{}, "", care.Errorf(care.EINVALID, "The WhatsApp Business Account has no template %s in %s: check its name and language in WhatsApp Manager.", v.Name, v.Language)
		case !d.Approved():
			return Template{}, "", care.Errorf(care.EINVALID, "Template %s in %s is %s: WhatsApp sends approved templates only.", v.Name, v.Language, d.Status)
		default:
			t, err := d.Fill(v)
			if err != nil {
				return Template{}, "", err
			}
			return t, "[Template " + t.Name + " · " + t.Language + "]\n" + d.Text(t), nil
		}
	}
	t, err := v.Build()
	if err != nil {
		return Template{}, "", err
	}
	return t, t.Summary(), nil
}

// fitTemplate checks a template attachment against the account's template
// before it is sent, and names its parameters if the template's are named
// (see TemplateDef.fit). An attachment Parley cannot check is returned as
// it is: WhatsApp checks it.
func (a *Adapter) fitTemplate(ctx context.Context, in care.Inbox, att care.Attachment) (care.Attachment, error) {
	t, err := ParseTemplate(att)
	if err != nil {
		return att, nil // compose says what is wrong
	}
	d, found, err := LookupTemplate(ctx, a, in, t.Name, t.Language)
	if err != nil || !found {
		if err != nil && !errors.Is(err, ErrNoTemplateList) {
			a.logger().Info("whatsapp: sending a template unchecked: its definition could not be read", "inbox", in.ID, "template", t.Name, "err", err)
		}
		return att, nil
	}
	fitted, err := d.fit(t)
	if err != nil {
		return att, err
	}
	out := fitted.Attachment()
	out.Name = att.Name
	if out.Name == "" {
		out.Name = fitted.Name
	}
	return out, nil
}
