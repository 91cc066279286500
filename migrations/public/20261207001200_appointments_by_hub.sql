-- The reseller's company list reads this month's sessions of the 50 hubs on
-- its page (and the monthly statement, a month of each hub): by hub and time.
CREATE INDEX IF NOT EXISTS appointments_tenant_starts_idx ON appointments (tenant_id, starts_at);
