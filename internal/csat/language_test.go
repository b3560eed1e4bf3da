package csat_test

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/csat"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/testdb"
)

// A customer is surveyed in the language of their conversation, message and
// page alike, and in the workspace's own when Parley has no text for theirs.
func TestSurveyInCustomerLanguage(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := t.Context()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	must(t, s.CreateWorkspace(ctx, ws))
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelAPI, Name: "Web"}
	must(t, s.CreateInbox(ctx, in))
	// The workspace's own question is English, and a Swedish one besides.
	must(t, s.SetSetting(ctx, ws.ID, csat.SettingName, []byte(`{"enabled":true,
		"question":"Thanks for choosing Acme! How did we do? {link}",
		"questions":{"sv":"Tack för att du valde Acme! Hur gick det? {link}"}}`), now))
	srv := httptest.NewServer(nil)
	defer srv.Close()
	sv := &csat.Surveyor{Store: s, PublicURL: srv.URL, Now: func() time.Time { return now }}
	mux := http.NewServeMux()
	sv.Routes(mux)
	srv.Config.Handler = mux
	d := &desk.Service{Store: s, Survey: sv, Now: func() time.Time { return now }}
	admin := care.Principal{WorkspaceID: ws.ID, Role: care.RoleAdmin, TokenID: 1}
	resolved := care.StatusResolved

	get := func(t *testing.T, link, acceptLanguage string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
		must(t, err)
		if acceptLanguage != "" {
			req.Header.Set("Accept-Language", acceptLanguage)
		}
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	post := func(t *testing.T, link string, form url.Values) (int, string) {
		t.Helper()
		resp, err := http.PostForm(link, form)
		must(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// contains checks for each of want, markup as it is and text escaped,
	// as the page writes it.
	contains := func(t *testing.T, what, body string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.HasPrefix(w, "<") {
				w = html.EscapeString(w)
			}
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q:\n%s", what, w, body)
			}
		}
	}

	for _, tt := range []struct {
		// The conversation's language, the start of the survey message, and
		// the page's <html lang>; then what the page says.
		conversation, message, page                string
		title, thanks, chooseScore, answered, gone string
	}{
		{"en", "Thanks for choosing Acme! How did we do? ", "en",
			"How did we do?", "Your answer helps us do better.", "Choose a score from 1 to 5.", "You already told us: 4 out of 5.", "This link doesn't work"},
		{"", "Thanks for choosing Acme! How did we do? ", "en",
			"How did we do?", "Your answer helps us do better.", "Choose a score from 1 to 5.", "You already told us: 4 out of 5.", "This link doesn't work"},
		{"es", "¡Gracias por escribirnos! ¿Qué tal te atendimos? Un clic, del 1 al 5: ", "es",
			"¿Qué tal te atendimos?", "Tu respuesta nos ayuda a mejorar.", "Elige una puntuación del 1 al 5.", "Ya nos diste tu opinión: 4 de 5.", "Este enlace no funciona"},
		{"fr", "Merci de nous avoir contactés ! Qu'avez-vous pensé de notre échange ? Un clic, de 1 à 5 : ", "fr",
			"Qu'avez-vous pensé de notre échange\u00a0?", "Votre avis nous aide à nous améliorer.", "Choisissez une note de 1 à 5.", "Vous nous avez déjà répondu\u00a0: 4 sur 5.", "Ce lien ne fonctionne pas"},
		{"de", "Danke für Ihre Nachricht! Wie zufrieden waren Sie mit uns? Ein Klick, von 1 bis 5: ", "de",
			"Wie zufrieden waren Sie?", "Ihre Antwort hilft uns, besser zu werden.", "Bitte wählen Sie eine Bewertung von 1 bis 5.", "Sie haben uns schon bewertet: 4 von 5.", "Dieser Link funktioniert nicht"},
		{"pt", "Obrigado pela sua mensagem! Como avalia o nosso atendimento? Um clique, de 1 a 5: ", "pt",
			"Como avalia o nosso atendimento?", "A sua opinião ajuda-nos a melhorar.", "Escolha uma nota de 1 a 5.", "Já recebemos a sua avaliação: 4 em 5.", "Este link não funciona"},
		{"it", "Grazie per averci scritto! Com'è andata? Un clic, da 1 a 5: ", "it",
			"Com'è andata?", "La tua risposta ci aiuta a migliorare.", "Scegli un voto da 1 a 5.", "Ci hai già dato il tuo voto: 4 su 5.", "Questo link non funziona"},
		{"nl", "Bedankt voor je bericht! Hoe vond je onze hulp? Eén klik, van 1 tot 5: ", "nl",
			"Hoe vond je onze hulp?", "Met jouw antwoord kunnen we het nog beter doen.", "Kies een cijfer van 1 tot 5.", "Je hebt ons al beoordeeld: 4 van de 5.", "Deze link werkt niet"},
		// The workspace wrote Swedish; the page falls back to its language.
		{"sv", "Tack för att du valde Acme! Hur gick det? ", "en",
			"How did we do?", "Your answer helps us do better.", "Choose a score from 1 to 5.", "You already told us: 4 out of 5.", "This link doesn't work"},
		// No text at all for Polish: the workspace's question and page.
		{"pl", "Thanks for choosing Acme! How did we do? ", "en",
			"How did we do?", "Your answer helps us do better.", "Choose a score from 1 to 5.", "You already told us: 4 out of 5.", "This link doesn't work"},
	} {
		t.Run("language="+tt.conversation, func(t *testing.T) {
			id, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelAPI, care.Author{PlatformUserID: "customer-" + tt.conversation}, now)
			must(t, err)
			c := &care.Conversation{WorkspaceID: ws.ID, InboxID: in.ID, Channel: in.Channel, ContactID: id.ContactID, Language: tt.conversation}
			must(t, s.CreateConversation(ctx, c))
			must(t, s.CreateMessage(ctx, &care.Message{WorkspaceID: ws.ID, ConversationID: c.ID, InboxID: in.ID, Direction: care.DirectionIn,
				Visibility: care.Private, ContactID: id.ContactID, Text: "help", PlatformID: "m" + itoa(c.ID), Status: care.DeliveryReceived}))
			_, err = d.Update(ctx, admin, c.ID, care.ConversationUpdate{Status: &resolved})
			must(t, err)
			msgs, err := s.Messages(ctx, c.ID, 0, 10)
			must(t, err)
			text := msgs[len(msgs)-1].Text
			link := regexp.MustCompile(`https?://\S+/csat/[A-Za-z0-9_-]+`).FindString(text)
			if link == "" || text != tt.message+link {
				t.Fatalf("survey message = %q, want %q and the link", text, tt.message)
			}

			resp, body := get(t, link, "")
			if resp.StatusCode != 200 || !strings.Contains(body, `<html lang="`+tt.page+`">`) || resp.Header.Get("Content-Language") != tt.page {
				t.Errorf("survey page = %d, Content-Language %q, want <html lang=%q>:\n%s", resp.StatusCode, resp.Header.Get("Content-Language"), tt.page, body)
			}
			contains(t, "survey page", body, "<title>"+html.EscapeString(tt.title)+"</title>", `<input type="radio" name="score"`)

			code, body := post(t, link, url.Values{"comment": {"sem nota"}})
			if code != http.StatusBadRequest {
				t.Errorf("an answer without a score = %d, want 400", code)
			}
			contains(t, "the page without a score", body, tt.chooseScore, `<html lang="`+tt.page+`">`, "sem nota")

			code, body = post(t, link, url.Values{"score": {"4"}})
			if code != 200 {
				t.Errorf("answer = %d", code)
			}
			contains(t, "the page after an answer", body, tt.thanks)
			_, body = get(t, link, "")
			contains(t, "an answered survey", body, tt.answered)

			resp, body = get(t, srv.URL+"/csat/not-a-real-token-at-all-xyz", tt.conversation+";q=0.9, en;q=0.5")
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("unknown token = %d, want 404", resp.StatusCode)
			}
			contains(t, "an unknown link", body, tt.gone)
		})
	}
}

