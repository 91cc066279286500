-- In-app notifications (the bell) and each user's choice of which of them
-- also come by email. Security emails (verification codes, password reset
-- and change) are not notifications and cannot be switched off.

CREATE TABLE notifications (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN ('booking_confirmed', 'booking_rescheduled',
                        'booking_cancelled', 'reminder', 'invitation', 'payment_request')),
    appointment_id  uuid REFERENCES appointments (id) ON DELETE CASCADE,
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    -- A path on the site the notification is read on ('' when there is nowhere to go).
    link            text NOT NULL DEFAULT '' CHECK (link = '' OR (link LIKE '/%' AND link NOT LIKE '//%')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    read_at         timestamptz
);
-- The bell's unread count and the list, newest first.
CREATE INDEX notifications_user_idx ON notifications (user_id, read_at, created_at);
-- For the cascade when an appointment is deleted.
CREATE INDEX notifications_appointment_idx ON notifications (appointment_id) WHERE appointment_id IS NOT NULL;

-- A row only when the user chose; no row means the email is sent.
CREATE TABLE notification_preferences (
    user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind     text NOT NULL CHECK (kind IN ('booking_confirmed', 'booking_rescheduled',
                 'booking_cancelled', 'reminder', 'invitation', 'payment_request')),
    email    boolean NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- The dashboard, connections, notifications and their settings use the
-- existing `account` object (any onboarded user): no new policy rows.
