-- Professionals' services and availability, slot holds and appointments.
-- Appointments are global: one calendar per professional across every hub and
-- private client, so one exclusion constraint makes double-booking impossible.

CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE professionals
    ADD COLUMN kind                text NOT NULL DEFAULT 'psychologist'
        CHECK (kind IN ('psychologist', 'coach', 'counsellor', 'therapist', 'other')),
    ADD COLUMN timezone            text NOT NULL DEFAULT 'UTC' CHECK (length(timezone) BETWEEN 1 AND 64),
    ADD COLUMN buffer_minutes      integer NOT NULL DEFAULT 10 CHECK (buffer_minutes BETWEEN 0 AND 240),
    ADD COLUMN min_notice_minutes  integer NOT NULL DEFAULT 720 CHECK (min_notice_minutes BETWEEN 0 AND 43200),
    ADD COLUMN horizon_days        integer NOT NULL DEFAULT 60 CHECK (horizon_days BETWEEN 1 AND 365),
    ADD COLUMN photo               bytea CHECK (photo IS NULL OR length(photo) <= 2097152),
    ADD COLUMN photo_type          text CHECK (photo_type IS NULL OR photo_type IN ('image/png', 'image/jpeg'));

CREATE TABLE services (
    id                uuid PRIMARY KEY,
    professional_id   uuid NOT NULL REFERENCES professionals (user_id) ON DELETE CASCADE,
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    mode              text NOT NULL DEFAULT 'video' CHECK (mode IN ('video', 'phone', 'in_person')),
    session_type      text NOT NULL DEFAULT 'individual'
        CHECK (session_type IN ('individual', 'couples', 'family', 'group')),
    duration_minutes  integer NOT NULL CHECK (duration_minutes BETWEEN 10 AND 480),
    price_cents       bigint NOT NULL DEFAULT 0 CHECK (price_cents BETWEEN 0 AND 100000000),
    currency          text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
    credits           integer NOT NULL DEFAULT 1 CHECK (credits BETWEEN 0 AND 100),
    active            boolean NOT NULL DEFAULT true,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX services_professional_idx ON services (professional_id) WHERE active;

-- Weekly hours in the professional's own timezone; weekday 1 = Monday (ISO).
CREATE TABLE availability_rules (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    professional_id  uuid NOT NULL REFERENCES professionals (user_id) ON DELETE CASCADE,
    weekday          smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_time       time NOT NULL,
    -- 00:00 as the end means midnight at the end of the day.
    end_time         time NOT NULL,
    CHECK (start_time < end_time OR end_time = '00:00')
);
CREATE INDEX availability_rules_professional_idx ON availability_rules (professional_id);

-- Date exceptions: a day (or part of one) off, or extra hours on a day.
CREATE TABLE availability_exceptions (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    professional_id  uuid NOT NULL REFERENCES professionals (user_id) ON DELETE CASCADE,
    day              date NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('off', 'extra')),
    start_time       time,
    end_time         time,
    CHECK ((start_time IS NULL) = (end_time IS NULL)),
    CHECK (start_time IS NULL OR start_time < end_time),
    CHECK (kind = 'off' OR start_time IS NOT NULL)
);
CREATE INDEX availability_exceptions_professional_idx ON availability_exceptions (professional_id, day);

CREATE TABLE appointments (
    id               uuid PRIMARY KEY,
    -- A professional's records outlive any attempt to delete them with the account.
    professional_id  uuid NOT NULL REFERENCES professionals (user_id) ON DELETE RESTRICT,
    -- NULL once the client's account is deleted (the professional keeps the record).
    client_id        uuid REFERENCES users (id) ON DELETE SET NULL,
    service_id       uuid REFERENCES services (id) ON DELETE SET NULL,
    -- The hub that pays in credits, or NULL for a private client.
    tenant_id        bigint REFERENCES tenants (id) ON DELETE SET NULL,
    service_name     text NOT NULL,
    mode             text NOT NULL CHECK (mode IN ('video', 'phone', 'in_person')),
    session_type     text NOT NULL,
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    -- End of the professional's buffer after the session: what no other session may overlap.
    blocked_until    timestamptz NOT NULL,
    price_cents      bigint NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
    currency         text NOT NULL DEFAULT 'EUR',
    credits          integer NOT NULL DEFAULT 0 CHECK (credits >= 0),
    status           text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
    -- The calendar SEQUENCE: raised on every change the attendees are told of.
    sequence         integer NOT NULL DEFAULT 0,
    created_by       uuid REFERENCES users (id) ON DELETE SET NULL,
    idempotency_key  text CHECK (length(idempotency_key) BETWEEN 8 AND 100),
    cancelled_at     timestamptz,
    cancelled_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    late_cancel      boolean NOT NULL DEFAULT false,
    reminded_24h_at  timestamptz,
    reminded_1h_at   timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at AND ends_at <= blocked_until),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    CONSTRAINT appointments_no_overlap EXCLUDE USING gist (
        professional_id WITH =,
        tstzrange(starts_at, blocked_until, '[)') WITH &&
    ) WHERE (status = 'confirmed')
);
CREATE UNIQUE INDEX appointments_idempotency_key ON appointments (created_by, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX appointments_client_idx ON appointments (client_id, starts_at);
CREATE INDEX appointments_professional_idx ON appointments (professional_id, starts_at);
CREATE INDEX appointments_reminders_idx ON appointments (starts_at)
    WHERE status = 'confirmed' AND (reminded_24h_at IS NULL OR reminded_1h_at IS NULL);

-- A slot a client has chosen and is confirming: no one else reaches the
-- confirm step for it until the hold expires. Expired holds are removed by
-- whoever next holds a slot of the same professional.
CREATE TABLE slot_holds (
    id               uuid PRIMARY KEY,
    professional_id  uuid NOT NULL REFERENCES professionals (user_id) ON DELETE CASCADE,
    client_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    service_id       uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    tenant_id        bigint REFERENCES tenants (id) ON DELETE CASCADE,
    starts_at        timestamptz NOT NULL,
    blocked_until    timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    CHECK (starts_at < blocked_until),
    CONSTRAINT slot_holds_no_overlap EXCLUDE USING gist (
        professional_id WITH =,
        tstzrange(starts_at, blocked_until, '[)') WITH &&
    )
);
CREATE INDEX slot_holds_client_idx ON slot_holds (client_id);

-- Roles for booking: clients book and manage their appointments; professionals
-- manage their profile, services, availability and their clients' appointments.
INSERT INTO casbin_rule (ptype, v0, v1, v2, v3, v4, v5) VALUES
    ('p', 'anonymous', '*', 'booking', 'read', '', ''),
    ('p', 'pending', '*', 'booking', 'read', '', ''),
    ('p', 'user', '*', 'booking', 'read', '', ''),
    ('p', 'user', '*', 'booking', 'write', '', ''),
    ('p', 'user', '*', 'appointments', 'read', '', ''),
    ('p', 'user', '*', 'appointments', 'write', '', ''),
    ('p', 'user', '*', 'practice', 'read', '', ''),
    ('p', 'user', '*', 'practice', 'write', '', ''),
    ('p', 'professional', '*', 'clients', 'read', '', ''),
    ('p', 'professional', '*', 'clients', 'write', '', ''),
    ('p', 'operator', '*', 'professionals_admin', 'read', '', ''),
    ('p', 'operator', '*', 'professionals_admin', 'write', '', ''),
    ('p', 'user', 'tenant:*', 'claim', 'read', '', ''),
    ('p', 'user', 'tenant:*', 'claim', 'write', '', '');
