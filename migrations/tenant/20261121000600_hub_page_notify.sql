-- Every node caches what the hub page is made from (the published branding,
-- the credit period and the roster); tell them when it changes. The payload
-- is the hub's id (the schema is `t_<id>`).
CREATE FUNCTION notify_hub_page_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hearth_hub_page_changed', substr(TG_TABLE_SCHEMA, 3));
    RETURN NULL;
END;
$$;

CREATE TRIGGER hub_settings_hub_page_notify
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hub_settings
    FOR EACH STATEMENT EXECUTE FUNCTION notify_hub_page_changed();

CREATE TRIGGER roster_hub_page_notify
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON roster
    FOR EACH STATEMENT EXECUTE FUNCTION notify_hub_page_changed();

-- A theme plugin styles the hub page: a page rendered before it was
-- installed, changed or disabled must not be served after.
CREATE TRIGGER plugin_installations_hub_page_notify
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plugin_installations
    FOR EACH STATEMENT EXECUTE FUNCTION notify_hub_page_changed();
