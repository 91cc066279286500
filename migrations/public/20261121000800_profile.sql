-- My Profile: a person's details beyond name and email, their picture, and
-- an email change waiting for the new address to be proved by a code.

-- "Not in the future" moves with the clock, which a CHECK may not depend on:
-- the application checks it; the database keeps the fixed lower bound.
ALTER TABLE users
    ADD COLUMN date_of_birth  date CHECK (date_of_birth >= DATE '1900-01-01'),
    -- E.164: a plus, a country code that does not start with 0, at most 15 digits.
    ADD COLUMN phone          text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    ADD COLUMN address_line1  text CHECK (length(address_line1) BETWEEN 1 AND 200),
    ADD COLUMN address_line2  text CHECK (length(address_line2) BETWEEN 1 AND 200),
    ADD COLUMN postal_code    text CHECK (length(postal_code) BETWEEN 1 AND 20),
    ADD COLUMN city           text CHECK (length(city) BETWEEN 1 AND 100),
    ADD COLUMN country        text CHECK (length(country) BETWEEN 1 AND 100),
    -- A 256 x 256 JPEG, re-encoded by the application (no metadata kept).
    ADD COLUMN photo          bytea CHECK (octet_length(photo) <= 262144),
    ADD COLUMN photo_type     text CHECK (photo_type = 'image/jpeg'),
    ADD CONSTRAINT users_photo_has_type CHECK ((photo IS NULL) = (photo_type IS NULL)),
    ADD CONSTRAINT users_language_check CHECK (language IN ('en', 'is')),
    ADD CONSTRAINT users_timezone_check CHECK (length(timezone) BETWEEN 1 AND 64);

-- One pending email change a user: the new address is used only once the
-- code sent to it comes back. Only the code's hash is kept.
CREATE TABLE email_changes (
    user_id       uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    new_email     text NOT NULL CHECK (length(new_email) BETWEEN 3 AND 254 AND position('@' in new_email) > 1),
    code_hash     bytea NOT NULL,
    attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    expires_at    timestamptz NOT NULL,
    last_sent_at  timestamptz NOT NULL DEFAULT now()
);
