package api

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
	"github.com/parleyhq/parley/internal/channel/whatsapp"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/listen"
)

// servedOutsideRoutes are operations the document describes that Handler
// serves itself rather than through routes().
var servedOutsideRoutes = map[string]bool{"GET /api/openapi.json": true}

// requestBodies maps each route that reads a JSON body to the type it
// decodes into.
var requestBodies = map[string]any{
	"POST /api/v1/session":                         loginRequest{},
	"POST /api/v1/listening/posts":                 ListenImport{},
	"PUT /api/v1/me/password":                      passwordRequest{},
	"PATCH /api/v1/conversations/{id}":             conversationPatch{},
	"POST /api/v1/conversations/{id}/link":         linkRequest{},
	"POST /api/v1/conversations/{id}/messages":     replyRequest{},
	"POST /api/v1/conversations/{id}/template":     templateRequest{},
	"POST /api/v1/conversations/{id}/notes":        noteRequest{},
	"POST /api/v1/conversations/{id}/take-private": takePrivateRequest{},
	"POST /api/v1/conversations/{id}/dismiss":      dismissRequest{},
	"POST /api/v1/messages/{id}/approve":           approveRequest{},
	"POST /api/v1/messages/{id}/reject":            rejectRequest{},
	"POST /api/v1/messages/{id}/moderate":          moderateRequest{},
	"POST /api/v1/contacts/{id}/merge":             mergeRequest{},
	"POST /api/v1/inboxes":                         inboxRequest{},
	"PATCH /api/v1/inboxes/{id}":                   inboxPatch{},
	"POST /api/v1/inboxes/{id}/messages":           apiinbox.Message{},
	"POST /api/v1/users":                           createUserRequest{},
	"PATCH /api/v1/users/{id}":                     MemberPatch{},
	"POST /api/v1/teams":                           TeamCreate{},
	"PUT /api/v1/teams/{id}/members":               teamMembersRequest{},
	"PATCH /api/v1/teams/{id}":                     TeamPatch{},
	"PATCH /api/v1/agents/{id}":                    agentPatch{},
	"PUT /api/v1/me/presence":                      presenceRequest{},
	"POST /api/v1/me/notifications/read":           readNotificationsRequest{},
	// A setting's document is checked by the setting's own parser.
	"PUT /api/v1/settings/{name}": json.RawMessage{},
	// A rule is checked by the automation package's strict parser.
	"POST /api/v1/automation/dry-run": json.RawMessage{},
	"POST /api/v1/tokens":             tokenRequest{},
}

