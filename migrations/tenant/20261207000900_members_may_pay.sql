-- Whether a member who has no credits left may book a session at the
-- professional's own price, paid by card (issue 14). Off unless HR turns it on.
ALTER TABLE hub_settings
    ADD COLUMN members_may_pay boolean NOT NULL DEFAULT false;
