-- A reseller's own look, which its companies' hubs follow until their HR admin
-- publishes one of their own; the professionals a reseller works with (the
-- rosters it offers new companies); and company templates: a company's
-- settings saved to onboard the next one from.

ALTER TABLE resellers
    ADD COLUMN theme text,
    ADD COLUMN brand_color text CHECK (brand_color ~ '^#[0-9a-f]{6}$'),
    ADD COLUMN accent_color text CHECK (accent_color ~ '^#[0-9a-f]{6}$'),
    -- All three or none (none: the platform's default look).
    ADD CONSTRAINT resellers_look_whole
        CHECK ((theme IS NULL) = (brand_color IS NULL) AND (theme IS NULL) = (accent_color IS NULL));

CREATE TABLE reseller_professionals (
    reseller_id      bigint NOT NULL REFERENCES resellers (id) ON DELETE CASCADE,
    professional_id  uuid NOT NULL REFERENCES professionals (user_id) ON DELETE CASCADE,
    added_by         uuid REFERENCES users (id) ON DELETE SET NULL,
    added_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (reseller_id, professional_id)
);

CREATE TABLE company_templates (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reseller_id      bigint NOT NULL REFERENCES resellers (id) ON DELETE CASCADE,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- The company's own look; NULL: it follows the reseller's.
    theme            text,
    brand_color      text CHECK (brand_color ~ '^#[0-9a-f]{6}$'),
    accent_color     text CHECK (accent_color ~ '^#[0-9a-f]{6}$'),
    credits_per_period integer NOT NULL CHECK (credits_per_period >= 0),
    period_months    integer NOT NULL CHECK (period_months IN (1, 3, 6, 12)),
    roster           uuid[] NOT NULL DEFAULT '{}',
    -- [{"plugin_id": "<hash>", "hook": "credit_cost", "config": {...}}, ...]
    plugins          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(plugins) = 'array'),
    -- The company it was saved from (its slug then), for the list.
    saved_from       text NOT NULL DEFAULT '',
    created_by       uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT company_templates_look_whole
        CHECK ((theme IS NULL) = (brand_color IS NULL) AND (theme IS NULL) = (accent_color IS NULL)),
    CONSTRAINT company_templates_name_key UNIQUE (reseller_id, name)
);