// responseSchemas maps component schemas to the Go types the handlers
// encode, so a renamed or added JSON field shows up here.
var responseSchemas = map[string]any{
	"ListeningReport":           listen.Report{},
	"ListenSubjectReport":       listen.SubjectReport{},
	"ListenPoint":               listen.Point{},
	"ListenSpike":               listen.Spike{},
	"ListenPost":                care.ListenPost{},
	"ListenAuthor":              care.Author{},
	"ListenPage":                ListenPage{},
	"ListenImportResult":        ListenImportResult{},
	"ValueReport":               ValueReport{},
	"ValueInputs":               ValueInputs{},
	"ValueRow":                  ValueRow{},
	"Attachment":                care.Attachment{},
	"AuditEntry":                care.AuditEntry{},
	"Contact":                   care.Contact{},
	"Conversation":              care.Conversation{},
	"ConversationPage":          care.ConversationPage{},
	"Event":                     care.Event{},
	"Identity":                  care.Identity{},
	"Inbox":                     care.Inbox{},
	"InboxView":                 inboxView{},
	"Capabilities":              channel.Capabilities{},
	"ReplyRule":                 channel.ReplyRule{},
	"InboxSecrets":              InboxSecrets{},
	"InboxSetup":                inboxSetup{},
	"WhatsAppTemplate":          whatsapp.TemplateDef{},
	"InboxHealth":               care.InboxHealth{},
	"Instruction":               channel.Instruction{},
	"Member":                    memberView{},
	"Membership":                care.Member{},
	"Merge":                     care.Merge{},
	"Notification":              care.Notification{},
	"NotificationList":          notificationList{},
	"ReadNotificationsResponse": readNotificationsResponse{},
	"Message":                   care.Message{},
	"Reaction":                  care.Reaction{},
	"Triage":                    care.Triage{},
	"Agent":                     care.Agent{},
	"QueueStats":                care.QueueStats{},
	"QueueKind":                 care.KindStats{},
	"PriorityInputs":            care.PriorityInputs{},
	"Skills":                    care.Skills{},
	"SLAReportRow":              SLAReportRow{},
	"SLAReport":                 SLAReport{},
	"DryRunResult":              dryRunResult{},
	"Survey":                    care.Survey{},
	"CSATReportRow":             CSATReportRow{},
	"CSATReport":                CSATReport{},
	"StaffingReport":            StaffingReport{},
	"StaffingQueue":             StaffingQueue{},
	"StaffingHistory":           StaffingPast{},
	"StaffingTotals":            StaffingTotals{},
	"StaffingHour":              StaffingHour{},
	"Approval":                  desk.Approval{},
	"Problem":                   problem{},
	"SearchHit":                 care.SearchHit{},
	"Session":                   sessionResponse{},
	"Team":                      care.Team{},
	"Token":                     care.Token{},
	"User":                      care.User{},
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// openAPIDoc is the embedded document as generic JSON, for following $refs.
func openAPIDoc(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.1.") {
		t.Fatalf("openapi = %q, want 3.1.x", v)
	}
	return doc
}

// operations returns the document's operations by "METHOD /path".
func operations(doc map[string]any) map[string]map[string]any {
	ops := map[string]map[string]any{}
	paths, _ := doc["paths"].(map[string]any)
	for path, item := range paths {
		item, _ := item.(map[string]any)
		for _, m := range httpMethods {
			if op, ok := item[m].(map[string]any); ok {
				ops[strings.ToUpper(m)+" "+path] = op
			}
		}
	}
	return ops
}

// resolve follows $ref until it reaches a value that is not a reference.
func resolve(t *testing.T, doc map[string]any, v any) map[string]any {
	t.Helper()
	for range 10 {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("expected a JSON object, got %T", v)
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		target, err := pointer(doc, ref)
		if err != nil {
			t.Fatal(err)
		}
		v = target
	}
	t.Fatalf("$ref chain too long at %v", v)
	return nil
}

// pointer resolves a local JSON reference such as #/components/schemas/X.
func pointer(doc map[string]any, ref string) (any, error) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, &refError{ref, "is not a local reference"}
	}
	var cur any = doc
	for _, part := range strings.Split(rest, "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, &refError{ref, "passes through a non-object"}
		}
		if cur, ok = m[part]; !ok {
			return nil, &refError{ref, "names nothing"}
		}
	}
	return cur, nil
}

type refError struct{ ref, why string }

func (e *refError) Error() string { return "$ref " + e.ref + " " + e.why }

