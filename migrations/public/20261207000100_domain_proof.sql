-- A custom domain serves its hub only once the hub proved control of it: the
-- DNS holds a TXT record `_hearth-challenge.<domain>` = `hearth-verify=<token>`.
-- Domains added before this migration were never proved: they wait for their
-- proof like a new one (the HR admin's domain page shows the record to add).
ALTER TABLE tenant_domains
    ADD COLUMN token       text,
    ADD COLUMN verified_at timestamptz,
    ADD COLUMN checked_at  timestamptz,
    ADD COLUMN last_check  text CONSTRAINT tenant_domains_last_check_check
        CHECK (last_check IN ('found', 'missing', 'unreachable'));
UPDATE tenant_domains SET token = replace(gen_random_uuid()::text, '-', '');
ALTER TABLE tenant_domains
    ALTER COLUMN token SET NOT NULL,
    ADD CONSTRAINT tenant_domains_token_check CHECK (token ~ '^[0-9a-f]{32}$');
CREATE INDEX tenant_domains_checked_idx ON tenant_domains (checked_at NULLS FIRST);

-- Nodes forget resolved hubs when a domain comes, goes, or gains or loses its
-- proof; not on every periodic check that changes nothing.
DROP TRIGGER tenant_domains_notify ON tenant_domains;
CREATE TRIGGER tenant_domains_notify
    AFTER INSERT OR DELETE ON tenant_domains
    FOR EACH STATEMENT EXECUTE FUNCTION notify_tenant_change();
CREATE TRIGGER tenant_domains_notify_proof
    AFTER UPDATE ON tenant_domains
    FOR EACH ROW
    WHEN (OLD.verified_at IS DISTINCT FROM NEW.verified_at
          OR OLD.domain IS DISTINCT FROM NEW.domain
          OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
    EXECUTE FUNCTION notify_tenant_change();
