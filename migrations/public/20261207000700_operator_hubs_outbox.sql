-- The operator's console lists every hub, searched by part of its name or
-- slug in any case: trigram indexes answer `ILIKE '%…%'` without reading
-- every row, and `(name, id)` gives the pages their order.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX tenants_name_trgm_idx ON tenants USING gin (name gin_trgm_ops);
CREATE INDEX tenants_slug_trgm_idx ON tenants USING gin (slug gin_trgm_ops);
CREATE INDEX tenants_name_idx ON tenants (name, id);

-- Each listed hub's members are counted by hub (the primary key starts
-- with the user); deleting a hub finds its rows through it too.
CREATE INDEX member_directory_tenant_idx ON member_directory (tenant_id);

-- Emails given up on, newest first, and their count, without reading every
-- email ever sent.
CREATE INDEX email_outbox_dead_idx ON email_outbox (id) WHERE status = 'dead';
