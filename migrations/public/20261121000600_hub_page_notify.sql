-- Hub pages show professionals (name, title, specialties, photo, services)
-- from these shared tables, cached on every node. A change here may touch any
-- hub's roster: the empty payload tells every node to drop every hub's entry.
CREATE FUNCTION notify_hub_pages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hearth_hub_page_changed', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER professionals_hub_page_notify
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON professionals
    FOR EACH STATEMENT EXECUTE FUNCTION notify_hub_pages_changed();

CREATE TRIGGER services_hub_page_notify
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services
    FOR EACH STATEMENT EXECUTE FUNCTION notify_hub_pages_changed();

-- Only a name change matters of users (not sign-ins or password changes).
CREATE TRIGGER users_name_hub_page_notify
    AFTER UPDATE OF name ON users
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION notify_hub_pages_changed();
