package care

import (
	"context"
	"time"
)

// Store is Parley's storage. Both the SQLite and the PostgreSQL adapters
// implement it and pass one conformance suite (internal/storetest).
//
// Methods return *Error with ENOTFOUND for a missing record, ECONFLICT for a
// uniqueness violation and EINVALID for a broken reference; anything else is
// an internal error carrying its cause.
type Store interface {
	Queries
	// Update runs fn in one read-write transaction; it commits when fn
	// returns nil and rolls back otherwise. Queries passed to fn must not be
	// used after fn returns.
	Update(ctx context.Context, fn func(Queries) error) error
	// AppendRaw durably stores a batch of raw inbound events in one
	// transaction and reports, per event, its id and whether its dedupe key
	// was already known. When AppendRaw returns nil, every event is on disk.
	AppendRaw(ctx context.Context, events []RawEvent) ([]AppendResult, error)
	// Dialect names the engine ("sqlite" or "postgres").
	Dialect() string
	Close() error
}

// Queries are the reads and writes available both on a Store (each call its
// own transaction) and inside Store.Update.
type Queries interface {
	CreateWorkspace(ctx context.Context, w *Workspace) error
	Workspace(ctx context.Context, id ID) (*Workspace, error)
	WorkspaceBySlug(ctx context.Context, slug string) (*Workspace, error)
	Workspaces(ctx context.Context) ([]Workspace, error)

	CreateUser(ctx context.Context, u *User) error
	User(ctx context.Context, id ID) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	CountUsers(ctx context.Context) (int, error)
	SetPassword(ctx context.Context, userID ID, hash string) error
	// SetUserDisabled disables or enables a user's account everywhere;
	// disabling also ends their sessions, so enabling them again later
	// does not bring an old session back.
	SetUserDisabled(ctx context.Context, userID ID, disabled bool) error
	// SetMember adds a user to a workspace or changes their role.
	SetMember(ctx context.Context, m Member) error
	Member(ctx context.Context, workspaceID, userID ID) (*Member, error)
	// Members lists a workspace's users with their roles.
	Members(ctx context.Context, workspaceID ID) ([]Member, error)
	// Memberships lists the workspaces a user belongs to.
	Memberships(ctx context.Context, userID ID) ([]Member, error)
	// DeleteMember takes a user out of a workspace: their membership (with
	// their presence and skills there), their places in its teams and their
	// API tokens for it. The account stays. Returns ENOTFOUND when they are
	// not a member.
	DeleteMember(ctx context.Context, workspaceID, userID ID) error

	CreateTeam(ctx context.Context, t *Team) error
	Team(ctx context.Context, id ID) (*Team, error)
	Teams(ctx context.Context, workspaceID ID) ([]Team, error)
	// TeamsOfMember lists the workspace's teams userID belongs to, without
	// their members.
	TeamsOfMember(ctx context.Context, workspaceID, userID ID) ([]Team, error)
	SetTeamMembers(ctx context.Context, teamID ID, userIDs []ID) error
	// UpdateTeam saves a team's name, skills, hours and escalation flag.
	UpdateTeam(ctx context.Context, t *Team) error

	// Agents lists a workspace's members with their presence, skills,
	// capacity, teams and current load.
	Agents(ctx context.Context, workspaceID ID) ([]Agent, error)
	// AgentPresence is one member's presence: what a page's top bar shows
	// its agent, without listing the workspace's agents; ENOTFOUND for
	// someone who is not a member.
	AgentPresence(ctx context.Context, workspaceID, userID ID) (Presence, error)
	// UpdateAgent changes a member's presence, skills or capacity (nil
	// fields stay) and returns the profile.
	UpdateAgent(ctx context.Context, workspaceID, userID ID, u AgentUpdate, now time.Time) (*Agent, error)
	// WaitingConversations lists a workspace's unassigned open
	// conversations, highest priority first.
	WaitingConversations(ctx context.Context, workspaceID ID, limit int) ([]Waiting, error)
	// ClaimConversation assigns an unassigned open conversation to an
	// online agent with room for its kind of work, atomically across nodes:
	// ECONFLICT when it is no longer waiting, the agent is not online, or
	// they are full. Routing calls it; people assign with
	// UpdateConversation.
	ClaimConversation(ctx context.Context, conversationID, userID ID, now time.Time) (*Conversation, error)
	// ReleaseConversations returns to the queue the open conversations
	// routing gave an agent that still wait for a first answer from them,
	// and lists them.
	ReleaseConversations(ctx context.Context, workspaceID, userID ID, now time.Time) ([]ID, error)
	// SetTriage stores a conversation's reading after a customer message.
	SetTriage(ctx context.Context, conversationID ID, t ConversationTriage, now time.Time) error
	// ActiveConversations lists unresolved conversations across
	// workspaces in id order after afterID, for recomputation as time
	// passes.
	ActiveConversations(ctx context.Context, afterID ID, limit int) ([]Conversation, error)
	// SetPriorities saves recomputed priorities in one statement batch.
	SetPriorities(ctx context.Context, ps []PriorityChange) error

	// RecordSLAOutcome stores a stopped SLA clock.
	RecordSLAOutcome(ctx context.Context, o *SLAOutcome) error
	// SLAReport groups a workspace's SLA outcomes in [from, to) by one of
	// SLAReportBy, largest groups first (days in order).
	SLAReport(ctx context.Context, workspaceID ID, from, to time.Time, by string) ([]SLAReportRow, error)

	// CreateSurvey stores a sent survey; its TokenHash is unique.
	CreateSurvey(ctx context.Context, sv *Survey) error
	// SurveyByToken finds a survey by its token's hash, or ENOTFOUND.
	SurveyByToken(ctx context.Context, hash []byte) (*Survey, error)
	// AnswerSurvey records a score of 1–5 and a comment once; ECONFLICT
	// when the survey was already answered.
	AnswerSurvey(ctx context.Context, id ID, score int, comment string, at time.Time) (*Survey, error)
	// LastSurveyAt is when the contact was last sent a survey, nil if never.
	LastSurveyAt(ctx context.Context, workspaceID, contactID ID) (*time.Time, error)
	// OpenSurvey is the contact's newest unanswered survey on a channel sent
	// at or after since, or ENOTFOUND.
	OpenSurvey(ctx context.Context, workspaceID, contactID ID, channel Channel, since time.Time) (*Survey, error)
	// ConversationSurvey is the survey sent for a conversation, or ENOTFOUND.
	ConversationSurvey(ctx context.Context, conversationID ID) (*Survey, error)
	// Arrivals counts, per UTC hour of [from, to), the conversations opened
	// and the customer messages received, in hour order, leaving out hours
	// with neither. It relies on ids growing with creation times, as they
	// do when rows are stamped as they are stored.
	Arrivals(ctx context.Context, workspaceID ID, from, to time.Time, f ArrivalFilter) ([]HourCount, error)
	// AddListenPosts stores posts found by listening, leaving out those
	// the workspace already has (same Source and PlatformID, also twice in
	// one call), and returns how many it added. It sets the ID of each post
	// it adds. Text longer than MaxListenText is EINVALID.
	AddListenPosts(ctx context.Context, posts []ListenPost) (added int, err error)
	// ListenPosts returns one page of a workspace's found posts.
	ListenPosts(ctx context.Context, workspaceID ID, f ListenFilter) ([]ListenPost, error)
	// ListenPoints returns what a report counts of the workspace's posts
	// with PostedAt in [from, to), newest first, at most limit of them.
	ListenPoints(ctx context.Context, workspaceID ID, from, to time.Time, limit int) ([]ListenPoint, error)
	// PruneListenPosts deletes up to limit of the workspace's found posts
	// posted before before, oldest first, and returns how many it deleted.
	PruneListenPosts(ctx context.Context, workspaceID ID, before time.Time, limit int) (int, error)
	// CSATReport groups surveys sent in [from, to) by agent, team, channel
	// or day.
	CSATReport(ctx context.Context, workspaceID ID, from, to time.Time, by string) ([]CSATReportRow, error)
	// ValueReport groups the conversations created in [from, to) by
	// channel or by owning team, largest groups first: how many were
	// resolved, in one reply or more, how many were unhappy, and their
	// surveys. Like Arrivals it relies on ids growing with creation times.
	ValueReport(ctx context.Context, workspaceID ID, from, to time.Time, by string) ([]ValueReportRow, error)

	// Setting returns a workspace's setting (a JSON document), or
	// ENOTFOUND; SetSetting replaces it.
	Setting(ctx context.Context, workspaceID ID, name string) ([]byte, error)
	SetSetting(ctx context.Context, workspaceID ID, name string, value []byte, now time.Time) error

	CreateToken(ctx context.Context, t *Token) error
	TokenByHash(ctx context.Context, hash []byte) (*Token, error)
	// TouchToken records that token id was used at at; an earlier time
	// than the one stored, or a deleted token, changes nothing.
	TouchToken(ctx context.Context, id ID, at time.Time) error
	Tokens(ctx context.Context, workspaceID ID) ([]Token, error)
	DeleteToken(ctx context.Context, workspaceID, id ID) error

	CreateSession(ctx context.Context, s *Session) error
	SessionByHash(ctx context.Context, hash []byte) (*Session, error)
	DeleteSession(ctx context.Context, hash []byte) error
	// DeleteUserSessions ends every session of a user except the one with
	// hash keep (nil keeps none) and returns how many it ended.
	DeleteUserSessions(ctx context.Context, userID ID, keep []byte) (int, error)
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)

	CreateInbox(ctx context.Context, in *Inbox) error
	Inbox(ctx context.Context, id ID) (*Inbox, error)
	Inboxes(ctx context.Context, workspaceID ID) ([]Inbox, error)
	UpdateInbox(ctx context.Context, in *Inbox) error
	// InboxByExternalID finds a workspace's inbox for a platform account
	// (a Page id, a phone number id, an X user id), or ENOTFOUND.
	InboxByExternalID(ctx context.Context, workspaceID ID, channel Channel, externalID string) (*Inbox, error)
	// RecordInboxHealth notes an inbox's last event, send, error or rate
	// limit state.
	RecordInboxHealth(ctx context.Context, inboxID ID, h HealthUpdate) error
	// InboxCursor returns a poller's saved position ("" if none);
	// SetInboxCursor saves it.
	InboxCursor(ctx context.Context, inboxID ID, name string) (string, error)
	SetInboxCursor(ctx context.Context, inboxID ID, name, value string, now time.Time) error

	// ResolveIdentity finds the identity (workspace, platform, author's
	// platform user id), refreshing its profile, or creates it together with
	// a new contact. created reports whether a contact was created.
	ResolveIdentity(ctx context.Context, workspaceID ID, platform Channel, a Author, now time.Time) (id *Identity, created bool, err error)
	// AttachIdentity gives an existing contact one more identity (the same
	// person's id elsewhere on a platform). Attaching an identity the contact
	// already has returns it; one that belongs to another contact is
	// ECONFLICT: that is a merge, for an agent to decide.
	AttachIdentity(ctx context.Context, contactID ID, platform Channel, a Author, now time.Time) (*Identity, error)
	// FindIdentity returns the identity (workspace, platform, platform user
	// id), or ENOTFOUND; unlike ResolveIdentity it never creates one.
	FindIdentity(ctx context.Context, workspaceID ID, platform Channel, platformUserID string) (*Identity, error)
	// FindIdentities is FindIdentity for many platform user ids at once
	// (an ingest pass's authors): the identities found, by platform user
	// id; ids with none are left out.
	FindIdentities(ctx context.Context, workspaceID ID, platform Channel, platformUserIDs []string) (map[string]*Identity, error)
	// Contact returns a contact with its identities.
	Contact(ctx context.Context, id ID) (*Contact, error)
	// MergeContacts moves the loser's identities and conversations to the
	// winner and marks the loser merged. Returns EINVALID when the contacts are
	// the same, in different workspaces, or either is already merged.
	MergeContacts(ctx context.Context, workspaceID, winnerID, loserID ID, now time.Time) (*Merge, error)
	// UndoMerge moves back exactly what a merge moved. Returns ECONFLICT if
	// the merge was already undone.
	UndoMerge(ctx context.Context, workspaceID, mergeID ID, now time.Time) (*Merge, error)

	CreateConversation(ctx context.Context, c *Conversation) error
	Conversation(ctx context.Context, id ID) (*Conversation, error)
	// ActiveConversation returns the contact's newest unresolved conversation
	// in the inbox, or ENOTFOUND.
	ActiveConversation(ctx context.Context, inboxID, contactID ID) (*Conversation, error)
	// ActiveConversationsOf is ActiveConversation for many contacts at once
	// (an ingest pass's authors): by contact id, contacts with none left out.
	// Where several nodes write, the rows are locked until commit, so what
	// it read stays true for the transaction; a caller threading for the
	// contacts holds their LockContact first, taken in id order.
	ActiveConversationsOf(ctx context.Context, inboxID ID, contactIDs []ID) (map[ID]*Conversation, error)
	Conversations(ctx context.Context, f ConversationFilter) (*ConversationPage, error)
	// CountConversations counts the conversations f matches (its cursor,
	// sort and limit aside), stopping at limit (at most 1000; 0 means
	// 1000): a count equal to limit means "limit or more".
	CountConversations(ctx context.Context, f ConversationFilter, limit int) (int, error)
	UpdateConversation(ctx context.Context, id ID, u ConversationUpdate, now time.Time) (*Conversation, error)
	// SnoozedDue returns snoozed conversations whose snooze has ended by
	// now, earliest first, across workspaces.
	SnoozedDue(ctx context.Context, now time.Time, limit int) ([]Conversation, error)
	// LinkConversations joins a public thread and its private follow-up.
	LinkConversations(ctx context.Context, publicID, privateID ID) error

	// CreateMessage stores a message and updates its conversation's activity,
	// waiting time and message count. Returns ECONFLICT when the inbox already
	// has a message with the same PlatformID.
	CreateMessage(ctx context.Context, m *Message) error
	// CreateTriagedMessage stores a customer's message as CreateMessage
	// does and, in the same update of its conversation, the conversation's
	// new reading (as SetTriage would).
	CreateTriagedMessage(ctx context.Context, m *Message, t *ConversationTriage) error
	Message(ctx context.Context, id ID) (*Message, error)
	// MessageByPlatformID returns the inbox's message with platformID, or
	// the message the part with platformID was joined into (see
	// AddMessagePart). Returns ENOTFOUND when there is none.
	MessageByPlatformID(ctx context.Context, inboxID ID, platformID string) (*Message, error)
	// KnownPlatformIDs returns which of the platform ids the inbox already
	// has a message with, each with that message's conversation: a batch's
	// replay check, and where its replies go, in one query. Like
	// MessageByPlatformID, it knows a message by its parts' ids too (see
	// AddMessagePart).
	KnownPlatformIDs(ctx context.Context, inboxID ID, platformIDs []string) (map[string]ID, error)
	// GroupMessage returns the contact's message in the inbox that holds a
	// part of group (see Inbound.Group and AddMessagePart) and was sent
	// between from and to, the oldest if there are several. Returns
	// ENOTFOUND when there is none.
	GroupMessage(ctx context.Context, inboxID, contactID ID, group string, from, to time.Time) (*Message, error)
	// AddMessagePart records that platformID, a platform's id in the
	// message's inbox, names a part of group that is message messageID or
	// was joined into it (the first part is the message's own id): from
	// then on MessageByPlatformID and KnownPlatformIDs find the message by
	// platformID, and GroupMessage by group. Recording it again does
	// nothing. Returns ENOTFOUND for an unknown message, ECONFLICT when
	// another message in the inbox has the id or a part of it.
	AddMessagePart(ctx context.Context, messageID ID, group, platformID string) error
	// SetMessageContent replaces a message's text and attachments: a part
	// delivered on its own joined into it.
	SetMessageContent(ctx context.Context, messageID ID, text string, atts []Attachment) error
	// Messages lists a conversation's messages oldest first, after the given id.
	Messages(ctx context.Context, conversationID ID, afterID ID, limit int) ([]Message, error)
	// RecentMessages returns the newest messages of up to 100
	// conversations together, newest first: a contact's history across
	// channels.
	RecentMessages(ctx context.Context, conversationIDs []ID, limit int) ([]Message, error)
	SetDelivery(ctx context.Context, messageID ID, status DeliveryStatus, reason, platformID string) error
	// PendingApprovals lists a workspace's replies held for approval,
	// oldest first.
	PendingApprovals(ctx context.Context, workspaceID ID, limit int) ([]Message, error)
	// SetMessageText replaces a message's text (an approver's edit of a
	// held reply).
	SetMessageText(ctx context.Context, messageID ID, text string) error
	// RecordCharge notes, once per message, that the platform bills our
	// message in the category.
	RecordCharge(ctx context.Context, inboxID, messageID ID, category string, at time.Time) error
	// InboxCharges counts an inbox's billed messages since a time, by
	// category.
	InboxCharges(ctx context.Context, inboxID ID, since time.Time) (map[string]int, error)
	// SetReaction records a contact's reaction to a message, replacing
	// their earlier one; an empty emoji removes it.
	SetReaction(ctx context.Context, messageID ID, r Reaction) error
	// MarkMessageDeleted records that the author deleted the message.
	MarkMessageDeleted(ctx context.Context, messageID ID, at time.Time) error
	// SetMessageHidden records that a comment is hidden on the platform
	// since at, or shown again (nil).
	SetMessageHidden(ctx context.Context, messageID ID, at *time.Time) error
	// Search finds a workspace's messages (by their text) and contacts (by
	// their name or an identity's name or handle) containing every word of
	// query, newest first. The query is user text: no search syntax applies.
	// An empty query or one longer than MaxSearchQuery bytes is EINVALID;
	// limit 0 means DefaultSearchLimit.
	Search(ctx context.Context, workspaceID ID, query string, limit int) ([]SearchHit, error)

	EnqueueOutbox(ctx context.Context, e *OutboxEntry) error
	// LeaseOutbox claims up to limit due entries until now+lease; an entry
	// whose lease expired (its sender died) is due again.
	LeaseOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]OutboxEntry, error)
	CompleteOutbox(ctx context.Context, id ID) error
	RetryOutbox(ctx context.Context, id ID, next time.Time, lastErr string) error
	// RawKeysSince reports which of keys an inbox's raw events received at
	// or after since carry as their dedupe key, processed or not: the
	// pipeline asks it for deletions that came before their message.
	RawKeysSince(ctx context.Context, inboxID ID, keys []string, since time.Time) (map[string]bool, error)
	// RawReactionsTo returns an inbox's reactions (raw events of
	// KindReaction) received at or after since to any of the messages
	// platformIDs, processed or not, oldest first: the pipeline applies
	// those that came before their message when it stores the message.
	RawReactionsTo(ctx context.Context, inboxID ID, platformIDs []string, since time.Time) ([]RawEvent, error)
	// RecordSent records that our message went out (status sent or
	// delivered) with platformID, the platform's id for it. A message
	// stored meanwhile under that id in the inbox that is the echo of
	// ours (stored after it as sent outside Parley: outbound, by no agent,
	// to no contact; see KindEcho) is merged into ours in the same
	// transaction: its reactions, deletion, hiding, charge and a delivery
	// status that outranks status stay on ours, and it is removed (a
	// conversation of its own it leaves empty is resolved). It
	// appends and returns the events of a merge (conversation.updated for
	// the echo's conversation, message.deleted for the echo,
	// message.updated for ours), then applies, as
	// ApplyStatusReports does, the delivery reports and reactions already
	// stored under platformID, with their events. Returns ENOTFOUND for an unknown message, ECONFLICT when another
	// message holds the id.
	RecordSent(ctx context.Context, messageID ID, status DeliveryStatus, platformID string, now time.Time) ([]Event, error)
	// ApplyStatusReports applies to our message the reports on its
	// platform id received at or after since, processed or not, that the
	// pipeline could not apply because they came before the id was
	// recorded: the best of the delivery reports (failed wins, else the
	// furthest along) if it outranks the message's status (see
	// DeliveryStatus.Outranks), with the charge a report carries, and the
	// customers' reactions, in the order they came, each replacing its
	// author's earlier one (a reaction by someone Parley has no identity
	// for is left out). It appends and returns message.updated when the
	// status or the reactions changed. Returns ENOTFOUND for an unknown
	// message.
	ApplyStatusReports(ctx context.Context, messageID ID, since, now time.Time) ([]Event, error)
	// ReleaseOutbox ends the lease on entry id if it still ends at
	// leasedUntil (as LeaseOutbox gave it), making the entry due at once
	// with no attempt counted, and reports whether it did: a stopping
	// worker hands back what it did not begin. A lease taken since by
	// another worker, or an entry gone, is left alone: false, no error.
	ReleaseOutbox(ctx context.Context, id ID, leasedUntil time.Time) (bool, error)
	OutboxDepth(ctx context.Context) (int, error)

	// EnqueueHook stores a webhook call to make; LeaseHooks claims due ones
	// until now+lease (an expired lease is due again); CompleteHook and
	// RetryHook settle an attempt.
	EnqueueHook(ctx context.Context, h *HookDelivery) error
	LeaseHooks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]HookDelivery, error)
	CompleteHook(ctx context.Context, id ID, at time.Time) error
	RetryHook(ctx context.Context, id ID, next time.Time, lastErr string) error

	RawEvent(ctx context.Context, id ID) (*RawEvent, error)
	// PendingRaw returns unprocessed raw events, oldest first. Inside Update
	// on PostgreSQL the rows are locked, skipping rows another node holds.
	PendingRaw(ctx context.Context, limit int) ([]RawEvent, error)
	MarkRawProcessed(ctx context.Context, id ID, now time.Time, errText string) error
	// MarkRawsProcessed marks several raw events processed without error in
	// one statement. Returns ENOTFOUND unless every id exists.
	MarkRawsProcessed(ctx context.Context, ids []ID, now time.Time) error
	// ResetRaw marks raw events received at or after since as unprocessed,
	// so the pipeline runs on them again; inboxID 0 means every inbox.
	ResetRaw(ctx context.Context, inboxID ID, since time.Time) (int, error)

	AppendEvent(ctx context.Context, e *Event) error
	// AppendEvents appends several events at once, in order, setting
	// their ids.
	AppendEvents(ctx context.Context, evs []Event) error
	EventsAfter(ctx context.Context, workspaceID ID, afterID ID, limit int) ([]Event, error)
	// LatestEventID returns the newest event id of a workspace, 0 if none.
	LatestEventID(ctx context.Context, workspaceID ID) (ID, error)

	// CreateFile stores a file an agent attached; File returns it with
	// its bytes.
	CreateFile(ctx context.Context, f *File) error
	File(ctx context.Context, id ID) (*File, error)

	// CreateNotification stores a notification for one agent.
	CreateNotification(ctx context.Context, n *Notification) error
	// Notifications lists an agent's notifications in a workspace, newest
	// first; unreadOnly leaves out those already read.
	Notifications(ctx context.Context, workspaceID, userID ID, unreadOnly bool, limit int) ([]Notification, error)
	// UnreadNotifications counts an agent's unread notifications.
	UnreadNotifications(ctx context.Context, workspaceID, userID ID) (int, error)
	// ReadNotifications marks an agent's notifications read: those listed,
	// or all of them when ids is empty. It returns how many changed.
	ReadNotifications(ctx context.Context, workspaceID, userID ID, ids []ID, now time.Time) (int, error)
	// ReadConversationNotifications marks an agent's notifications about
	// one conversation read, now that they opened it.
	ReadConversationNotifications(ctx context.Context, workspaceID, userID, conversationID ID, now time.Time) (int, error)

	AppendAudit(ctx context.Context, a *AuditEntry) error
	Audit(ctx context.Context, workspaceID ID, target string, limit int) ([]AuditEntry, error)

	// AcquireLease takes or renews the named lease for holder until
	// now+ttl, and reports whether holder has it: false while another
	// holder's lease runs. ReleaseLease gives it up.
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error

	// LockContact serialises threading for one contact across nodes until the
	// transaction ends (a no-op where there is a single writer).
	LockContact(ctx context.Context, contactID ID) error
}
