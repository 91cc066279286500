-- The control plane: resellers, company hubs (tenants), their domains, and the
-- registry of tenant migrations every hub schema is measured against.

CREATE TABLE resellers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{1,38})[a-z0-9]$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenants (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug            text NOT NULL CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{1,38})[a-z0-9]$'),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- Made by the system from the id, never from input (ARCHITECTURE.md rule 2).
    schema_name     text GENERATED ALWAYS AS ('t_' || id::text) STORED,
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    reseller_id     bigint REFERENCES resellers (id) ON DELETE RESTRICT,
    plan            text NOT NULL DEFAULT 'standard',
    -- The last tenant migration applied to this hub's schema; 0 = schema not made yet.
    -- `hearth migrate` decides from this column alone whether anything is to do.
    schema_version  bigint NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tenants_slug_key UNIQUE (slug)
);
CREATE INDEX tenants_schema_version_idx ON tenants (schema_version);
CREATE INDEX tenants_reseller_idx ON tenants (reseller_id);

CREATE TABLE tenant_domains (
    domain      text PRIMARY KEY CHECK (domain = lower(domain) AND domain ~ '^[a-z0-9.-]{3,253}$'),
    tenant_id   bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenant_domains_tenant_idx ON tenant_domains (tenant_id);

-- Tenant migrations this database has adopted, with their checksums: a file
-- edited after adoption is refused by `hearth migrate`.
CREATE TABLE tenant_migrations (
    version      bigint PRIMARY KEY,
    description  text NOT NULL,
    checksum     bytea NOT NULL,
    adopted_at   timestamptz NOT NULL DEFAULT now()
);

-- Every node caches resolved hubs; a change to a hub or its domains tells them all.
CREATE FUNCTION notify_tenant_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hearth_tenant_changed', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE TRIGGER tenants_notify
    AFTER INSERT OR UPDATE OF slug, name, status, reseller_id, plan OR DELETE ON tenants
    FOR EACH STATEMENT EXECUTE FUNCTION notify_tenant_change();
CREATE TRIGGER tenant_domains_notify
    AFTER INSERT OR UPDATE OR DELETE ON tenant_domains
    FOR EACH STATEMENT EXECUTE FUNCTION notify_tenant_change();

-- Global identity: one account across every professional and hub a person meets.
CREATE TABLE users (
    id                 uuid PRIMARY KEY,
    email              text NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND position('@' in email) > 1),
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    password_hash      text,
    email_verified_at  timestamptz,
    language           text NOT NULL DEFAULT 'en',
    timezone           text NOT NULL DEFAULT 'UTC',
    is_operator        boolean NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE professionals (
    user_id      uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    title        text NOT NULL DEFAULT '',
    bio          text NOT NULL DEFAULT '',
    specialties  text[] NOT NULL DEFAULT '{}',
    languages    text[] NOT NULL DEFAULT '{}',
    country      text NOT NULL DEFAULT '',
    verified_at  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reseller_admins (
    reseller_id  bigint NOT NULL REFERENCES resellers (id) ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (reseller_id, user_id)
);
