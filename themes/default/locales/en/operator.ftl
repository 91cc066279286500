## usermenu, operator_nav, operator_home, operator_professionals
menu-operator-console = Operator console
operator-nav-title = Operator console
operator-nav-home = Overview
operator-nav-professionals = Professionals
operator-home-intro = The platform at a glance.
operator-home-waiting = Waiting for verification
operator-home-waiting-link = Review professionals
operator-home-hubs = Hubs
operator-home-hubs-suspended = { $count ->
    [0] None suspended.
    [one] { $count } suspended.
   *[other] { $count } suspended.
}
operator-home-resellers = Resellers
operator-home-dead = Emails given up on
operator-home-dead-hint = Emails the delivery worker stopped retrying. Their errors are in the outbox.
operator-pros-intro = New professionals wait here until you verify them: until then no hub and no client sees them. Check what they wrote, then verify them, or reject them with a reason: they are emailed it and may change their profile and ask again.
operator-nothing-changed = Nothing was changed. Please correct the field marked below:
operator-pros-waiting = { $count ->
    [0] Waiting for verification
    [one] { $count } waiting for verification
   *[other] { $count } waiting for verification
}
operator-pros-none = No one is waiting for verification.
operator-pros-more = Only the { $count } who have waited longest are shown.
operator-pros-since = Professional since
operator-pros-reads = Reads emails in
operator-language = { $code ->
    [en] English
    [is] Icelandic
   *[other] { $code }
}
operator-pros-not-given = Not given
operator-pros-languages = Holds sessions in
operator-pros-services = Active services
operator-pros-hours = Weekly hours (rules)
operator-pros-photo = Photo
operator-pros-bio = About them
operator-pros-read-all = Read all about
operator-pros-no-bio = No biography yet.
operator-verify = Verify
operator-verify-hint = Hubs that list them can offer their sessions from then on.
operator-reason-label = Or reject { $name }, saying why
operator-reason-hint = They are emailed this, word for word. Say what to change. At most { $max } characters.
operator-reject = Reject
operator-pros-decided = Recently verified or rejected
operator-pros-decided-none = No one yet.
operator-pros-decision = Decision
operator-pros-reason = Reason
operator-pros-verified = Verified
operator-pros-rejected = Rejected
operator-done-verified = Verified. Hubs that list them can offer their sessions now.
operator-done-already = They were verified already: nothing changed.
operator-done-rejected = Rejected. They have been emailed the reason.
operator-error-reason-missing = Write why, so they know what to change.
operator-error-reason-long = The reason is { $count } characters long: at most { $max } are allowed.
operator-error-not-waiting = This professional is no longer waiting for verification: someone has decided already. Nothing was changed.

## operator_nav, operator_home (links), operator_macros (pages of a list)
operator-nav-hubs = Hubs
operator-nav-outbox = Outbox
operator-home-hubs-link = Search, suspend and resume hubs
operator-home-dead-link = See the outbox and retry
operator-page-prev = Previous page
operator-page-next = Next page
operator-page-of = Page { $page } of { $pages }
operator-past-end = This page is past the last one: go back a page.
operator-error-page = There is no such page: pages are numbered from 1 to { $max }.

## operator_hubs
operator-hubs-intro = Every company hub on the platform. Suspending a hub stops it at once on every server: its members see a page saying it is suspended, and nothing of the hub. Suspending and resuming are both written in the hub's audit log, with your name.
operator-hubs-search-label = Search hubs
operator-hubs-search = Name or slug, or part of one
operator-hubs-search-button = Search
operator-hubs-all = Show all hubs
operator-hubs-count = { $count ->
    [one] { $count } hub
   *[other] { $count } hubs
}
operator-hubs-found = { $count ->
    [0] No hub matches your search
    [one] { $count } hub matches your search
   *[other] { $count } hubs match your search
}
operator-hubs-none = There are no hubs yet. They are made with the hearth command.
operator-hubs-none-found = No hub has this in its name or slug.
operator-hubs-fix-search = Shorten the search to look again.
operator-hubs-hub = Hub
operator-hubs-reseller = Reseller
operator-hubs-created = Created
operator-hubs-members = Members
operator-hubs-serving = Serving
operator-hubs-suspended = Suspended
operator-hubs-not-ready = Not set up
operator-hubs-not-ready-hint = Its schema is not made yet: run hearth migrate.
operator-hubs-no-reseller = None
operator-hubs-member-count = { $count ->
    [one] { $count } member
   *[other] { $count } members
}
operator-hubs-suspend = Suspend
operator-hubs-resume = Resume
operator-hubs-audit = Audit log
operator-hubs-pages = Pages of hubs
operator-hubs-done-suspended = Suspended. The hub's pages now say so, on every server.
operator-hubs-done-resumed = Resumed. The hub serves its pages again.
operator-hubs-done-already = The hub was in that state already: nothing changed.
operator-hubs-error-search = The search is too long: at most { $max } characters.
operator-hubs-error-not-ready = This hub's schema is not made yet, so it has no audit log to write in: run hearth migrate first. Nothing was changed.

## operator_hub_audit
operator-audit-title = Audit log of { $name }
operator-audit-back = Back to the hubs
operator-audit-intro = Every change written in the hub's log, newest first: its HR admins' settings, and the platform's suspending and resuming.
operator-audit-filter-label = Filter the audit log
operator-audit-kind = Kind of change
operator-audit-any-kind = Every kind
operator-audit-show = Show
operator-audit-all = Show every kind
operator-audit-count = { $count ->
    [0] No changes
    [one] { $count } change
   *[other] { $count } changes
}
operator-audit-no-actor = An account since deleted
operator-audit-pages = Pages of the audit log
operator-audit-error-action = There is no such kind of change.

