-- The hub's credit policy, its append-only credit ledger, each member's
-- balance (never below zero, even under concurrent bookings) and the hub's
-- bookings (appointment <-> ledger entries).

ALTER TABLE hub_settings
    ADD COLUMN period_months              integer NOT NULL DEFAULT 12 CONSTRAINT hub_settings_period_months_check CHECK (period_months IN (1, 3, 6, 12)),
    -- Periods start on this day of the month in the anchor's month, every period_months.
    ADD COLUMN period_anchor              date NOT NULL DEFAULT '2026-01-01' CONSTRAINT hub_settings_period_anchor_check CHECK (extract(day FROM period_anchor) = 1),
    ADD COLUMN rollover                   boolean NOT NULL DEFAULT false,
    ADD COLUMN cancellation_cutoff_hours  integer NOT NULL DEFAULT 24 CONSTRAINT hub_settings_cancellation_cutoff_hours_check CHECK (cancellation_cutoff_hours BETWEEN 0 AND 720),
    ADD COLUMN timezone                   text NOT NULL DEFAULT 'UTC' CONSTRAINT hub_settings_timezone_check CHECK (length(timezone) BETWEEN 1 AND 64);

-- One row a member: the balance of the current period. Every change goes
-- through an UPDATE of this row (which serialises concurrent changes) and a
-- ledger entry recording the balance after it.
CREATE TABLE credit_balances (
    user_id       uuid PRIMARY KEY REFERENCES members (user_id) ON DELETE CASCADE,
    balance       integer NOT NULL CHECK (balance >= 0),
    period_start  date NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE credit_ledger (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN ('grant', 'debit', 'refund', 'forfeit', 'top_up', 'expiry')),
    amount          integer NOT NULL,
    balance_after   integer NOT NULL CHECK (balance_after >= 0),
    period_start    date NOT NULL,
    appointment_id  uuid REFERENCES public.appointments (id) ON DELETE SET NULL,
    actor_id        uuid,
    note            text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    at              timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (CASE kind
             WHEN 'grant' THEN amount >= 0
             WHEN 'refund' THEN amount > 0
             WHEN 'top_up' THEN amount > 0
             WHEN 'debit' THEN amount < 0
             WHEN 'expiry' THEN amount < 0
             WHEN 'forfeit' THEN amount = 0
           END)
);
-- Credits are granted once a member and period.
CREATE UNIQUE INDEX credit_ledger_one_grant ON credit_ledger (user_id, period_start) WHERE kind = 'grant';
CREATE INDEX credit_ledger_user_idx ON credit_ledger (user_id, id);

-- Append-only: entries are never changed or removed (a member's removal cascades).
CREATE FUNCTION credit_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the credit ledger is append-only';
END $$;
CREATE TRIGGER credit_ledger_no_update BEFORE UPDATE ON credit_ledger
    FOR EACH ROW EXECUTE FUNCTION credit_ledger_append_only();

-- The hub's bookings paid in credits.
CREATE TABLE hub_bookings (
    appointment_id  uuid PRIMARY KEY REFERENCES public.appointments (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    credits         integer NOT NULL CHECK (credits >= 0),
    period_start    date NOT NULL,
    debit_id        bigint REFERENCES credit_ledger (id),
    settled         text CHECK (settled IN ('refunded', 'forfeited')),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hub_bookings_user_idx ON hub_bookings (user_id, period_start);
