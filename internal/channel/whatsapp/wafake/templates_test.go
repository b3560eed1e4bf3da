package wafake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// TestTemplateParameterShape: a named template takes its values by name and
// a positional one in order, as the Cloud API checks them.
func TestTemplateParameterShape(t *testing.T) {
	f, srv := newFake(t)
	f.Approve(Template{Name: "order_ready", Language: "en_US", Category: "utility", ParameterFormat: "NAMED",
		Header: "Hi {{first_name}}", Body: "Order {{order_id}} is ready, {{first_name}}."})
	f.AddTemplate("order_update", "en_US", "utility", 2)
	f.Approve(Template{Name: "not_yet", Language: "en_US", Body: "Soon", Status: "PENDING"})
	url := srv.URL + "/v26.0/" + DefaultPhoneNumberID + "/messages"
	send := func(name, components string) string {
		return `{"messaging_product":"whatsapp","to":"16505550002","type":"template","template":{"name":"` + name +
			`","language":{"code":"en_US"},"components":[` + components + `]}}`
	}
	const header = `{"type":"header","parameters":[{"type":"text","parameter_name":"first_name","text":"Ana"}]}`
	body := func(params string) string { return `{"type":"body","parameters":[` + params + `]}` }
	named := `{"type":"text","parameter_name":"order_id","text":"#1"},{"type":"text","parameter_name":"first_name","text":"Ana"}`
	for _, tt := range []struct {
		name    string
		body    string
		status  int
		code    float64
		details string
	}{
		{"named by name", send("order_ready", header+","+body(named)), 200, 0, ""},
		{"named in order", send("order_ready", header+","+body(`{"type":"text","text":"#1"},{"type":"text","text":"Ana"}`)),
			400, 100, "Parameter name is missing or empty"},
		{"named, header in order", send("order_ready", `{"type":"header","parameters":[{"type":"text","text":"Ana"}]},`+body(named)),
			400, 100, "Parameter name is missing or empty"},
		{"named, one missing", send("order_ready", header+","+body(`{"type":"text","parameter_name":"order_id","text":"#1"}`)),
			400, 132000, "body: number of localizable_params (1) does not match the expected number of params (2)"},
		{"named, unknown name", send("order_ready", header+","+body(`{"type":"text","parameter_name":"order","text":"#1"},{"type":"text","parameter_name":"first_name","text":"Ana"}`)),
			400, 132012, "body: parameter_name (order) does not match a parameter of the template"},
		{"named, one name twice", send("order_ready", header+","+body(`{"type":"text","parameter_name":"first_name","text":"#1"},{"type":"text","parameter_name":"first_name","text":"Ana"}`)),
			400, 132012, "body: parameter_name (first_name) does not match a parameter of the template"},
		{"not approved yet", send("not_yet", ``), 404, 132001, "template name (not_yet) does not exist in en_US"},
		{"positional in order", send("order_update", body(`{"type":"text","text":"#1"},{"type":"text","text":"Tue"}`)), 200, 0, ""},
		{"positional by name", send("order_update", body(`{"type":"text","parameter_name":"a","text":"#1"},{"type":"text","parameter_name":"b","text":"Tue"}`)),
			400, 132012, "body: the template's parameters are positional; parameter_name (a) is not expected"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, m := post(t, url, DefaultAccessToken, tt.body)
			if status != tt.status || errorCode(m) != tt.code {
				t.Fatalf("POST = %d %v, want %d with code %v", status, m, tt.status, tt.code)
			}
			if tt.details != "" {
				e := m["error"].(map[string]any)
				if d := e["error_data"].(map[string]any)["details"]; d != tt.details {
					t.Errorf("details = %q, want %q", d, tt.details)
				}
			}
		})
	}
	if n := len(f.Sent()); n != 2 {
		t.Errorf("the fake accepted %d messages, want 2", n)
	}
}

func TestTemplateList(t *testing.T) {
	f, srv := newFake(t)
	f.Approve(Template{Name: "order_ready", Language: "en_US", Category: "utility", ParameterFormat: "NAMED",
		Header: "Hi {{first_name}}", Body: "Order {{order_id}} is ready."})
	for i := range 3 {
		f.AddTemplate(fmt.Sprintf("bulk_%d", i), "de", "marketing", i)
	}
	get := func(path, token string) (int, map[string]any) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	var names []string
	path := "/v26.0/" + DefaultWABAID + "/message_templates?fields=name,language,parameter_format,components&limit=2"
	for pages := 0; path != ""; pages++ {
		if pages > 3 {
			t.Fatal("the list does not end")
		}
		status, m := get(path, DefaultAccessToken)
		if status != 200 {
			t.Fatalf("GET %s = %d %v", path, status, m)
		}
		for _, d := range m["data"].([]any) {
			d := d.(map[string]any)
			names = append(names, d["name"].(string))
			if d["name"] == "order_ready" {
				comps := d["components"].([]any)
				if d["parameter_format"] != "NAMED" || d["status"] != "APPROVED" || len(comps) != 2 ||
					comps[0].(map[string]any)["text"] != "Hi {{first_name}}" || comps[1].(map[string]any)["type"] != "BODY" {
					t.Errorf("order_ready listed as %v", d)
				}
			}
		}
		path = ""
		if next, ok := m["paging"].(map[string]any)["next"].(string); ok {
			path = next[len(srv.URL):]
		}
	}
	want := []string{"bulk_0", "bulk_1", "bulk_2", "hello_world", "order_ready"}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Errorf("listed %v, want %v", names, want)
	}
	if status, m := get("/"+DefaultWABAID+"/message_templates", DefaultAccessToken); status != 200 || len(m["data"].([]any)) != 5 {
		t.Errorf("without the version: %d %v", status, m)
	}
	if status, m := get("/v26.0/"+DefaultWABAID+"/message_templates", "nope"); status != 401 || errorCode(m) != 190 {
		t.Errorf("with a wrong token: %d %v", status, m)
	}
}
