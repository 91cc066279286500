-- A hub's caches are told of changes, and public.member_directory is
-- written, by the code that changes the hub (hearth_tenants::changes and
-- ::directory, in the same transaction), not by triggers: on a Citus cluster
-- the hub's tables live on a worker, where a trigger can neither reach the
-- coordinator's tables nor NOTIFY inside a two-phase commit (and Citus does
-- not make statement triggers that include TRUNCATE on shards at all).
DROP TRIGGER members_directory ON members;
DROP FUNCTION sync_member_directory();
DROP TRIGGER plugin_installations_notify ON plugin_installations;
DROP FUNCTION notify_plugins_changed();
DROP TRIGGER hub_settings_hub_page_notify ON hub_settings;
DROP TRIGGER roster_hub_page_notify ON roster;
DROP TRIGGER plugin_installations_hub_page_notify ON plugin_installations;
DROP FUNCTION notify_hub_page_changed();
