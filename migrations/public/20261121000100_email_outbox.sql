-- Every email is written here in the same transaction as the change that
-- causes it; workers on any node deliver it (FOR UPDATE SKIP LOCKED).
CREATE TABLE email_outbox (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             text NOT NULL,
    to_address       text NOT NULL CHECK (position('@' in to_address) > 1),
    to_name          text,
    tenant_id        bigint REFERENCES tenants (id) ON DELETE SET NULL,
    subject          text NOT NULL,
    text_body        text NOT NULL,
    html_body        text NOT NULL,
    -- [{"filename": "...", "content_type": "...", "content_base64": "..."}]
    attachments      jsonb NOT NULL DEFAULT '[]',
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz
);
CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX email_outbox_recipient_idx ON email_outbox (lower(to_address));
