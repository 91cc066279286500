-- Browsers where an account's owner logged in: a correct password from one
-- of them passes a login lock that others caused from the same address.
-- Only the token's hash is kept; the cookie carries the token.
CREATE TABLE known_devices (
    token_hash    bytea PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX known_devices_user_idx ON known_devices (user_id, last_used_at);