func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := openAPIDoc(t)
	ops := operations(doc)
	routes := (&Server{}).Routes()

	t.Run("every route is documented", func(t *testing.T) {
		for _, rt := range routes {
			key := rt.Method + " " + rt.Pattern
			op, ok := ops[key]
			if !ok {
				t.Errorf("%s is served but not in openapi.json", key)
				continue
			}
			want := string(rt.Role)
			if want == "" {
				want = "none"
			}
			if got, _ := op["x-parley-role"].(string); got != want {
				t.Errorf("%s: x-parley-role = %q, want %q (the role in routes.go)", key, got, want)
			}
			if rt.Role != "" && !strings.Contains(op["description"].(string), "**"+string(rt.Role)+"**") {
				t.Errorf("%s: description does not name the %s role it needs", key, rt.Role)
			}
		}
	})

	t.Run("every operation is served", func(t *testing.T) {
		served := map[string]bool{}
		for _, rt := range routes {
			served[rt.Method+" "+rt.Pattern] = true
		}
		for key := range ops {
			if !served[key] && !servedOutsideRoutes[key] {
				t.Errorf("openapi.json documents %s, which no route serves", key)
			}
		}
	})

	t.Run("path parameters", func(t *testing.T) {
		wildcard := regexp.MustCompile(`\{([^}]+)\}`)
		paths := doc["paths"].(map[string]any)
		for path, item := range paths {
			item := item.(map[string]any)
			var want []string
			for _, m := range wildcard.FindAllStringSubmatch(path, -1) {
				want = append(want, m[1])
			}
			for _, m := range httpMethods {
				op, ok := item[m].(map[string]any)
				if !ok {
					continue
				}
				var got []string
				for _, list := range []any{item["parameters"], op["parameters"]} {
					ps, _ := list.([]any)
					for _, p := range ps {
						p := resolve(t, doc, p)
						if p["in"] == "path" {
							if p["required"] != true {
								t.Errorf("%s %s: path parameter %v is not required", m, path, p["name"])
							}
							got = append(got, p["name"].(string))
						}
					}
				}
				sort.Strings(got)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s %s path parameters (-template +declared):\n%s", m, path, diff)
				}
			}
		}
	})

	t.Run("responses", func(t *testing.T) {
		roles := map[string]care.Role{}
		for _, rt := range routes {
			roles[rt.Method+" "+rt.Pattern] = rt.Role
		}
		for key, op := range ops {
			resps, _ := op["responses"].(map[string]any)
			has2xx := false
			for code, r := range resps {
				if strings.HasPrefix(code, "2") {
					has2xx = true
					continue
				}
				if code[0] == '4' || code[0] == '5' {
					checkProblem(t, doc, key+" "+code, r)
				}
			}
			if !has2xx {
				t.Errorf("%s declares no 2xx response", key)
			}
			if roles[key] != "" {
				for _, code := range []string{"401", "403"} {
					if _, ok := resps[code]; !ok {
						t.Errorf("%s needs a role but does not declare %s", key, code)
					}
				}
				if !hasSecurity(op, doc, "bearerAuth") || !hasSecurity(op, doc, "cookieAuth") {
					t.Errorf("%s needs a role but does not accept bearerAuth and cookieAuth", key)
				}
			} else if _, ok := op["security"]; !ok {
				t.Errorf("%s authenticates by its own means but inherits the document's security", key)
			}
		}
		if !hasSecurity(ops["POST /api/v1/inboxes/{id}/messages"], doc, "inboxToken") {
			t.Errorf("the API inbox route does not declare inboxToken security")
		}
	})

	t.Run("every $ref resolves", func(t *testing.T) {
		var refs []string
		collectRefs(doc, &refs)
		if len(refs) == 0 {
			t.Fatal("no $ref found")
		}
		used := map[string]bool{}
		for _, ref := range refs {
			if _, err := pointer(doc, ref); err != nil {
				t.Error(err)
			}
			used[ref] = true
		}
		comps := doc["components"].(map[string]any)
		for _, kind := range []string{"schemas", "responses"} {
			for name := range comps[kind].(map[string]any) {
				if ref := "#/components/" + kind + "/" + name; !used[ref] {
					t.Errorf("%s is never referenced", ref)
				}
			}
		}
	})

	t.Run("webhook", func(t *testing.T) {
		wh, _ := doc["webhooks"].(map[string]any)
		post, _ := resolve(t, doc, wh["messageCreated"])["post"].(map[string]any)
		if post == nil {
			t.Fatal("webhooks.messageCreated.post is missing")
		}
		desc, _ := post["description"].(string)
		for _, want := range []string{apiinbox.SignatureHeader, "HMAC-SHA256", "Idempotency-Key"} {
			if !strings.Contains(desc, want) && !strings.Contains(mustJSON(t, post["parameters"]), want) {
				t.Errorf("the webhook does not mention %s", want)
			}
		}
	})
}

