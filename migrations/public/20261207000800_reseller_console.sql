-- The reseller console at `/reseller`, on the platform's own site: a reseller
-- admin (a user in `reseller_admins`) reads and changes their own resellers'
-- hubs, and nothing else (the handlers also check the reseller of each hub).
INSERT INTO casbin_rule (ptype, v0, v1, v2, v3, v4, v5) VALUES
    ('p', 'reseller_admin', 'platform', 'reseller', 'read', '', ''),
    ('p', 'reseller_admin', 'platform', 'reseller', 'write', '', '')
ON CONFLICT DO NOTHING;

-- Every request of a signed-in user asks whether they admin a reseller.
CREATE INDEX IF NOT EXISTS reseller_admins_user_idx ON reseller_admins (user_id);
