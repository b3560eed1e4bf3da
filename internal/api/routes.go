package api

import (
	"net/http"

	"github.com/parleyhq/parley/internal/care"
)

// Route is one API endpoint and the least role that may call it.
type Route struct {
	Method  string
	Pattern string
	// Role is the least role needed; "" means the route authenticates by
	// other means (login, the API inbox's own token).
	Role    care.Role
	handler http.HandlerFunc
}

// Routes lists every API endpoint; the OpenAPI document and the role matrix
// test are checked against it.
func (s *Server) Routes() []Route { return s.routes() }

func (s *Server) routes() []Route {
	const (
		public     = ""
		agent      = care.RoleAgent
		supervisor = care.RoleSupervisor
		admin      = care.RoleAdmin
	)
	return []Route{
		{"POST", "/api/v1/session", public, s.login},
		{"GET", "/api/v1/session", agent, s.getSession},
		{"DELETE", "/api/v1/session", agent, s.logout},
		{"PUT", "/api/v1/me/password", agent, s.changePassword},

		{"GET", "/api/v1/conversations", agent, s.listConversations},
		{"GET", "/api/v1/conversations/{id}", agent, s.getConversation},
		{"PATCH", "/api/v1/conversations/{id}", agent, s.updateConversation},
		{"POST", "/api/v1/conversations/{id}/link", agent, s.linkConversation},
		{"GET", "/api/v1/conversations/{id}/messages", agent, s.listMessages},
		{"POST", "/api/v1/conversations/{id}/messages", agent, s.reply},
		{"POST", "/api/v1/conversations/{id}/template", agent, s.sendTemplate},
		{"POST", "/api/v1/conversations/{id}/notes", agent, s.note},
		{"POST", "/api/v1/conversations/{id}/take-private", agent, s.takePrivate},
		{"POST", "/api/v1/conversations/{id}/dismiss", agent, s.dismiss},
		{"GET", "/api/v1/conversations/{id}/survey", agent, s.conversationSurvey},
		{"POST", "/api/v1/messages/{id}/retry", agent, s.retryMessage},
		{"POST", "/api/v1/messages/{id}/moderate", agent, s.moderateMessage},
		{"POST", "/api/v1/messages/{id}/approve", supervisor, s.approveMessage},
		{"POST", "/api/v1/messages/{id}/reject", supervisor, s.rejectMessage},
		{"GET", "/api/v1/approvals", supervisor, s.listApprovals},

		{"GET", "/api/v1/contacts/{id}", agent, s.getContact},
		{"GET", "/api/v1/contacts/{id}/identities", agent, s.listIdentities},
		{"POST", "/api/v1/contacts/{id}/merge", agent, s.mergeContact},
		{"POST", "/api/v1/merges/{id}/undo", supervisor, s.undoMerge},

		{"GET", "/api/v1/inboxes", agent, s.listInboxes},
		{"POST", "/api/v1/inboxes", admin, s.createInbox},
		{"GET", "/api/v1/inboxes/{id}", agent, s.getInbox},
		{"PATCH", "/api/v1/inboxes/{id}", admin, s.updateInbox},
		{"POST", "/api/v1/inboxes/{id}/rotate", admin, s.rotateInbox},
		{"GET", "/api/v1/inboxes/{id}/setup", admin, s.getInboxSetup},
		{"GET", "/api/v1/inboxes/{id}/templates", agent, s.listTemplates},
		{"POST", "/api/v1/inboxes/{id}/messages", public, s.ingestAPIMessage},

		{"GET", "/api/v1/users", agent, s.listUsers},
		{"POST", "/api/v1/users", admin, s.createUser},
		{"PATCH", "/api/v1/users/{id}", admin, s.updateMember},
		{"DELETE", "/api/v1/users/{id}", admin, s.removeMember},

		{"GET", "/api/v1/teams", agent, s.listTeams},
		{"POST", "/api/v1/teams", supervisor, s.createTeam()},
		{"GET", "/api/v1/teams/{id}", agent, s.getTeam},
		{"PATCH", "/api/v1/teams/{id}", supervisor, s.updateTeam()},
		{"PUT", "/api/v1/teams/{id}/members", supervisor, s.setTeamMembers()},

		{"GET", "/api/v1/agents", agent, s.listAgents},
		{"PATCH", "/api/v1/agents/{id}", supervisor, s.updateAgent},
		{"PUT", "/api/v1/me/presence", agent, s.setPresence},
		{"GET", "/api/v1/me/notifications", agent, s.listNotifications},
		{"POST", "/api/v1/me/notifications/read", agent, s.readNotifications},
		{"GET", "/api/v1/queues", supervisor, s.listQueues},

		{"GET", "/api/v1/tokens", admin, s.listTokens},
		{"POST", "/api/v1/tokens", admin, s.createToken},
		{"DELETE", "/api/v1/tokens/{id}", admin, s.deleteToken},

		{"GET", "/api/v1/search", agent, s.search},

		{"GET", "/api/v1/settings/{name}", supervisor, s.getSetting},
		{"PUT", "/api/v1/settings/{name}", admin, s.putSetting},
		{"GET", "/api/v1/reports/sla", supervisor, reportHandler(s.SLAReport, writeSLACSV)},
		{"GET", "/api/v1/reports/csat", supervisor, reportHandler(s.CSATReport, writeCSATCSV)},
		{"GET", "/api/v1/reports/staffing", supervisor, reportHandler(s.StaffingPlan, writeStaffingCSV)},
		{"GET", "/api/v1/reports/value", supervisor, reportHandler(s.ValueReport, writeValueCSV)},
		{"GET", "/api/v1/listening/report", supervisor, reportHandler(s.ListeningReport, writeListeningCSV)},
		{"GET", "/api/v1/listening/posts", supervisor, s.listeningPosts},
		{"POST", "/api/v1/listening/posts", admin, s.importListening},
		{"POST", "/api/v1/automation/dry-run", supervisor, s.dryRun},
		{"GET", "/api/v1/automation/webhook-secret", admin, s.webhookSecret},

		{"GET", "/api/v1/audit", supervisor, s.listAudit},
		{"GET", "/api/v1/events", agent, s.events},
	}
}
