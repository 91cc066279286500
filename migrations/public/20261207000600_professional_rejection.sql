-- An operator's answer to a professional waiting for verification may be no:
-- when, and the reason they were emailed. A rejected professional no longer
-- waits; saving their profile again clears the rejection and they wait again.
-- Verifying clears it too, so a row is verified, rejected or waiting.
ALTER TABLE professionals
    ADD COLUMN rejected_at       timestamptz,
    ADD COLUMN rejection_reason  text,
    ADD CONSTRAINT professionals_rejection_reason_check
        CHECK ((rejected_at IS NULL) = (rejection_reason IS NULL)
               AND (rejection_reason IS NULL OR char_length(rejection_reason) BETWEEN 1 AND 1000)),
    ADD CONSTRAINT professionals_verified_or_rejected_check
        CHECK (verified_at IS NULL OR rejected_at IS NULL);

-- The operator's queue: professionals neither verified nor rejected, oldest first.
CREATE INDEX professionals_waiting_idx ON professionals (created_at)
    WHERE verified_at IS NULL AND rejected_at IS NULL;
