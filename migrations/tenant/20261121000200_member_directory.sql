-- Mirror members into public.member_directory in the same transaction.
CREATE FUNCTION sync_member_directory() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    hub bigint := substr(TG_TABLE_SCHEMA, 3)::bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM public.member_directory WHERE tenant_id = hub AND user_id = OLD.user_id;
        RETURN OLD;
    END IF;
    INSERT INTO public.member_directory (tenant_id, user_id, role, status)
    VALUES (hub, NEW.user_id, NEW.role, NEW.status)
    ON CONFLICT (user_id, tenant_id) DO UPDATE SET role = EXCLUDED.role, status = EXCLUDED.status;
    RETURN NEW;
END;
$$;

CREATE TRIGGER members_directory
    AFTER INSERT OR UPDATE OR DELETE ON members
    FOR EACH ROW EXECUTE FUNCTION sync_member_directory();

INSERT INTO public.member_directory (tenant_id, user_id, role, status)
SELECT substr(current_schema(), 3)::bigint, user_id, role, status FROM members
ON CONFLICT DO NOTHING;
