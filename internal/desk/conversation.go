package desk

import (
	"context"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/ingest"
)

// Update changes a conversation's status, snooze, assignee, team or tags,
// or ends its escalation. The assignee must be a member of the workspace and
// the team one of its teams; snoozing needs a time in the future. A member
// of a partner team keeps the conversation among their teams (see
// withinScope).
func (s *Service) Update(ctx context.Context, p care.Principal, convID care.ID, u care.ConversationUpdate) (*care.Conversation, error) {
	var out *care.Conversation
	err := s.update(ctx, func(q care.Queries, now time.Time) ([]care.Event, error) {
		before, err := conversation(ctx, q, p, convID)
		if err != nil {
			return nil, err
		}
		if err := withinScope(ctx, q, p, before, u); err != nil {
			return nil, err
		}
		if u.AssigneeID != nil && *u.AssigneeID != 0 {
			if _, err := q.Member(ctx, p.WorkspaceID, *u.AssigneeID); err != nil {
				return nil, care.Errorf(care.EINVALID, "User %d is not a member of this workspace.", *u.AssigneeID)
			}
			// A disabled account cannot sign in to answer, so the work
			// would wait on nobody.
			if who, err := q.User(ctx, *u.AssigneeID); err != nil {
				return nil, err
			} else if who.Disabled {
				return nil, care.Errorf(care.EINVALID, "%s's account is disabled; assign the conversation to someone who can sign in.", who.Name)
			}
		}
		if u.TeamID != nil && *u.TeamID != 0 {
			t, err := q.Team(ctx, *u.TeamID)
			if err != nil || t.WorkspaceID != p.WorkspaceID {
				return nil, care.Errorf(care.EINVALID, "Team %d is not a team of this workspace.", *u.TeamID)
			}
		}
		if u.AssigneeID != nil {
			if err := mayReassign(ctx, q, p, before, *u.AssigneeID); err != nil {
				return nil, err
			}
		}
		if u.Tags != nil {
			if err := mayUntag(ctx, q, p, before, *u.Tags); err != nil {
				return nil, err
			}
		}
		if u.Status != nil && *u.Status == care.StatusSnoozed {
			if u.SnoozedUntil == nil || !u.SnoozedUntil.After(now) {
				return nil, care.Errorf(care.EINVALID, "Snoozing needs snoozed_until in the future.")
			}
		}
		c, err := q.UpdateConversation(ctx, convID, u, now)
		if err != nil {
			return nil, err
		}
		var alerts []care.Event
		if e := care.ClockFor(before, c); e != "" {
			if alerts, err = s.clock(ctx, q, c, e, now); err != nil {
				return nil, err
			}
		}
		if c.Status != before.Status {
			if c, err = rerank(ctx, q, c, now); err != nil {
				return nil, err
			}
		}
		if c.Status == care.StatusResolved && before.Status != care.StatusResolved && s.Survey != nil {
			evs, err := s.survey(ctx, q, c, now)
			if err != nil {
				return nil, err
			}
			alerts = append(alerts, evs...)
		}
		if s.Automation != nil {
			evs, err := s.Automation.Automate(ctx, q, care.Change{Trigger: "conversation.updated", Conversation: c, At: now})
			if err != nil {
				return nil, err
			}
			alerts = append(alerts, evs...)
		}
		out = c
		if err := audit(ctx, q, p, "conversation.update", target("conversation", c.ID), describe(u), now); err != nil {
			return nil, err
		}
		return append([]care.Event{ingest.NewEvent(care.EventConversationUpdated, c.WorkspaceID, c.ID, 0, c.InboxID, c, now)}, alerts...), nil
	})
	return out, err
}

// describe lists the fields an update sets, for the audit trail.
func describe(u care.ConversationUpdate) map[string]any {
	d := map[string]any{}
	if u.Status != nil {
		d["status"] = *u.Status
	}
	if u.SnoozedUntil != nil {
		d["snoozed_until"] = *u.SnoozedUntil
	}
	if u.AssigneeID != nil {
		d["assignee_id"] = *u.AssigneeID
	}
	if u.TeamID != nil {
		d["team_id"] = *u.TeamID
	}
	if u.Tags != nil {
		d["tags"] = *u.Tags
	}
	if u.EscalationTeamID != nil {
		d["escalation_team_id"] = *u.EscalationTeamID
	}
	return d
}

// Link joins a public thread and its private follow-up, so agents see one
// story. Both must be conversations of the same contact in this workspace.
func (s *Service) Link(ctx context.Context, p care.Principal, publicID, privateID care.ID) error {
	return s.update(ctx, func(q care.Queries, now time.Time) ([]care.Event, error) {
		pub, err := conversation(ctx, q, p, publicID)
		if err != nil {
			return nil, err
		}
		priv, err := conversation(ctx, q, p, privateID)
		if err != nil {
			return nil, err
		}
		if pub.ContactID != priv.ContactID {
			return nil, care.Errorf(care.EINVALID, "Only conversations with the same contact can be linked; merge the contacts first.")
		}
		if err := q.LinkConversations(ctx, publicID, privateID); err != nil {
			return nil, err
		}
		if err := audit(ctx, q, p, "conversation.link", target("conversation", publicID), map[string]any{"private_id": privateID}, now); err != nil {
			return nil, err
		}
		var evs []care.Event
		for _, id := range []care.ID{publicID, privateID} {
			c, err := q.Conversation(ctx, id)
			if err != nil {
				return nil, err
			}
			evs = append(evs, ingest.NewEvent(care.EventConversationUpdated, c.WorkspaceID, c.ID, 0, c.InboxID, c, now))
		}
		return evs, nil
	})
}