## operator_outbox
operator-outbox-intro = Emails the delivery worker stopped retrying, newest first, with the last error the mail server gave. Addresses are masked. Retrying puts an email back in the queue, to be sent now with a fresh set of attempts.
operator-outbox-pending = Waiting to be sent
operator-outbox-retrying = { $count ->
    [0] None of them has failed yet.
    [one] { $count } of them failed before and will be retried.
   *[other] { $count } of them failed before and will be retried.
}
operator-outbox-retry-all = { $count ->
    [one] Retry the { $count } email
   *[other] Retry all { $count } emails
}
operator-outbox-retry-all-hint = Each is sent again now; those that fail again are retried as new emails are.
operator-outbox-dead = Given up on
operator-outbox-none = No email has been given up on.
operator-outbox-email = Email
operator-outbox-queued = Written
operator-outbox-to = To
operator-outbox-attempts = Attempts
operator-outbox-error = Last error
operator-outbox-number = Email { $id }
operator-outbox-attempt-count = { $count ->
    [one] { $count } attempt
   *[other] { $count } attempts
}
operator-outbox-retry = Retry
operator-outbox-retry-which = email { $id }
operator-outbox-pages = Pages of emails given up on
operator-outbox-done-retried = Back in the queue: it is being sent now.
operator-outbox-done-retried-all = Every email given up on is back in the queue and being sent now.
operator-outbox-done-not-dead = That email was not given up on (retried already, or sent): nothing changed.

## operator_nav, operator_home (resellers), operator_resellers
operator-nav-resellers = Resellers
operator-nav-audit = Audit log
operator-nav-plugins = Plugins
operator-home-resellers-link = See, make and give admins to resellers
operator-resellers-intro = The partners who onboard companies. A reseller's admins have its console, where they set up hubs for their customers. An admin is added by the email address of an account they already have.
operator-resellers-count = { $count ->
    [0] No resellers
    [one] { $count } reseller
   *[other] { $count } resellers
}
operator-resellers-none = There are no resellers yet. Make the first one below.
operator-resellers-reseller = Reseller
operator-resellers-hubs = Hubs
operator-resellers-admins = Admins
operator-resellers-hub-count = { $count ->
    [one] { $count } hub
   *[other] { $count } hubs
}
operator-resellers-admin-count = { $count ->
    [one] { $count } admin
   *[other] { $count } admins
}
operator-resellers-add-admin = Add an admin
operator-resellers-email-label = Email address of an account, to make an admin of { $name }
operator-resellers-add-button = Add admin
operator-resellers-new = New reseller
operator-resellers-name = Name
operator-resellers-name-hint = The partner's name, as their admins and customers see it. At most { $max } characters.
operator-resellers-slug = Short name (slug)
operator-resellers-slug-hint = 3 to 40 lowercase letters, digits and hyphens, starting and ending with a letter or digit. It cannot be changed later.
operator-resellers-create = Make the reseller
operator-resellers-done-created = The reseller is made. Add its first admin below.
operator-resellers-done-admin = Added. They find the reseller console in their menu from their next page.
operator-resellers-done-already = They were an admin of this reseller already: nothing changed.
operator-resellers-error-slug-length = The short name must be 3 to 40 characters long.
operator-resellers-error-slug-characters = The short name may contain only lowercase letters (a–z), digits and hyphens.
operator-resellers-error-slug-hyphen = The short name must start and end with a letter or digit.
operator-resellers-error-slug-reserved = This short name is kept for the platform: choose another.
operator-resellers-error-slug-taken = Another reseller has this short name: choose another.
operator-resellers-error-name = Write the reseller's name, in at most { $max } characters on one line.
operator-resellers-error-email = This is not an email address: check it for typing mistakes.
operator-resellers-error-no-account = No account has this email address. Ask them to sign up first, then add them.

## operator_audit
operator-all-audit-intro = Every change written in any hub's audit log, newest first: HR admins' settings, and the platform's suspending and resuming. Narrow it to a hub, a person or a kind of change.
operator-all-audit-hub = Hub (its short name)
operator-all-audit-actor = Who (email address)
operator-all-audit-kind-hint = For example hub.suspend or branding.publish.
operator-all-audit-clear = Show every change
operator-all-audit-no-actor = The platform, or an account since deleted
operator-all-audit-need-hub = There are more than { $max } hubs: choose a hub to read its log.
operator-all-audit-error-hub = No hub has this short name.
operator-all-audit-error-actor = No account has this email address.
operator-all-audit-error-deep = Across hubs the log goes back { $max } pages: choose a hub to read further back.

## operator_plugins
operator-plugins-intro = Every plugin uploaded to the registry, newest first. Hubs install them from here. Plugins are uploaded with <code>hearth plugin upload</code>.
operator-plugins-count = { $count ->
    [0] No plugins
    [one] { $count } plugin
   *[other] { $count } plugins
}
operator-plugins-none = No plugin has been uploaded yet.
operator-plugins-plugin = Plugin
operator-plugins-version = Version
operator-plugins-hooks = Hooks
operator-plugins-uploaded = Uploaded
operator-plugins-by = By
operator-plugins-size = { $kb } KB
operator-plugins-no-version = None
operator-plugins-via = { $via ->
    [cli] The hearth command
    [reseller_console] A reseller's console
   *[other] The operator's console
}
