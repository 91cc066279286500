## plugins_admin.html
plugins-title = Plugins
plugins-intro = Plugins decide some of your hub's credit rules and branding. When a plugin fails, your hub's own rules apply and members see a normal page.
plugins-none = No plugin is installed.
plugins-hook = Hook
plugins-plugin = Plugin
plugins-disabled = Disabled
plugins-disabled-by-admin = Disabled by an HR admin.
plugins-enabled = Enabled
plugins-enable = Enable
plugins-disable = Disable
plugins-rollback = Roll back
plugins-install-heading = Install a plugin
plugins-none-uploaded = No plugin has been uploaded to the platform yet.
plugins-every-hook = Every hook the plugin implements
plugins-config = Configuration (JSON)
plugins-config-hint = Checked against the settings the plugin declares (below).
plugins-install = Install
plugins-available = Available plugins
plugins-settings = Settings
plugins-no-settings = no declared settings
plugins-history = History
plugins-nothing-yet = Nothing yet.
plugins-installed = Installed
plugins-state = State
plugins-state-active = active
plugins-state-disabled = disabled
plugins-state-rolled-back = rolled back
plugins-state-replaced = replaced


## Messages of the plugin page's handler
plugins-notice-install = The plugin is installed.
plugins-notice-rollback = The previous plugin is active again.
plugins-notice-disable = The plugin is disabled; the hub's own rules apply.
plugins-notice-enable = The plugin is enabled.
plugins-error-choose = Choose a plugin from the list.
# $detail is the JSON parser's own description; $line and $column say where.
plugins-error-json = This is not valid JSON: { $detail }
# $errors: the schema checker's sentences, one a line.
plugins-error-config = { $errors }
plugins-error-hook-not-exported = the plugin does not implement the `{ $hook }` hook
plugins-error-unknown-hook = there is no hook `{ $hook }` (hooks: credit_cost, period_grant, booking_allowed, theme)
plugins-error-nothing-active = no plugin is installed for `{ $hook }`
plugins-error-nothing-to-roll-back = there is no earlier plugin for `{ $hook }` to roll back to

## Why a plugin's config does not fit its schema (after "config.<field>: ")
plugins-schema-not-allowed = is not allowed
plugins-schema-type = must be { $expected ->
    [integer] an integer
    [object] an object
    [array] an array
   *[other] a { $expected }
}, not { $actual }
plugins-schema-types = must be one of: { $expected }, not { $actual }
plugins-schema-enum = must be one of { $values }
plugins-schema-const = must be { $value }
plugins-schema-minimum = must be at least { $bound }
plugins-schema-maximum = must be at most { $bound }
plugins-schema-min-length = must be at least { $count } characters long
plugins-schema-max-length = must be at most { $count } characters long
plugins-schema-required = is required
plugins-schema-unknown = is not a setting of this plugin
plugins-schema-unknown-known = is not a setting of this plugin (settings: { $settings })
