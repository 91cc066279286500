-- Guests of couples and family video sessions (issue 13): the client makes
-- up to three one-time links; each is claimed by one browser under a name,
-- and the professional admits the guest in the room. Only hashes are kept:
-- of the link's token and of the claiming browser's cookie.
CREATE TABLE public.video_guests (
    id uuid PRIMARY KEY,
    appointment_id uuid NOT NULL REFERENCES public.appointments (id) ON DELETE CASCADE,
    -- Three places per appointment, held by the unique pair below: no race
    -- of two links made at once can make a fourth.
    slot smallint NOT NULL CHECK (slot BETWEEN 1 AND 3),
    token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    created_by uuid REFERENCES public.users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    name text CHECK (name IS NULL OR length(name) BETWEEN 1 AND 200),
    session_hash bytea UNIQUE CHECK (session_hash IS NULL OR octet_length(session_hash) = 32),
    claimed_at timestamptz,
    admitted_at timestamptz,
    CONSTRAINT video_guests_one_place UNIQUE (appointment_id, slot),
    CONSTRAINT video_guests_claimed_whole CHECK (
        (claimed_at IS NULL) = (name IS NULL) AND (claimed_at IS NULL) = (session_hash IS NULL)),
    CONSTRAINT video_guests_admitted_after_claim CHECK (admitted_at IS NULL OR claimed_at IS NOT NULL)
);

-- A guest's attendance names the guest (kept as "a guest" once the link is
-- deleted).
ALTER TABLE public.video_attendance
    ADD COLUMN guest_id uuid REFERENCES public.video_guests (id) ON DELETE SET NULL,
    ADD CONSTRAINT video_attendance_guest_role CHECK (guest_id IS NULL OR role = 'guest');

-- A guest's link works for whoever holds it, signed in or not.
INSERT INTO casbin_rule (ptype, v0, v1, v2, v3, v4, v5) VALUES
    ('p', 'anonymous', '*', 'guest', 'read', '', ''),
    ('p', 'anonymous', '*', 'guest', 'write', '', ''),
    ('p', 'pending', '*', 'guest', 'read', '', ''),
    ('p', 'pending', '*', 'guest', 'write', '', ''),
    ('p', 'user', '*', 'guest', 'read', '', ''),
    ('p', 'user', '*', 'guest', 'write', '', '');
