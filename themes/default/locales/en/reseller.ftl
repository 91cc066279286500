## usermenu, reseller_nav
menu-reseller-console = Reseller console
reseller-nav-title = Reseller console
reseller-nav-companies = Companies
reseller-nav-new = Onboard a company
reseller-nav-switch = Your resellers

## reseller_home
reseller-companies-title = { $reseller }: companies
reseller-companies-intro = The companies you onboarded, each with its own Wellbeing Hub. Suspending a hub stops it at once: its members see a page saying it is suspended, and nothing of the hub. Both are written in the hub's audit log, with your name.
reseller-search-label = Search companies
reseller-search = Name or slug, or part of one
reseller-search-button = Search
reseller-search-all = Show all companies
reseller-count = { $count ->
    [one] { $count } company
   *[other] { $count } companies
}
reseller-found = { $count ->
    [0] No company matches
    [one] { $count } company matches
   *[other] { $count } companies match
}
reseller-none = No companies yet. Onboard your first one.
reseller-none-found = No company matches this search.
reseller-fix-search = Correct the search above to see companies.
reseller-past-end = This page is past the last one: go back a page.
reseller-company = Company
reseller-plan = Plan
reseller-plan-name = { $plan ->
    [standard] Standard
   *[other] { $plan }
}
reseller-members = Active members
reseller-sessions = Sessions this month
reseller-members-figure = { $figure } members
reseller-sessions-figure = { $figure } sessions
reseller-credits = Credits this period
reseller-credits-figure = { $granted } granted, { $used } used
reseller-not-ready = Being set up
reseller-suspended = Suspended
reseller-serving = Serving
reseller-suspend = Suspend
reseller-resume = Resume
reseller-privacy = Figures about fewer than 5 people are not shown, so that no one can be picked out.
reseller-pages = Pages of companies
reseller-page-prev = Previous page
reseller-page-next = Next page
reseller-page-of = Page { $page } of { $pages }
reseller-done-onboarded = The company's hub is ready, and its HR admin has been emailed.
reseller-done-suspended = Suspended. Its members now see a page saying so.
reseller-done-resumed = Resumed. The hub serves again.
reseller-done-already = It was so already: nothing changed.
reseller-error-page = There is no such page: pages are numbered from 1 to { $max }.
reseller-error-search = A search is at most { $max } characters long.
reseller-error-not-ready = This hub is still being set up: try again in a minute.

## reseller_new
reseller-new-title = Onboard a company
reseller-new-intro = This makes the company's Wellbeing Hub at once and emails its first HR admin a link to set it up.
reseller-new-nothing-made = Nothing was made. Please correct the fields marked below.
reseller-new-name = Company name
reseller-new-slug = Hub address (slug)
reseller-new-slug-hint = 3 to 40 lowercase letters, digits and hyphens, starting and ending with a letter or digit. The hub's address ends with it.
reseller-new-email = Email of the first HR admin
reseller-new-email-hint = They become the hub's HR admin and are emailed a link to it. Without an account yet, the link lets them set a password first.
reseller-new-button = Make the hub
reseller-new-cancel = Cancel
reseller-error-name = Give the company's name, at most 200 characters.
reseller-error-slug-length = The slug must be 3 to 40 characters long.
reseller-error-slug-characters = The slug may contain only lowercase letters (a–z), digits and hyphens.
reseller-error-slug-hyphen = The slug must start and end with a letter or digit.
reseller-error-slug-reserved = This slug is kept for the platform: choose another.
reseller-error-slug-taken = Another hub has this slug: choose another.
reseller-error-plan = Choose one of the plans offered.
reseller-error-email = Give a valid email address, such as name@company.com.

## reseller_home: the monthly statement
reseller-statement-title = Monthly usage statement
reseller-statement-intro = A CSV file with one row per company, to bill from: its status and active members today, the sessions held that month and the credits used that month (debits minus refunds). Figures about fewer than 5 people read "fewer than 5", and no one is named.
reseller-statement-month = Month
reseller-statement-month-hint = Year and month, such as 2026-11. Last month unless you choose another.
reseller-statement-button = Download statement (CSV)
reseller-statement-slug = Slug
reseller-statement-name = Company
reseller-statement-sessions = Sessions that month
reseller-statement-used = Credits used that month
reseller-error-month = Choose a month as year and month (such as 2026-11), from 2000-01 to this month.

