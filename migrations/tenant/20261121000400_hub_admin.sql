-- The HR admin's settings: logos, a draft of the branding to preview before
-- publishing, and who may join the hub (eligibility).

-- Logos, by the hash of their (sanitised or re-encoded) bytes.
CREATE TABLE hub_logos (
    hash          text PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{32}$'),
    content_type  text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/svg+xml')),
    ext           text NOT NULL CHECK (ext IN ('png', 'jpg', 'svg')),
    bytes         bytea NOT NULL CHECK (octet_length(bytes) <= 2097152),
    created_at    timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE hub_settings ADD COLUMN logo_hash text REFERENCES hub_logos (hash);

-- What the HR admin is preparing, when they are: made from hub_settings on
-- the first change, copied back into it and removed on publishing.
CREATE TABLE hub_branding_draft (
    singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    welcome_text  text NOT NULL DEFAULT '',
    brand_color   text NOT NULL DEFAULT '#1f6f5c' CHECK (brand_color ~ '^#[0-9a-f]{6}$'),
    accent_color  text NOT NULL DEFAULT '#f4b942' CHECK (accent_color ~ '^#[0-9a-f]{6}$'),
    theme         text NOT NULL DEFAULT 'default',
    logo_hash     text REFERENCES hub_logos (hash),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Eligibility: an employee may join with an address at one of these domains,
-- with an open invite code, or when listed in eligible_employees.
CREATE TABLE eligibility_domains (
    domain    text PRIMARY KEY CHECK (domain = lower(domain) AND domain ~ '^[a-z0-9.-]{3,253}$'),
    added_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invite_codes (
    code        text PRIMARY KEY CHECK (code ~ '^[A-Z0-9]{6,32}$'),
    created_by  uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE TABLE eligible_employees (
    email        text PRIMARY KEY CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    name         text CHECK (length(name) <= 200),
    imported_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
