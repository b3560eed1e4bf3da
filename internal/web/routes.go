package web

import (
	"net/http"

	"github.com/parleyhq/parley/internal/care"
)

// Routes registers the interface's pages, forms and static files on mux.
// Every response carries the security headers of secure; every POST is
// refused cross-origin and, once signed in, without the session's CSRF
// token.
func (h *Handler) Routes(mux *http.ServeMux) {
	h.init()
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(h.CrossOriginRefused))
	get := func(pattern string, fn http.HandlerFunc) { mux.Handle("GET "+pattern, secure(fn)) }
	post := func(pattern string, fn http.HandlerFunc) { mux.Handle("POST "+pattern, secure(csrf.Handler(fn))) }

	get("/login", h.loginForm)
	post("/login", h.login)
	post("/logout", h.action(h.logout))
	post("/presence", h.action(h.setPresence))
	get("/setup", h.setupForm)
	post("/setup", h.setup)
	get("/password", h.page(h.passwordForm))
	post("/password", h.action(h.changePassword))

	get("/{$}", h.page(h.inbox))
	get("/list", h.fragment(h.listFragment))
	get("/search", h.page(h.search))
	get("/c/{id}", h.page(h.conversation))
	get("/c/{id}/live", h.fragment(h.conversationFragment))
	get("/c/{id}/media/{mid}/{n}", h.fragment(h.media))
	get("/c/{id}/messages/{mid}/html", h.fragment(h.formatted))
	post("/c/{id}/reply", h.upload(h.reply))
	post("/c/{id}/saved", h.upload(h.insertSaved))
	post("/c/{id}/template", h.action(h.sendTemplate))
	post("/c/{id}/note", h.action(h.note))
	post("/c/{id}/presence", h.action(h.touch))
	post("/c/{id}/merge", h.action(h.merge))
	post("/c/{id}/unmerge", h.action(h.unmerge))
	post("/c/{id}/status", h.action(h.setStatus))
	post("/c/{id}/snooze", h.action(h.snooze))
	post("/c/{id}/assign", h.action(h.assign))
	post("/c/{id}/team", h.action(h.team))
	post("/c/{id}/tags", h.action(h.tag))
	post("/c/{id}/messages/{mid}/retry", h.action(h.retry))
	post("/c/{id}/messages/{mid}/private", h.action(h.takePrivate))
	post("/c/{id}/messages/{mid}/moderate", h.action(h.moderate))

	get("/approvals", h.page(h.approvals))
	get("/queues", h.page(h.queues))
	get("/staffing", h.page(h.staffing))
	get("/value", h.page(h.value))
	get("/listening", h.page(h.listening))
	post("/listening", h.action(h.saveListening))
	get("/reports", h.page(h.reports))
	get("/settings", h.page(h.settings))
	post("/settings/{name}", h.sizedAction(maxSettingFormBytes, h.saveSetting))
	get("/notifications", h.page(h.notifications))
	get("/inboxes", h.page(h.inboxes))
	get("/inboxes/{id}", h.page(h.inboxPage))
	get("/people", h.page(h.people))
	post("/people/users", h.action(h.addPerson))
	post("/people/users/{id}", h.action(h.changePerson))
	post("/people/teams", h.action(h.addTeam))
	post("/people/teams/{id}", h.action(h.editTeam))
	post("/people/teams/{id}/members", h.action(h.editTeamMembers))
	post("/inboxes", h.action(h.connect))
	post("/inboxes/x", h.action(h.startXConnect))
	get("/inboxes/x/callback", h.page(h.finishXConnect))
	post("/notifications/read", h.action(h.readAll))
	post("/approvals/{mid}/approve", h.action(h.approve))
	post("/approvals/{mid}/reject", h.action(h.reject))

	get("/static/{name}", h.serveAsset)
	mux.HandleFunc("GET /files/{id}/{token}/{name}", h.serveFile)
}

// CrossOriginRefused answers a form that http.CrossOriginProtection refused
// because the browser sent it from a page of another origin: the error page,
// saying why and leading back, instead of a line of plain text, with the
// headers of every page (the server refuses such requests before they reach
// the pages' own handlers). It shows no one's session: the request may be a
// forgery, so its cookie is not read.
func (h *Handler) CrossOriginRefused(w http.ResponseWriter, r *http.Request) {
	h.init()
	secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.renderError(w, r, nil, care.Errorf(care.EFORBIDDEN, "This form was sent from a page of another site, so Parley did nothing with it. "+
			"If you sent it, go back to Parley and send it again from there."))
	})).ServeHTTP(w, r)
}
