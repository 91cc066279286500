-- Payments: bills from a professional to their private clients, paid by card
-- through Stripe. The bills here are the source of truth; Stripe holds the
-- cards and moves the money. Hub-funded sessions (credits) produce no bill.

-- What a professional prints on their bills, and their own gapless sequence of
-- bill numbers: the next number is taken by raising `last_bill_number` in the
-- transaction that writes the bill, so two bills never share a number and a
-- rolled-back bill leaves no gap.
ALTER TABLE professionals
    ADD COLUMN business_name    text CHECK (business_name IS NULL OR length(business_name) BETWEEN 1 AND 200),
    ADD COLUMN business_address text CHECK (business_address IS NULL OR length(business_address) BETWEEN 1 AND 500),
    ADD COLUMN business_tax_id  text CHECK (business_tax_id IS NULL OR length(business_tax_id) BETWEEN 1 AND 60),
    -- Tax in basis points (2400 = 24 %), none when NULL.
    ADD COLUMN tax_rate_bp      integer CHECK (tax_rate_bp IS NULL OR tax_rate_bp BETWEEN 0 AND 10000),
    ADD COLUMN bill_due_days    integer NOT NULL DEFAULT 14 CHECK (bill_due_days BETWEEN 0 AND 120),
    ADD COLUMN last_bill_number integer NOT NULL DEFAULT 0 CHECK (last_bill_number >= 0);

-- Whether a private client pays when booking or is billed after the session.
ALTER TABLE services
    ADD COLUMN pay_when text NOT NULL DEFAULT 'after' CHECK (pay_when IN ('booking', 'after'));

-- The same choice as the appointment was booked (NULL: hub-funded, no bill).
ALTER TABLE appointments
    ADD COLUMN pay_when text CHECK (pay_when IN ('booking', 'after'));
-- The payments worker's search for ended sessions still to bill.
CREATE INDEX appointments_bill_after_idx ON appointments (ends_at)
    WHERE pay_when = 'after' AND status = 'confirmed';

CREATE TABLE bills (
    id               uuid PRIMARY KEY,
    professional_id  uuid NOT NULL REFERENCES professionals (user_id) ON DELETE RESTRICT,
    number           integer NOT NULL CHECK (number > 0),
    -- NULL once the client's account is deleted; the bill keeps their name.
    client_id        uuid REFERENCES users (id) ON DELETE SET NULL,
    client_name      text NOT NULL CHECK (length(client_name) BETWEEN 1 AND 200),
    client_email     text NOT NULL CHECK (length(client_email) BETWEEN 3 AND 320),
    appointment_id   uuid UNIQUE REFERENCES appointments (id) ON DELETE SET NULL,
    -- The professional's business details as they were when the bill was issued.
    seller_name      text NOT NULL CHECK (length(seller_name) BETWEEN 1 AND 200),
    seller_address   text,
    seller_tax_id    text,
    currency         text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    subtotal_minor   bigint NOT NULL CHECK (subtotal_minor >= 0),
    tax_rate_bp      integer CHECK (tax_rate_bp IS NULL OR tax_rate_bp BETWEEN 0 AND 10000),
    tax_minor        bigint NOT NULL DEFAULT 0 CHECK (tax_minor >= 0),
    total_minor      bigint NOT NULL CHECK (total_minor > 0 AND total_minor = subtotal_minor + tax_minor),
    refunded_minor   bigint NOT NULL DEFAULT 0 CHECK (refunded_minor BETWEEN 0 AND total_minor),
    status           text NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'paid', 'void', 'refunded', 'partly_refunded')),
    issued_on        date NOT NULL,
    due_on           date NOT NULL,
    paid_at          timestamptz,
    voided_at        timestamptz,
    disputed_at      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT bills_number_key UNIQUE (professional_id, number),
    CONSTRAINT bills_due_check CHECK (due_on >= issued_on),
    -- A bill was paid exactly when it is paid or (partly) refunded.
    CONSTRAINT bills_paid_check CHECK ((status IN ('paid', 'refunded', 'partly_refunded')) = (paid_at IS NOT NULL)),
    CONSTRAINT bills_void_check CHECK ((status = 'void') = (voided_at IS NOT NULL)),
    -- The refund states follow from the amount refunded.
    CONSTRAINT bills_refund_check CHECK (
        (status = 'refunded') = (paid_at IS NOT NULL AND refunded_minor = total_minor)
        AND (status = 'partly_refunded') = (paid_at IS NOT NULL AND refunded_minor > 0 AND refunded_minor < total_minor)
    )
);
CREATE INDEX bills_client_idx ON bills (client_id, issued_on DESC, number DESC);
CREATE INDEX bills_professional_idx ON bills (professional_id, issued_on DESC, number DESC);

