-- One company hub. Runs with search_path = "<hub schema>", public: unqualified
-- names below are the hub's own tables; `public.` names are the shared ones.

CREATE TABLE hub_settings (
    singleton          boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    welcome_text       text NOT NULL DEFAULT '',
    brand_color        text NOT NULL DEFAULT '#1f6f5c' CHECK (brand_color ~ '^#[0-9a-f]{6}$'),
    accent_color       text NOT NULL DEFAULT '#f4b942' CHECK (accent_color ~ '^#[0-9a-f]{6}$'),
    theme              text NOT NULL DEFAULT 'default',
    default_language   text NOT NULL DEFAULT 'en',
    credits_per_period integer NOT NULL DEFAULT 0 CHECK (credits_per_period >= 0),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
INSERT INTO hub_settings DEFAULT VALUES;

CREATE TABLE members (
    user_id    uuid PRIMARY KEY REFERENCES public.users (id) ON DELETE CASCADE,
    role       text NOT NULL DEFAULT 'employee' CHECK (role IN ('employee', 'hr_admin')),
    status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
    joined_at  timestamptz NOT NULL DEFAULT now()
);

-- The professionals this hub offers its employees.
CREATE TABLE roster (
    professional_id  uuid PRIMARY KEY REFERENCES public.professionals (user_id) ON DELETE CASCADE,
    position         integer NOT NULL DEFAULT 0,
    added_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id  uuid,
    action    text NOT NULL,
    detail    jsonb NOT NULL DEFAULT '{}',
    at        timestamptz NOT NULL DEFAULT now()
);
