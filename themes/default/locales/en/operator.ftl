## usermenu, operator_nav, operator_home, operator_professionals
menu-operator-console = Operator console
operator-nav-title = Operator console
operator-nav-home = Overview
operator-nav-professionals = Professionals
operator-home-intro = The platform at a glance. Hubs and resellers are managed with the hearth command.
operator-home-waiting = Waiting for verification
operator-home-waiting-link = Review professionals
operator-home-hubs = Hubs
operator-home-hubs-suspended = { $count ->
    [0] None suspended.
    [one] { $count } suspended.
   *[other] { $count } suspended.
}
operator-home-hubs-cli = Managed with <code>hearth tenant</code>.
operator-home-resellers = Resellers
operator-home-resellers-cli = Managed with <code>hearth reseller</code>.
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