// Merge folds the loser contact into the winner with all its history. A
// member of a partner team may not: the contacts' other conversations may
// be outside their view.
func (s *Service) Merge(ctx context.Context, p care.Principal, winnerID, loserID care.ID) (*care.Merge, error) {
	if err := p.Scope.Refuse("merge contacts"); err != nil {
		return nil, err
	}
	var m *care.Merge
	err := s.update(ctx, func(q care.Queries, now time.Time) ([]care.Event, error) {
		var err error
		if m, err = q.MergeContacts(ctx, p.WorkspaceID, winnerID, loserID, now); err != nil {
			return nil, err
		}
		if err := audit(ctx, q, p, "contact.merge", target("contact", winnerID), m, now); err != nil {
			return nil, err
		}
		return []care.Event{ingest.NewEvent(care.EventContactMerged, p.WorkspaceID, 0, 0, 0, m, now)}, nil
	})
	return m, err
}

// Unmerge undoes a merge, moving back exactly what it moved. Like Merge,
// it is not for members of a partner team.
func (s *Service) Unmerge(ctx context.Context, p care.Principal, mergeID care.ID) (*care.Merge, error) {
	if err := p.Scope.Refuse("undo contact merges"); err != nil {
		return nil, err
	}
	var m *care.Merge
	err := s.update(ctx, func(q care.Queries, now time.Time) ([]care.Event, error) {
		var err error
		if m, err = q.UndoMerge(ctx, p.WorkspaceID, mergeID, now); err != nil {
			return nil, err
		}
		if err := audit(ctx, q, p, "contact.unmerge", target("contact", m.WinnerID), m, now); err != nil {
			return nil, err
		}
		return []care.Event{ingest.NewEvent(care.EventContactUnmerged, p.WorkspaceID, 0, 0, 0, m, now)}, nil
	})
	return m, err
}

// WakeSnoozed reopens conversations whose snooze has ended, as the system,
// and returns how many it woke.
func (s *Service) WakeSnoozed(ctx context.Context) (int, error) {
	n := 0
	err := s.update(ctx, func(q care.Queries, now time.Time) ([]care.Event, error) {
		due, err := q.SnoozedDue(ctx, now, 200)
		if err != nil {
			return nil, err
		}
		open := care.StatusOpen
		var evs []care.Event
		for _, c := range due {
			u, err := q.UpdateConversation(ctx, c.ID, care.ConversationUpdate{Status: &open}, now)
			if err != nil {
				return nil, err
			}
			alerts, err := s.clock(ctx, q, u, care.ClockOpen, now)
			if err != nil {
				return nil, err
			}
			evs = append(evs, alerts...)
			if u, err = rerank(ctx, q, u, now); err != nil {
				return nil, err
			}
			sys := care.Principal{WorkspaceID: c.WorkspaceID}
			if err := audit(ctx, q, sys, "conversation.wake", target("conversation", c.ID), map[string]any{"snoozed_until": c.SnoozedUntil}, now); err != nil {
				return nil, err
			}
			evs = append(evs, ingest.NewEvent(care.EventConversationUpdated, u.WorkspaceID, u.ID, 0, u.InboxID, u, now))
		}
		n = len(due)
		return evs, nil
	})
	return n, err
}

// survey sends the customer a satisfaction survey in the conversation's
// channel, when the workspace asks for one and the platform takes the
// message (a closed messaging window refuses it: then no survey).
func (s *Service) survey(ctx context.Context, q care.Queries, c *care.Conversation, now time.Time) ([]care.Event, error) {
	// A survey is a private message; where the customer only ever wrote in
	// public (a comment, a mention) there is no private thread to send it
	// in, and a platform such as Meta would refuse it.
	newest, err := newestInbound(ctx, q, c.ID)
	if err != nil || newest[care.Private] == nil {
		return nil, err
	}
	text, record, err := s.Survey.Offer(ctx, q, c, now)
	if err != nil || text == "" {
		return nil, err
	}
	p := surveyor
	p.WorkspaceID = c.WorkspaceID
	msg, err := s.queue(ctx, q, p, c, Reply{Text: text, Visibility: care.Private}, now)
	switch care.ErrorCode(err) {
	case "":
	case care.EINVALID, care.EFORBIDDEN:
		return nil, audit(ctx, q, p, "csat.skip", target("conversation", c.ID), map[string]any{"reason": care.ErrorMessage(err)}, now)
	default:
		return nil, err
	}
	if err := record(msg.ID); err != nil {
		return nil, err
	}
	if err := audit(ctx, q, p, "csat.send", target("conversation", c.ID), map[string]any{"message_id": msg.ID}, now); err != nil {
		return nil, err
	}
	if s.OutboxWake != nil {
		defer s.OutboxWake()
	}
	return []care.Event{ingest.NewEvent(care.EventMessageCreated, c.WorkspaceID, c.ID, msg.ID, c.InboxID, msg, now)}, nil
}
