-- Caches are told of changes by the code that makes them
-- (hearth_tenants::changes::announce, in the same transaction), not by
-- triggers: on a Citus cluster these tables are reference tables, replicated
-- to every worker, where a trigger fires on every copy and its NOTIFY cannot
-- be part of the two-phase commit.
DROP TRIGGER tenants_notify ON tenants;
DROP TRIGGER tenant_domains_notify ON tenant_domains;
DROP TRIGGER tenant_domains_notify_proof ON tenant_domains;
DROP FUNCTION notify_tenant_change();
DROP TRIGGER casbin_rule_notify ON casbin_rule;
DROP FUNCTION notify_policy_change();
DROP TRIGGER professionals_hub_page_notify ON professionals;
DROP TRIGGER services_hub_page_notify ON services;
DROP TRIGGER users_name_hub_page_notify ON users;
DROP FUNCTION notify_hub_pages_changed();
