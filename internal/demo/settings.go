package demo

import (
	"encoding/json"
	"fmt"

	lsn "github.com/parleyhq/parley/internal/listen"
)

// The brand's workspace settings, as an admin would PUT them to
// /api/v1/settings/{name}. Each is checked by Parley's own validator when
// saved (and in the tests).

// alwaysOpen is a calendar open around the clock: Orbit's care team follows
// the sun.
const alwaysOpen = `{"time_zone": "Europe/Madrid", "week": {"mon": [["00:00","24:00"]], "tue": [["00:00","24:00"]],
 "wed": [["00:00","24:00"]], "thu": [["00:00","24:00"]], "fri": [["00:00","24:00"]], "sat": [["00:00","24:00"]], "sun": [["00:00","24:00"]]}}`

// officeHours are the PR & Marketing team's: London office hours with a
// lunch break, closed at Christmas.
const officeHours = `{"time_zone": "Europe/London", "week": {"mon": [["09:00","13:00"],["14:00","18:00"]],
 "tue": [["09:00","13:00"],["14:00","18:00"]], "wed": [["09:00","13:00"],["14:00","18:00"]],
 "thu": [["09:00","13:00"],["14:00","18:00"]], "fri": [["09:00","13:00"],["14:00","17:00"]]},
 "holidays": ["2026-12-25", "2026-12-26"]}`

// triageSettings are the topics Parley reads in customers' messages, in the
// five languages Orbit's customers write in. Praise has no severity: a
// topic with severity 0 is neither a need nor, however many customers say
// thank you at once, an incident; its negative boost only lets a
// thank-you wait behind those who need an answer.
const triageSettings = `{"topics": [
 {"topic": "outage", "severity": 1, "phrases": ["outage", "is down", "still down", "down again", "not working", "doesn't work", "keeps crashing",
   "can't log in", "cannot log in", "#OrbitDown", "no funciona", "sin funcionar", "caída", "ne marche plus", "ne fonctionne",
   "funktioniert nicht", "Störung", "não funciona", "sem funcionar", "avaria"]},
 {"topic": "network", "severity": 0.7, "phrases": ["no signal", "no coverage", "sin cobertura", "pas de réseau", "keinen Empfang", "sem rede"]},
 {"topic": "billing", "severity": 0.5, "phrases": ["charged twice", "double charge*", "overcharged", "bill", "cobrado dos veces", "factura",
   "débité deux fois", "facture", "doppelt abgebucht", "Rechnung", "duas vezes", "fatura"]},
 {"topic": "refund", "severity": 0.5, "phrases": ["refund*", "money back", "reembolso", "rembours*", "Geld zurück", "Erstattung", "dinheiro de volta"]},
 {"topic": "delivery", "severity": 0.5, "phrases": ["never arrived", "hasn't arrived", "not delivered", "out for delivery", "no ha llegado",
   "jamais arrivée", "nie angekommen", "nunca chegou"]},
 {"topic": "going public", "severity": 0.8, "phrases": ["going to the press", "the press", "journalist*", "viral", "bad review*", "prensa",
   "presse", "imprensa"]},
 {"topic": "legal", "severity": 1, "phrases": ["lawyer", "sue", "legal action", "abogado", "avocat", "Anwalt", "advogado"]},
 {"topic": "churn", "severity": 0.7, "phrases": ["cancel my", "switching to", "leaving you", "darme de baja", "résilier", "kündigen"]},
 {"topic": "praise", "boost": -2, "phrases": ["thank you", "great service", "well done", "you guys rock", "muchas gracias",
   "servicio excelente", "merci beaucoup", "bravo", "vielen Dank", "toller Service", "muito obrigad*", "serviço excelente", "parabéns"]}
]}`

// slaSettings are three policies, strictest first.
const slaSettings = `{"policies": [
 {"id": 1, "name": "Public and urgent", "match": {"channels": ["x", "facebook", "instagram", "youtube", "reddit", "google-reviews"], "min_priority": 40},
  "first_response": "15m", "next_response": "30m", "resolution": "8h", "warn_at": 0.75},
 {"id": 2, "name": "Messaging", "match": {"channels": ["whatsapp", "sms", "telegram", "api"]},
  "first_response": "30m", "next_response": "1h", "resolution": "24h", "warn_at": 0.8},
 {"id": 3, "name": "Everything else", "match": {}, "first_response": "1h", "next_response": "4h", "resolution": "48h", "warn_at": 0.8}
]}`

