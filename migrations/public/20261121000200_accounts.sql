-- Accounts: sessions, terms, email verification, password resets, throttling,
-- invitations and connections, and the casbin policy table.

-- Server-side sessions. Only a hash of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash    bytea PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

CREATE TABLE terms_acceptances (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version      text NOT NULL,
    accepted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, version)
);

-- One live 6-digit code per user; its hash only.
CREATE TABLE email_verifications (
    user_id       uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    email         text NOT NULL,
    code_hash     bytea NOT NULL,
    attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    expires_at    timestamptz NOT NULL,
    last_sent_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE password_resets (
    token_hash  bytea PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);

-- Failures by key ('account:<email>' or 'ip:<address>') in a sliding hour.
CREATE TABLE auth_throttle (
    key           text PRIMARY KEY,
    failures      integer NOT NULL DEFAULT 0,
    window_start  timestamptz NOT NULL DEFAULT now(),
    locked_until  timestamptz
);

-- A professional's invitation to a (future) client.
CREATE TABLE invitations (
    id               uuid PRIMARY KEY,
    professional_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email            text NOT NULL CHECK (position('@' in email) > 1),
    name             text,
    message          text CHECK (length(message) <= 2000),
    token_hash       bytea NOT NULL UNIQUE,
    created_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    accepted_at      timestamptz,
    accepted_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    revoked_at       timestamptz,
    CHECK (accepted_at IS NULL OR revoked_at IS NULL)
);
ALTER TABLE email_verifications ADD COLUMN invitation_id uuid REFERENCES invitations (id) ON DELETE SET NULL;
CREATE INDEX invitations_professional_idx ON invitations (professional_id, created_at DESC);

-- Professional <-> client, one row a pair.
CREATE TABLE connections (
    professional_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source           text NOT NULL CHECK (source IN ('invitation', 'booking', 'manual')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (professional_id, client_id),
    CHECK (professional_id <> client_id)
);
CREATE INDEX connections_client_idx ON connections (client_id);

-- casbin's policies (the sqlx-adapter's layout). Subjects are roles; which
-- roles a user holds in a domain comes from the data that owns them.
CREATE TABLE casbin_rule (
    id     serial PRIMARY KEY,
    ptype  varchar NOT NULL,
    v0     varchar NOT NULL,
    v1     varchar NOT NULL,
    v2     varchar NOT NULL,
    v3     varchar NOT NULL,
    v4     varchar NOT NULL,
    v5     varchar NOT NULL,
    CONSTRAINT unique_key_sqlx_adapter UNIQUE (ptype, v0, v1, v2, v3, v4, v5)
);

CREATE FUNCTION notify_policy_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hearth_policy_changed', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER casbin_rule_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON casbin_rule
    FOR EACH STATEMENT EXECUTE FUNCTION notify_policy_change();

-- Least privilege: what each role may do, by domain (keyMatch: `*` is any
-- domain, `tenant:*` any hub). Roles: anonymous (no session), pending (signed
-- up, terms or email not done), user (onboarded), and the roles a user holds:
-- professional, employee, hr_admin (in a hub), operator.
INSERT INTO casbin_rule (ptype, v0, v1, v2, v3, v4, v5) VALUES
    ('p', 'anonymous', '*', 'public', 'read', '', ''),
    ('p', 'anonymous', '*', 'probe', 'read', '', ''),
    ('p', 'anonymous', '*', 'auth', 'read', '', ''),
    ('p', 'anonymous', '*', 'auth', 'write', '', ''),
    ('p', 'pending', '*', 'public', 'read', '', ''),
    ('p', 'pending', '*', 'probe', 'read', '', ''),
    ('p', 'pending', '*', 'auth', 'read', '', ''),
    ('p', 'pending', '*', 'auth', 'write', '', ''),
    ('p', 'pending', '*', 'onboarding', 'read', '', ''),
    ('p', 'pending', '*', 'onboarding', 'write', '', ''),
    ('p', 'pending', '*', 'session', 'write', '', ''),
    ('p', 'user', '*', 'public', 'read', '', ''),
    ('p', 'user', '*', 'probe', 'read', '', ''),
    ('p', 'user', '*', 'auth', 'read', '', ''),
    ('p', 'user', '*', 'auth', 'write', '', ''),
    ('p', 'user', '*', 'onboarding', 'read', '', ''),
    ('p', 'user', '*', 'onboarding', 'write', '', ''),
    ('p', 'user', '*', 'session', 'write', '', ''),
    ('p', 'user', '*', 'account', 'read', '', ''),
    ('p', 'user', '*', 'account', 'write', '', ''),
    ('p', 'professional', '*', 'invitations', 'read', '', ''),
    ('p', 'professional', '*', 'invitations', 'write', '', ''),
    ('p', 'hr_admin', 'tenant:*', 'hub_admin', 'read', '', ''),
    ('p', 'hr_admin', 'tenant:*', 'hub_admin', 'write', '', ''),
    ('p', 'operator', '*', 'platform_admin', 'read', '', ''),
    ('p', 'operator', '*', 'platform_admin', 'write', '', '');

-- Which hubs a user belongs to, written by each hub's own transactions (a
-- trigger on its members table), so cross-hub questions never join hub schemas.
CREATE TABLE member_directory (
    tenant_id  bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text NOT NULL,
    status     text NOT NULL,
    PRIMARY KEY (user_id, tenant_id)
);

-- Hubs made before this migration keep their directory through the tenant
-- migration that adds the trigger (it back-fills).
