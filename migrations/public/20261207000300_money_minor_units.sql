-- Prices are whole minor units of their currency (ISO 4217's decimals: a
-- króna has none, a euro cent is 1/100), no longer hundredths of every
-- currency. The only stored currency without two decimals is ISK.
ALTER TABLE services RENAME COLUMN price_cents TO price_minor;
ALTER TABLE appointments RENAME COLUMN price_cents TO price_minor;
UPDATE services SET price_minor = round(price_minor / 100.0) WHERE currency = 'ISK';
UPDATE appointments SET price_minor = round(price_minor / 100.0) WHERE currency = 'ISK';
ALTER TABLE services RENAME CONSTRAINT services_price_cents_check TO services_price_minor_check;
ALTER TABLE appointments RENAME CONSTRAINT appointments_price_cents_check TO appointments_price_minor_check;