// automationSettings hand influencers' complaints to PR, tag the outage
// wave and close conversations left pending. Escalating already notifies
// every member of the PR team (docs/automation.md), so the influencer rule
// has no notify action: one post, one notification.
func automationSettings(prTeam int64) string {
	return fmt.Sprintf(`{"mode": "all", "rules": [
 {"id": 1, "name": "Influencers to PR", "enabled": true, "position": 1, "trigger": "message.received",
  "conditions": [{"field": "followers", "op": "gte", "value": 100000}, {"field": "visibility", "op": "eq", "value": "public"}],
  "actions": [{"type": "add_tag", "tag": "influencer"},
              {"type": "escalate", "team_id": %d, "note": "A customer with over 100k followers is writing in public."}]},
 {"id": 2, "name": "Tag the outage", "enabled": true, "position": 2, "trigger": "message.received",
  "conditions": [{"field": "topic", "op": "in", "value": ["outage"]}],
  "actions": [{"type": "add_tag", "tag": "outage"}]},
 {"id": 3, "name": "Close silent pending", "enabled": true, "position": 3, "trigger": "time.pending", "after": "30m",
  "actions": [{"type": "note", "text": "No answer in 30 minutes; closing."}, {"type": "resolve"}]}
]}`, prTeam)
}

const moderationSettings = `{"rules": [{"kind": "spam", "action": "hide"}, {"kind": "profanity", "action": "hide"}]}`

// Only an assignee (or a supervisor) answers an assigned conversation, so
// two simulated agents never answer one customer at once.
const deskSettings = `{"only_assignee_replies": true}`

// Surveys go where customers write in private. (A survey to someone who
// only commented on Facebook or Instagram passes Parley's checks but Meta
// refuses it: there is no private thread to send it in.)
const csatSettings = `{"enabled": true, "question": "Thanks for talking to Orbit Mobile. How did we do? One click, 1 to 5: {link}",
 "channels": ["whatsapp", "sms", "telegram", "api", "webchat", "email"]}`

// Public replies to 100k+ audiences wait for an approver.
const approvalSettings = `{"min_followers": 100000, "tags": ["crisis"], "sla": "15m"}`

// answerNames name the saved replies made from the agents' answers.
var answerNames = [numAnswers]string{aQuestion: "How to", aComplaint: "Sorry, on it", aOutage: "Outage", aBilling: "Double charge",
	aDelivery: "Late delivery", aNetwork: "No signal", aPraise: "Thanks for the praise", aGoodbye: "Goodbye",
	aFollowUp: "Confirmation and refund times", aPublicAck: "Taking it private (public)", aPrivateAsk: "Taking it private (private)"}

// savedReplies are the agents' answers in every language, as saved replies
// with Parley's variables, so that a person signed in to the demo finds
// them in the composer.
func savedReplies() string {
	type reply struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
		Text string `json:"text"`
	}
	var set struct {
		Replies []reply `json:"replies"`
	}
	for _, l := range languages {
		w := answers[l.code]
		for a := range numAnswers {
			text := fmt.Sprintf(w.hello, " {{contact.first_name}}") + " " + w.say[a] + " {{agent.first_name}}"
			set.Replies = append(set.Replies, reply{ID: len(set.Replies) + 1, Name: answerNames[a] + " (" + languageNames([]string{l.code}) + ")", Text: text})
		}
	}
	b, _ := json.Marshal(set) // strings and ints always marshal
	return string(b)
}

// settingDocs are the documents in the order they are saved.
func settingDocs(prTeam int64) []struct {
	name string
	doc  json.RawMessage
} {
	return []struct {
		name string
		doc  json.RawMessage
	}{
		{"triage", json.RawMessage(triageSettings)},
		{"sla", json.RawMessage(slaSettings)},
		{"automation", json.RawMessage(automationSettings(prTeam))},
		{"moderation", json.RawMessage(moderationSettings)},
		{"desk", json.RawMessage(deskSettings)},
		{"csat", json.RawMessage(csatSettings)},
		{"approvals", json.RawMessage(approvalSettings)},
		{"saved_replies", json.RawMessage(savedReplies())},
		{lsn.SettingName, json.RawMessage(listeningSettings)},
	}
}