func checkProblem(t *testing.T, doc map[string]any, where string, r any) {
	t.Helper()
	resp := resolve(t, doc, r)
	content, _ := resp["content"].(map[string]any)
	pj, _ := content["application/problem+json"].(map[string]any)
	if pj == nil {
		t.Errorf("%s is not application/problem+json", where)
		return
	}
	if ref, _ := pj["schema"].(map[string]any)["$ref"].(string); ref != "#/components/schemas/Problem" {
		t.Errorf("%s schema = %v, want the Problem schema", where, pj["schema"])
	}
}

func hasSecurity(op map[string]any, doc map[string]any, scheme string) bool {
	sec, ok := op["security"]
	if !ok {
		sec = doc["security"]
	}
	list, _ := sec.([]any)
	for _, req := range list {
		if _, ok := req.(map[string]any)[scheme]; ok {
			return true
		}
	}
	return false
}

func collectRefs(v any, refs *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if s, ok := e.(string); ok && k == "$ref" {
				*refs = append(*refs, s)
				continue
			}
			collectRefs(e, refs)
		}
	case []any:
		for _, e := range v {
			collectRefs(e, refs)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestOpenAPIRequestBodies(t *testing.T) {
	doc := openAPIDoc(t)
	ops := operations(doc)
	for key, op := range ops {
		body, hasBody := op["requestBody"]
		typ, inTable := requestBodies[key]
		switch {
		case hasBody && !inTable:
			t.Errorf("%s documents a request body; add its Go type to requestBodies", key)
			continue
		case !hasBody && inTable:
			t.Errorf("%s reads a %T body but documents none", key, typ)
			continue
		case !hasBody:
			continue
		}
		t.Run(key, func(t *testing.T) {
			content := resolve(t, doc, body)["content"].(map[string]any)
			mt, ok := content["application/json"].(map[string]any)
			if !ok {
				t.Fatalf("request body is not application/json: %v", content)
			}
			schema := resolve(t, doc, mt["schema"])
			if _, free := typ.(json.RawMessage); free {
				return
			}
			// The decoder rejects unknown fields, so the schema must too.
			if schema["additionalProperties"] != false {
				t.Errorf("schema allows additional properties; the decoder rejects them")
			}
			checkSchema(t, doc, schema, reflect.TypeOf(typ), false, "body")
		})
	}
	for key := range requestBodies {
		if _, ok := ops[key]; !ok {
			t.Errorf("requestBodies names %s, which the document lacks", key)
		}
	}
}

func TestOpenAPIResponseSchemas(t *testing.T) {
	doc := openAPIDoc(t)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for name, typ := range responseSchemas {
		t.Run(name, func(t *testing.T) {
			s, ok := schemas[name]
			if !ok {
				t.Fatalf("components.schemas.%s is missing", name)
			}
			checkSchema(t, doc, resolve(t, doc, s), reflect.TypeOf(typ), true, name)
		})
	}
}

// jsonField is one field as encoding/json sees it.
type jsonField struct {
	name string
	// omitEmpty is true for a field that may be left out (omitempty or
	// omitzero).
	omitEmpty bool
	typ       reflect.Type
}

func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" && f.Anonymous {
			// An embedded struct's fields are encoded as the outer's.
			typ := f.Type
			if typ.Kind() == reflect.Pointer {
				typ = typ.Elem()
			}
			if typ.Kind() == reflect.Struct {
				out = append(out, jsonFields(typ)...)
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		o := strings.Split(opts, ",")
		out = append(out, jsonField{name: name, omitEmpty: slices.Contains(o, "omitempty") || slices.Contains(o, "omitzero"), typ: f.Type})
	}
	return out
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// checkSchema compares an object schema with a struct: the same property
// names and, property by property, a JSON type that the Go type encodes to
// and decodes from. For a response (strict), required must list exactly the
// fields that are always present, those without omitempty.
func checkSchema(t *testing.T, doc, schema map[string]any, typ reflect.Type, response bool, where string) {
	t.Helper()
	props, _ := schema["properties"].(map[string]any)
	fields := jsonFields(typ)
	var wantNames, gotNames, wantRequired, gotRequired []string
	for _, f := range fields {
		wantNames = append(wantNames, f.name)
		if !f.omitEmpty {
			wantRequired = append(wantRequired, f.name)
		}
	}
	for name := range props {
		gotNames = append(gotNames, name)
	}
	req, _ := schema["required"].([]any)
	for _, r := range req {
		gotRequired = append(gotRequired, r.(string))
		if _, ok := props[r.(string)]; !ok {
			t.Errorf("%s: required names %q, which is not a property", where, r)
		}
	}
	sort.Strings(wantNames)
	sort.Strings(gotNames)
	if diff := cmp.Diff(wantNames, gotNames); diff != "" {
		t.Errorf("%s: property names differ from %v's JSON fields (-go +schema):\n%s", where, typ, diff)
	}
	if response {
		sort.Strings(wantRequired)
		sort.Strings(gotRequired)
		if diff := cmp.Diff(wantRequired, gotRequired); diff != "" {
			t.Errorf("%s: required differs from %v's fields without omitempty (-go +schema):\n%s", where, typ, diff)
		}
	}
	for _, f := range fields {
		p, ok := props[f.name]
		if !ok {
			continue
		}
		checkType(t, doc, resolve(t, doc, p), f.typ, response, where+"."+f.name)
	}
}

func checkType(t *testing.T, doc, schema map[string]any, typ reflect.Type, response bool, where string) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ == rawType {
		return // any JSON
	}
	want := ""
	switch {
	case typ == timeType:
		want = "string"
		if schema["format"] != "date-time" {
			t.Errorf("%s: a time should have format date-time, has %v", where, schema["format"])
		}
	case typ.Kind() == reflect.String:
		want = "string"
	case typ.Kind() == reflect.Bool:
		want = "boolean"
	case typ.Kind() >= reflect.Int && typ.Kind() <= reflect.Uint64:
		want = "integer"
	case typ.Kind() == reflect.Float32 || typ.Kind() == reflect.Float64:
		want = "number"
	case typ.Kind() == reflect.Slice:
		want = "array"
	case typ.Kind() == reflect.Map || typ.Kind() == reflect.Struct:
		want = "object"
	}
	if got := schema["type"]; got != want {
		t.Errorf("%s: schema type = %v, want %s for Go %v", where, got, want, typ)
		return
	}
	switch {
	case typ.Kind() == reflect.Slice:
		items, ok := schema["items"]
		if !ok {
			t.Errorf("%s: array without items", where)
			return
		}
		checkType(t, doc, resolve(t, doc, items), typ.Elem(), response, where+"[]")
	case typ.Kind() == reflect.Struct && typ != timeType:
		checkSchema(t, doc, schema, typ, response, where)
	}
}

// TestProblemStatuses keeps the ErrorCode enum and the status table of
// problem.go in step.
func TestProblemStatuses(t *testing.T) {
	doc := openAPIDoc(t)
	enum := doc["components"].(map[string]any)["schemas"].(map[string]any)["ErrorCode"].(map[string]any)["enum"].([]any)
	var got, want []string
	for _, e := range enum {
		got = append(got, e.(string))
	}
	for code, status := range statusOf {
		want = append(want, code)
		if http.StatusText(status) == "" {
			t.Errorf("code %s maps to unknown status %d", code, status)
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ErrorCode enum (-problem.go +openapi.json):\n%s", diff)
	}
}
