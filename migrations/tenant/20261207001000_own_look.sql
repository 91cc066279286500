-- Whether the hub has a look of its own (theme and colours) or follows its
-- reseller's. An HR admin who publishes a look other than the reseller's
-- gives the hub its own. Hubs whose look differs from the platform's default
-- already have their own.
ALTER TABLE hub_settings ADD COLUMN own_look boolean NOT NULL DEFAULT false;
UPDATE hub_settings
   SET own_look = (brand_color <> '#1f6f5c' OR accent_color <> '#f4b942' OR theme <> 'default');
