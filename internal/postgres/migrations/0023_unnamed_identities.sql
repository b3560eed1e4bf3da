-- People a platform names only by id (Meta's messaging webhooks carry a
-- PSID or IGSID), whose profile the look-up worker fetches: a partial
-- index, so finding them reads only them, not every named identity.
CREATE INDEX identities_unnamed ON identities(workspace_id, platform, id) WHERE display_name = '' AND handle = '';
