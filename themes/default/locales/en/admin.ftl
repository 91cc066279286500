## admin_nav, admin_audit, admin_domain, admin_professionals
admin-nav-title = Hub settings
admin-nav-branding = Branding
admin-nav-eligibility = Eligibility
admin-nav-credits = Credits
admin-nav-professionals = Professionals
admin-nav-domain = Domain
admin-nav-audit = Audit log
admin-audit-intro = The last 50 changes to your hub's settings: who, what, when, before and after.
admin-audit-none = No changes yet.
admin-audit-who = Who
admin-audit-what = What
admin-audit-before = Before
admin-audit-after = After
admin-domain-heading = Custom domain
admin-domain-intro = Your hub is always at <strong>{ $target }</strong>. It can also answer at a domain of your own: add it here, then point the domain at <code>{ $target }</code> with a DNS CNAME record.
admin-domain-yours = Your domains
common-remove = Remove
admin-domain-add-label = Add a domain
admin-domain-add-hint = For example wellbeing.acme.com.
admin-domain-add = Add domain
admin-pros-intro = The verified professionals your employees can book, in the order your hub shows them.
admin-pros-roster = Roster
admin-pros-none = There are no verified professionals on Hearth yet.
admin-pros-on-hub = On your hub
common-yes = Yes
common-no = No
admin-pros-up = Move up
admin-pros-down = Move down
admin-pros-add = Add

## admin_credits.html
admin-credits-intro = Each employee who claims their credits gets the period's credits once. A session booked through the hub costs the credits of the professional's service (or what your credit plugin decides).
admin-credits-period = This period: { $start } to { $end }
admin-credits-members = Members
admin-credits-granted = Credits granted
admin-credits-spent = Credits spent
admin-credits-left = Credits left, all members
admin-credits-policy = Credit policy
admin-credits-per-period = Credits per employee per period
admin-credits-period-label = Period
admin-credits-month = A month
admin-credits-quarter = A quarter
admin-credits-half-year = Half a year
admin-credits-year = A year
admin-credits-start = A period starts in (year and month)
admin-credits-start-hint = For example 2026-01 for calendar years.
admin-credits-rollover = Unused credits roll over into the next period
admin-credits-cutoff = Cancellation cutoff (hours before a session)
admin-credits-cutoff-hint = Cancelling later than this forfeits the session's credits.
admin-credits-timezone = Timezone of the hub
admin-credits-save = Save policy
admin-credits-topup = Add credits for an employee
admin-credits-topup-email = Employee's email
admin-credits-topup-credits = Credits to add
admin-credits-topup-note = Note (optional)
admin-credits-topup-button = Add credits

## admin_eligibility.html
admin-elig-intro = Who may join your hub: anyone with an address at an allowed domain, anyone with an open invite code, or the employees on your list.
admin-elig-report = Import report
admin-elig-imported = { $count ->
    [one] { $count } row imported.
   *[other] { $count } rows imported.
}
admin-elig-not-imported = { $count ->
    [one] { $count } row was not imported:
   *[other] { $count } rows were not imported:
}
admin-elig-row = Row
admin-elig-problem = Problem
admin-elig-row-number = Row { $number }
admin-elig-domains = Allowed email domains
admin-elig-domain-hint = For example acme.com: anyone with an @acme.com address may join.
admin-elig-codes = Invite codes
admin-elig-code = Code
admin-elig-created = Created
admin-elig-revoked = Revoked
admin-elig-open = Open
admin-elig-revoke-sr = code { $code }
admin-elig-create-code = Create a code
admin-elig-list = Employee list
admin-elig-count = { $count ->
    [one] { $count } employee on the list.
   *[other] { $count } employees on the list.
}
admin-elig-upload = Upload a CSV file
admin-elig-upload-hint = One employee a row: the email address, then optionally the name (<code>ann@acme.com,Ann Lee</code>). A first row <code>email,name</code> is skipped. At most 2 MB. Good rows are imported; bad rows are listed with their row numbers.
admin-elig-import = Import
admin-elig-latest = Latest additions

## admin_branding.html
admin-brand-not-saved = Nothing was saved or published. Please correct the fields marked below.
admin-brand-unpublished = The draft differs from what your employees see. Check the preview, then publish it.
admin-brand-draft = Draft
admin-brand-colour = Brand colour
admin-brand-colour-hint = Header and buttons, with white text on it; also links on white. Use #rrggbb.
admin-brand-contrast = Contrast { $ratio }:1
admin-brand-passes = (passes AA)
admin-brand-fails = (fails AA)
admin-brand-suggested = Suggested:
admin-brand-accent = Accent colour
admin-brand-accent-hint = Highlights and focus rings, with dark text on it. Use #rrggbb.
admin-brand-theme = Theme
admin-brand-welcome = Welcome text
admin-brand-welcome-hint = Shown at the top of your hub. Markdown: **bold**, _italic_, [links](https://example.com), lists.
admin-brand-save = Save draft and preview
admin-brand-logo = Logo
admin-brand-logo-alt = Current draft logo
admin-brand-logo-remove = Remove logo
admin-brand-no-logo = No logo: the first letter of the hub's name is shown.
admin-brand-logo-upload = Upload a logo
admin-brand-logo-hint = PNG, JPEG or SVG, at most 2 MB. Large images are scaled to 1024 pixels; SVGs are cleaned of scripts and links.
admin-brand-logo-button = Upload to draft
admin-brand-preview = Preview
admin-brand-preview-open = Open the preview in a new tab
admin-brand-preview-title = Preview of your hub with the draft branding
admin-brand-publish = Publish
admin-brand-discard = Discard draft

