-- The HR report's roll-up (issue 15): what the report counts, by member and
-- month of the hub's timezone, so that it reads a few small rows a member
-- instead of every booking, appointment and ledger entry of the year.
--
-- Kept by the application, in the transaction of the write it follows (no
-- trigger): a booking, cancellation or reschedule, a client joining a video
-- session (reports::rollup::sync_booking) and every credit ledger entry
-- (reports::rollup::ledger_entry). Counted again from the hub's tables
-- (reports::rollup::rebuild) when the hub's timezone changes, and below, once,
-- for the hub's existing bookings and ledger.

-- The timezone the months below are counted in. Writers take this row FOR
-- SHARE (so they count in its months), a recount FOR UPDATE (so no write
-- counts in the old months while it runs).
CREATE TABLE report_rollup_state (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    zone       text NOT NULL
);

-- One row a member and month.
CREATE TABLE report_rollup (
    user_id     uuid NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    month       date NOT NULL CHECK (extract(day FROM month) = 1),
    -- Hub bookings starting in the month: confirmed, cancelled.
    sessions    integer NOT NULL DEFAULT 0,
    cancelled   integer NOT NULL DEFAULT 0,
    -- Confirmed ones by session type and by mode.
    individual  integer NOT NULL DEFAULT 0,
    couples     integer NOT NULL DEFAULT 0,
    family      integer NOT NULL DEFAULT 0,
    grp         integer NOT NULL DEFAULT 0,
    video       integer NOT NULL DEFAULT 0,
    phone       integer NOT NULL DEFAULT 0,
    in_person   integer NOT NULL DEFAULT 0,
    -- Ledger entries posted in the month: credits granted (grants and
    -- top-ups) and their entries; credits used (debits net of refunds) and
    -- their entries.
    granted     integer NOT NULL DEFAULT 0,
    grants      integer NOT NULL DEFAULT 0,
    used        integer NOT NULL DEFAULT 0,
    uses        integer NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, month)
);
CREATE INDEX report_rollup_month ON report_rollup (month);

-- Each hub booking as the roll-up counted it: what a change takes back out.
-- Also where no-shows come from: a confirmed video session no client joined
-- is a no-show once it has ended, which the report asks when it is read.
CREATE TABLE report_bookings (
    appointment_id  uuid PRIMARY KEY REFERENCES hub_bookings (appointment_id) ON DELETE CASCADE,
    user_id         uuid NOT NULL,
    month           date NOT NULL,
    status          text NOT NULL,
    mode            text NOT NULL,
    session_type    text NOT NULL,
    ends_at         timestamptz NOT NULL,
    attended        boolean NOT NULL
);
CREATE INDEX report_bookings_unattended ON report_bookings (month, ends_at) INCLUDE (user_id)
    WHERE status = 'confirmed' AND mode = 'video' AND NOT attended;

-- Back-fill, in the hub's timezone (UTC if PostgreSQL does not know it; the
-- report then counts again in the hub's own, as after any change of it).
INSERT INTO report_rollup_state (zone) SELECT timezone FROM hub_settings;
DO $$
BEGIN
    PERFORM now() AT TIME ZONE zone FROM report_rollup_state;
EXCEPTION WHEN invalid_parameter_value THEN
    UPDATE report_rollup_state SET zone = 'UTC';
END $$;

INSERT INTO report_bookings (appointment_id, user_id, month, status, mode, session_type, ends_at, attended)
SELECT hb.appointment_id, hb.user_id,
       date_trunc('month', a.starts_at AT TIME ZONE z.zone)::date,
       a.status, a.mode, a.session_type, a.ends_at,
       EXISTS (SELECT 1 FROM public.video_attendance v
               WHERE v.appointment_id = a.id AND v.role = 'client')
FROM hub_bookings hb
JOIN public.appointments a ON a.id = hb.appointment_id
CROSS JOIN report_rollup_state z;

INSERT INTO report_rollup (user_id, month, sessions, cancelled, individual, couples, family, grp,
                           video, phone, in_person, granted, grants, used, uses)
SELECT user_id, month, sum(s), sum(c), sum(ti), sum(tc), sum(tf), sum(tg), sum(mv), sum(mp), sum(mi),
       sum(g), sum(gk), sum(u), sum(uk)
FROM (
    SELECT user_id, month,
           (status = 'confirmed')::int AS s, (status = 'cancelled')::int AS c,
           (status = 'confirmed' AND session_type = 'individual')::int AS ti,
           (status = 'confirmed' AND session_type = 'couples')::int AS tc,
           (status = 'confirmed' AND session_type = 'family')::int AS tf,
           (status = 'confirmed' AND session_type = 'group')::int AS tg,
           (status = 'confirmed' AND mode = 'video')::int AS mv,
           (status = 'confirmed' AND mode = 'phone')::int AS mp,
           (status = 'confirmed' AND mode = 'in_person')::int AS mi,
           0 AS g, 0 AS gk, 0 AS u, 0 AS uk
    FROM report_bookings
    UNION ALL
    SELECT l.user_id, date_trunc('month', l.at AT TIME ZONE z.zone)::date,
           0, 0, 0, 0, 0, 0, 0, 0, 0,
           CASE WHEN l.kind IN ('grant', 'top_up') THEN l.amount ELSE 0 END,
           (l.kind IN ('grant', 'top_up'))::int,
           CASE WHEN l.kind IN ('debit', 'refund') THEN -l.amount ELSE 0 END,
           (l.kind IN ('debit', 'refund'))::int
    FROM credit_ledger l CROSS JOIN report_rollup_state z
    WHERE l.kind IN ('grant', 'top_up', 'debit', 'refund')
) x
GROUP BY user_id, month;
