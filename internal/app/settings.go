package app

import (
	"encoding/json"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/automator"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/csat"
	"github.com/parleyhq/parley/internal/deadline"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/listen"
	"github.com/parleyhq/parley/internal/savedreply"
	"github.com/parleyhq/parley/internal/screen"
	"github.com/parleyhq/parley/internal/triage"
)

// settings are the workspace settings the API serves, each with its
// validator and the cache to drop when it changes.
func (a *App) settings() map[string]api.Setting {
	return map[string]api.Setting{
		triage.SettingName: {
			Validate: func(doc []byte) error { _, err := triage.ParseSettings(doc); return err },
			// The SLA clocks rank with the triage weights too (they write
			// the priority with the due times), so both caches go.
			Changed: func(ws care.ID) { a.Triage.Invalidate(ws); a.Deadlines.Invalidate(ws) },
			Default: json.RawMessage(`{"topics":null}`),
		},
		automator.SettingName: {
			Validate: func(doc []byte) error { _, err := automator.Parse(doc); return err },
			Changed:  func(ws care.ID) { a.Automation.Invalidate(ws) },
			Default:  json.RawMessage(`{"mode":"all","rules":[]}`),
		},
		csat.SettingName: {
			Validate: func(doc []byte) error { _, _, err := csat.ParseSettings(doc); return err },
			Default:  json.RawMessage(`{"enabled":false}`),
		},
		desk.ApprovalSettingName: {
			Validate: func(doc []byte) error { _, _, err := desk.ParseApprovalSettings(doc); return err },
			Default:  json.RawMessage(`{"roles":[],"tags":[],"words":[],"sla":"15m"}`),
		},
		savedreply.SettingName: {
			Validate: func(doc []byte) error { _, err := savedreply.Parse(doc); return err },
			Default:  json.RawMessage(`{"replies":[]}`),
		},
		desk.SettingName: {
			Validate: func(doc []byte) error { _, err := desk.ParseSettings(doc); return err },
			Default:  json.RawMessage(`{"only_assignee_replies":false}`),
		},
		screen.SettingName: {
			Validate: func(doc []byte) error { _, err := screen.Parse(doc); return err },
			Default:  json.RawMessage(`{"rules":[]}`),
		},
		listen.SettingName: {
			Validate: func(doc []byte) error { _, err := listen.ParseSettings(doc); return err },
			Default:  json.RawMessage(`{"subjects":[]}`),
		},
		deadline.SettingName: {
			Validate: func(doc []byte) error { _, _, err := deadline.ParseSettings(doc); return err },
			Changed:  func(ws care.ID) { a.Deadlines.Invalidate(ws) },
			Default:  json.RawMessage(`{"policies":[]}`),
		},
	}
}