CREATE TABLE bill_lines (
    bill_id       uuid NOT NULL REFERENCES bills (id) ON DELETE CASCADE,
    position      smallint NOT NULL CHECK (position BETWEEN 1 AND 100),
    description   text NOT NULL CHECK (length(description) BETWEEN 1 AND 300),
    quantity      integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    unit_minor    bigint NOT NULL CHECK (unit_minor >= 0),
    amount_minor  bigint NOT NULL,
    PRIMARY KEY (bill_id, position),
    CONSTRAINT bill_lines_amount_check CHECK (amount_minor = quantity * unit_minor)
);

-- A client's Stripe customer, made the first time they add a card or pay.
-- The row is written first (customer_id NULL) and locked while the customer
-- is made, so two requests at once make one customer.
CREATE TABLE stripe_customers (
    user_id                 uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    customer_id             text UNIQUE CHECK (customer_id IS NULL OR length(customer_id) BETWEEN 3 AND 255),
    default_payment_method  text CHECK (default_payment_method IS NULL OR length(default_payment_method) BETWEEN 3 AND 255),
    created_at              timestamptz NOT NULL DEFAULT now()
);

-- One payment attempt per bill: every Pay of the bill (a retry, a double
-- click, two tabs) reuses its one PaymentIntent, which Stripe lets succeed
-- only once. The row is locked while the intent is made.
CREATE TABLE bill_payments (
    bill_id            uuid PRIMARY KEY REFERENCES bills (id) ON DELETE CASCADE,
    payment_intent_id  text UNIQUE CHECK (payment_intent_id IS NULL OR length(payment_intent_id) BETWEEN 3 AND 255),
    -- Stripe's status of the intent as last read or told by a verified event.
    status             text NOT NULL DEFAULT 'new',
    -- The last decline or error, as Stripe worded it (shown to the client).
    last_error         text CHECK (last_error IS NULL OR length(last_error) <= 500),
    -- Confirmations asked of Stripe: each has its own idempotency key.
    confirmations      integer NOT NULL DEFAULT 0 CHECK (confirmations >= 0),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Refunds of a paid bill, in full or in part. A refund is written (pending)
-- before Stripe is asked, and its id is the Stripe idempotency key; it is
-- applied to the bill once, when Stripe says it succeeded.
CREATE TABLE bill_refunds (
    id                uuid PRIMARY KEY,
    bill_id           uuid NOT NULL REFERENCES bills (id) ON DELETE CASCADE,
    amount_minor      bigint NOT NULL CHECK (amount_minor > 0),
    reason            text NOT NULL CHECK (reason IN ('requested', 'cancelled')),
    status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    stripe_refund_id  text UNIQUE,
    created_by        uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    applied_at        timestamptz,
    CONSTRAINT bill_refunds_applied_check CHECK ((status = 'succeeded') = (applied_at IS NOT NULL))
);
CREATE INDEX bill_refunds_bill_idx ON bill_refunds (bill_id);

-- Every Stripe event applied, by id: a replayed or concurrent delivery of the
-- same event finds its id here and changes nothing.
CREATE TABLE stripe_events (
    id           text PRIMARY KEY CHECK (length(id) BETWEEN 3 AND 255),
    type         text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);

-- Clients see and pay their own bills (`payments`); professionals issue,
-- list and refund theirs (`billing`).
INSERT INTO casbin_rule (ptype, v0, v1, v2, v3, v4, v5) VALUES
    ('p', 'user', '*', 'payments', 'read', '', ''),
    ('p', 'user', '*', 'payments', 'write', '', ''),
    ('p', 'professional', '*', 'billing', 'read', '', ''),
    ('p', 'professional', '*', 'billing', 'write', '', '')
ON CONFLICT DO NOTHING;