// A comment within the form's character limit but over its byte limit comes
// back with the customer's words and a message they can act on.
func TestSurveyCommentTooLong(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := t.Context()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	must(t, s.CreateWorkspace(ctx, ws))
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelAPI, Name: "Web"}
	must(t, s.CreateInbox(ctx, in))
	must(t, s.SetSetting(ctx, ws.ID, csat.SettingName, []byte(`{"enabled":true}`), now))
	id, _, err := s.ResolveIdentity(ctx, ws.ID, care.ChannelAPI, care.Author{PlatformUserID: "ana"}, now)
	must(t, err)
	c := &care.Conversation{WorkspaceID: ws.ID, InboxID: in.ID, Channel: in.Channel, ContactID: id.ContactID, Language: "pt"}
	must(t, s.CreateConversation(ctx, c))
	must(t, s.CreateMessage(ctx, &care.Message{WorkspaceID: ws.ID, ConversationID: c.ID, InboxID: in.ID, Direction: care.DirectionIn,
		Visibility: care.Private, ContactID: id.ContactID, Text: "olá", PlatformID: "m1", Status: care.DeliveryReceived}))
	srv := httptest.NewServer(nil)
	defer srv.Close()
	sv := &csat.Surveyor{Store: s, PublicURL: srv.URL, Now: func() time.Time { return now }}
	mux := http.NewServeMux()
	sv.Routes(mux)
	srv.Config.Handler = mux
	d := &desk.Service{Store: s, Survey: sv, Now: func() time.Time { return now }}
	resolved := care.StatusResolved
	_, err = d.Update(ctx, care.Principal{WorkspaceID: ws.ID, Role: care.RoleAdmin, TokenID: 1}, c.ID, care.ConversationUpdate{Status: &resolved})
	must(t, err)
	msgs, err := s.Messages(ctx, c.ID, 0, 10)
	must(t, err)
	link := regexp.MustCompile(`https?://\S+/csat/[A-Za-z0-9_-]+`).FindString(msgs[len(msgs)-1].Text)

	comment := strings.Repeat("ção ", 400) // 1600 characters, 2400 bytes
	resp, err := http.PostForm(link, url.Values{"score": {"3"}, "comment": {comment}})
	must(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	body := string(b)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "O comentário é um pouco longo. Pode encurtá-lo?") ||
		!strings.Contains(body, strings.TrimSpace(comment)) || !strings.Contains(body, `value="3" required checked`) {
		t.Errorf("a long comment = %d:\n%.600s", resp.StatusCode, body)
	}
	if got, err := s.ConversationSurvey(ctx, c.ID); err != nil || got.AnsweredAt != nil {
		t.Errorf("survey = %+v, %v; want it unanswered", got, err)
	}
}
