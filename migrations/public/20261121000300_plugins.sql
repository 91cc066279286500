-- The plugin registry: every uploaded WebAssembly module, shared by all hubs.
-- A module's id is the SHA-256 of its bytes, so a new upload of changed code
-- is a new row (a new version) and identical bytes are stored once.

CREATE TABLE plugins (
    id             text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
    name           text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}$'),
    version        text NOT NULL DEFAULT '' CHECK (version ~ '^[A-Za-z0-9._+-]{0,40}$'),
    -- The operator or reseller admin who uploaded it; NULL from the CLI.
    uploaded_by    uuid REFERENCES users (id) ON DELETE SET NULL,
    uploaded_via   text NOT NULL CHECK (uploaded_via IN ('cli', 'reseller_console', 'operator_console')),
    uploaded_at    timestamptz NOT NULL DEFAULT now(),
    size_bytes     integer NOT NULL CHECK (size_bytes > 0),
    hooks          text[] NOT NULL CHECK (
                       cardinality(hooks) > 0
                       AND hooks <@ ARRAY['credit_cost', 'period_grant', 'booking_allowed', 'theme']::text[]),
    -- The JSON document `hearth_config_schema` returns, if the plugin exports it.
    config_schema  jsonb,
    wasm           bytea NOT NULL CHECK (octet_length(wasm) = size_bytes)
);
CREATE INDEX plugins_name_idx ON plugins (name, uploaded_at DESC);
