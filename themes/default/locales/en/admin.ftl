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
admin-domain-serving = Serving your hub
admin-domain-waiting = Waiting for proof
admin-domain-proof-intro = To prove the domain is yours, add this record at your DNS provider. The domain serves your hub once we find it; we look every few minutes, or now when you press Check now. Keep the record: we check it again regularly, and a domain without it stops serving.
admin-domain-record-type = Type
# The DNS record type, as DNS providers name it (not translated).
admin-domain-record-txt = TXT
admin-domain-record-name = Name
admin-domain-record-value = Value
admin-domain-last-missing = Last check: the record was not found.
admin-domain-last-unreachable = Last check: the domain's DNS could not be reached. We will try again.
admin-domain-check = Check now
admin-domain-notice-found = The record was found: the domain now serves your hub.
admin-domain-notice-missing = The record was not found yet. DNS changes can take a while to spread; we keep looking every few minutes.
admin-domain-notice-unreachable = The domain's DNS could not be reached. We will try again in a few minutes.
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
admin-brand-logo-hint = PNG, JPEG or SVG, at most 2 MB. Large images are scaled to 1024 pixels. SVGs are redrawn from their shapes only: scripts, links, embedded images and text are removed, so convert lettering to outlines first.
admin-brand-logo-button = Upload to draft
admin-brand-preview = Preview
admin-brand-preview-open = Open the preview in a new tab
admin-brand-preview-title = Preview of your hub with the draft branding
admin-brand-publish = Publish
admin-brand-discard = Discard draft


## Messages of the admin handlers: uploads and logos
admin-upload-choose-file = Choose a file to upload.
admin-upload-too-large = The file is larger than { $size } MB.
admin-upload-interrupted = The upload was interrupted. Please try again.
admin-logo-not-image = Upload a PNG, JPEG or SVG image.
admin-logo-unreadable = This image could not be read. Upload a PNG, JPEG or SVG image.
admin-logo-not-svg = This file is not a valid SVG image.

## Branding: field errors and notices
admin-brand-error-theme = Choose one of the themes.
admin-brand-error-colour = Use a colour like #1f6f5c.
admin-brand-error-accent = Use a colour like #f4b942.
admin-brand-error-welcome = Use at most 5,000 characters.
# $text is white (text on the brand colour) or dark (text on the accent colour).
admin-brand-error-contrast = { $text ->
        [white] White text on
       *[dark] Dark text on
    } { $color } has a contrast of { $ratio }:1; WCAG AA needs at least 4.5:1.
admin-brand-error-contrast-suggest = { $text ->
        [white] White text on
       *[dark] Dark text on
    } { $color } has a contrast of { $ratio }:1; WCAG AA needs at least 4.5:1. The nearest colour that passes is { $suggestion }.
admin-brand-notice-draft = Draft saved. Check the preview, then publish it.
admin-brand-notice-logo = Logo added to the draft.
admin-brand-notice-logo-removed = Logo removed from the draft.
admin-brand-notice-published = Published: your hub now shows this branding.
admin-brand-notice-discarded = Draft discarded: it is the published branding again.
admin-brand-notice-nothing = Nothing to publish: the draft is what your hub shows.

## Domains, eligibility and the roster: errors and notices
admin-notice-domain-removed = Domain removed.
admin-error-domain = Enter a domain like example.com.
admin-domain-notice-added = Domain added. Add the TXT record below to prove it is yours.
admin-domain-error-platform = Addresses under { $base } are given to hubs by their name; choose a domain of your own.
admin-domain-error-ours = { $domain } is already this hub's.
admin-domain-error-taken = { $domain } is already used by another hub. If it is yours, ask Hearth support to move it.
admin-elig-notice-domain = Domain added.
admin-elig-notice-code = Invite code created.
admin-elig-notice-code-revoked = Invite code revoked.
admin-elig-error-domain-listed = { $domain } is already on the list.
admin-elig-error-choose-csv = Choose a CSV file to upload.
admin-elig-error-too-many-rows = Only { $max } rows are read at a time; upload the rest separately.
admin-elig-error-unreadable = This row could not be read (check its quotes).
admin-elig-error-columns = Too many columns: use email, then an optional name.
admin-elig-error-email = “{ $value }” is not an email address.
admin-elig-error-name = The name is longer than 200 characters.
admin-elig-error-duplicate = { $email } is already on row { $row }.
admin-pros-notice-saved = The roster is saved.

## Credits: errors and notices
admin-credits-notice-policy = Credit policy saved.
admin-credits-notice-topup = Credits added.
admin-credits-error-per-period = Enter a whole number from 0 to 1000.
admin-credits-error-period = Choose a period length.
admin-credits-error-start = Enter the month a period starts, like 2026-01.
admin-credits-error-cutoff = Enter a number of hours from 0 to 720.
admin-credits-error-timezone = Choose a timezone from the list.
admin-credits-error-top-up = Enter a whole number from 1 to 100.
admin-credits-error-note = Keep the note under 200 characters.
admin-credits-error-member = No member of this hub has that email address.
admin-brand-follows = Your hub follows the look { $reseller } chose (theme and colours), and its later changes. Publishing other colours or another theme gives your hub a look of its own.
admin-brand-own = Your hub has a look of its own, not the one { $reseller } chose.
admin-brand-follow = Follow { $reseller }'s look again
