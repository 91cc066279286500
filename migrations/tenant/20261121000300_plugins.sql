-- The hub's plugins. Each row installs one plugin (from public.plugins) for one
-- hook with the config the hub's HR admin saved. Rows are never deleted: the
-- table is the hub's installation history, and a rollback re-activates the
-- newest earlier row for the hook that was not itself rolled back.

CREATE TABLE plugin_installations (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plugin_id        text NOT NULL REFERENCES public.plugins (id),
    hook             text NOT NULL CHECK (hook IN ('credit_cost', 'period_grant', 'booking_allowed', 'theme')),
    config           jsonb NOT NULL DEFAULT 'null',
    -- The one installation the hub's calls for this hook go to.
    active           boolean NOT NULL DEFAULT true,
    -- Set when an HR admin disables it, or when it kept failing.
    disabled_at      timestamptz,
    disabled_reason  text CHECK (length(disabled_reason) <= 500),
    -- Set when a rollback moved away from it: it is never rolled back to.
    rolled_back_at   timestamptz,
    installed_by     uuid REFERENCES public.users (id) ON DELETE SET NULL,
    installed_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((disabled_at IS NULL) = (disabled_reason IS NULL)),
    CHECK (NOT (active AND rolled_back_at IS NOT NULL))
);
-- One active plugin per hook per hub.
CREATE UNIQUE INDEX plugin_installations_one_active_per_hook
    ON plugin_installations (hook) WHERE active;
CREATE INDEX plugin_installations_hook_idx ON plugin_installations (hook, id DESC);

-- Every node caches the hub's active plugins; tell them when they change.
-- The payload is the hub's id (the schema is `t_<id>`).
CREATE FUNCTION notify_plugins_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hearth_plugins_changed', substr(TG_TABLE_SCHEMA, 3));
    RETURN NULL;
END;
$$;

CREATE TRIGGER plugin_installations_notify
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plugin_installations
    FOR EACH STATEMENT EXECUTE FUNCTION notify_plugins_changed();
