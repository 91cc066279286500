-- Video sessions (issue 13): who joined each appointment's room and when, and
-- the signalling messages too large for a NOTIFY payload while nodes pass
-- them on.

-- One row per connection to an appointment's room: a reload or a dropped
-- network makes a new row, so "attended" is "has a row".
CREATE TABLE public.video_attendance (
    id bigserial PRIMARY KEY,
    appointment_id uuid NOT NULL REFERENCES public.appointments (id) ON DELETE CASCADE,
    user_id uuid REFERENCES public.users (id) ON DELETE SET NULL,
    role text NOT NULL CHECK (role IN ('client', 'professional', 'guest')),
    peer uuid NOT NULL,
    joined_at timestamptz NOT NULL DEFAULT now(),
    left_at timestamptz,
    CONSTRAINT video_attendance_left_after_joined CHECK (left_at IS NULL OR left_at >= joined_at)
);
CREATE INDEX video_attendance_appointment ON public.video_attendance (appointment_id, role);

-- Store-and-notify: a message whose NOTIFY payload would pass PostgreSQL's
-- 8,000-byte limit (an SDP offer with many codecs) waits here for the nodes
-- holding the room's sockets; kept a couple of minutes, never chat text.
-- Unlogged: a crash loses only messages the browsers re-send anyway.
CREATE UNLOGGED TABLE public.video_signals (
    id bigserial PRIMARY KEY,
    appointment_id uuid NOT NULL,
    body text NOT NULL CHECK (octet_length(body) <= 65536),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX video_signals_created ON public.video_signals (created_at);