## reseller_nav, reseller_admins, reseller_home: the reseller's admins
reseller-nav-admins = Admins
reseller-admins-title = Admins
reseller-admins-intro = Everyone here may onboard, suspend and resume companies for { $reseller } and download its statements.
reseller-admins-invited = invited, no password yet
reseller-admins-see = See who they are.
reseller-invite-title = Invite a colleague
reseller-invite-email = Your colleague's email
reseller-invite-hint = With a Hearth account, they become an admin at once and are emailed a link here. Without one, an account is made and the email lets them set a password first.
reseller-invite-button = Invite
reseller-invite-nothing = No one was invited. Please correct the field marked below.
reseller-done-invited = Your colleague is an admin now, and has been emailed.
reseller-done-already-admin = They are an admin already: nothing changed.

## reseller_new: the credit policy
reseller-new-credits-legend = Credits
reseller-new-credits-hint = What each employee gets to book sessions with. The HR admin can change it later in Hub settings.
reseller-new-credits = Credits per employee per period
reseller-new-period = Period
reseller-period-name = { $months ->
    [1] Month
    [3] Quarter
    [6] Half year
   *[12] Year
}
reseller-error-credits = Enter a whole number of credits from 0 to { $max }.
reseller-error-period = Choose a month, a quarter, a half year or a year.

# The reseller's look, professionals and company templates
reseller-nav-look = Look
reseller-nav-professionals = Professionals
reseller-look-title = Your look
reseller-look-intro = The theme and colours of your console and of your companies' hubs. A hub follows them, and your later changes, until its HR admin publishes a look of its own.
reseller-look-theme-hint = "The platform's look" leaves your companies' hubs in Hearth's own look.
reseller-look-platform = The platform's look
reseller-look-button = Save the look
reseller-look-saved = Saved. Your companies' hubs that follow your look show it now.
reseller-look-not-saved = Nothing was saved. Please correct the fields marked below.
reseller-pros-title = Professionals you work with
reseller-pros-intro = The psychologists, coaches and other professionals you offer your companies. The onboarding form lists them, to put on a new company's roster. Removing one here changes no company's roster.
reseller-pros-none = No professionals yet. Add one by the email of their professional account.
reseller-pros-name = Professional
reseller-pros-verified = Verified
reseller-pros-waiting = Waiting for verification
reseller-pros-remove = Remove
reseller-pros-add-title = Add a professional
reseller-pros-email = Email of their professional account
reseller-pros-email-hint = They must have a professional account on the platform. Hubs show them once an operator has verified them.
reseller-pros-add = Add
reseller-pros-not-added = Nobody was added. Please correct the field marked below.
reseller-pros-error-unknown = No professional account has this email address.
reseller-pros-done-added = Added. You can put them on a new company's roster now.
reseller-pros-done-already = They were already on your list.
reseller-pros-done-removed = Removed from your list. Companies that have them keep them.
reseller-new-domains = Email domains of the company's employees
reseller-new-domains-hint = Optional. People with an address at these domains (such as acme.com) may join the hub and claim its credits. Separate them with commas. The HR admin can change them later.
reseller-new-look-legend = Look
reseller-new-theme-hint = The hub's theme and colours. Choose a theme to give the company a look of its own; its colours below then apply.
reseller-new-follow = Follow { $reseller }'s look
reseller-new-colour-hint = Used with a theme of the company's own: #rrggbb, readable with the text drawn on it.
reseller-new-roster-legend = Professionals on the hub
reseller-new-roster-hint = Tick those the company's employees may book. The HR admin can change the roster later.
reseller-new-roster-none = You have not added professionals yet; the HR admin can choose them later.
reseller-new-working = Making the hub… This takes a moment.
reseller-error-domains = "{ $domain }" is not an email domain: write it as acme.com.
reseller-error-domains-many = Name at most { $max } domains here; the HR admin can add more.
reseller-error-roster = Tick only verified professionals you work with.
reseller-error-template = This template is no longer there. Choose another or none.
reseller-error-template-plugin = The plugin { $plugin } of this template can no longer be installed (it is gone from the registry or its config no longer fits). Delete the template, or onboard without it.
reseller-templates-title = Start from a template
reseller-templates-use = Template
reseller-templates-fill = Fill the form from it
reseller-templates-manage = Your templates
reseller-templates-from = saved from { $slug }
reseller-templates-delete = Delete
reseller-done-template-deleted = The template was deleted.
reseller-template-save = Save as template
reseller-template-name = Template name
reseller-template-save-button = Save
reseller-done-template-saved = Saved as a template: its look, credit policy, roster and plugins. Onboard the next company from it.
reseller-done-template-taken = You already have a template with this name: nothing was saved. Choose another name.
reseller-done-template-name = Give the template a name of 1 to 200 characters: nothing was saved.
