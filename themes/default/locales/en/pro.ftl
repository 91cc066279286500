## pro_*.html
pro-nav-title = Your practice
pro-nav-overview = Overview
pro-nav-profile = Profile
pro-nav-services = Services
pro-nav-availability = Availability
pro-nav-invite = Invite clients
pro-nav-as-client = As a client
pro-nav-my-sessions = My sessions
pro-pending = Your profile is waiting for verification. Clients and hubs will see you once Hearth has verified it.
pro-rejected = Hearth did not verify your profile, for this reason:
pro-rejected-again = Change your profile as asked and save it: saving asks for verification again.
pro-invitations-heading = Invite a client
pro-invitations-email = Client's email
pro-invitations-name = Client's name (optional)
pro-invitations-message = Message (optional)
pro-invitations-send = Send invitation
pro-invitations-sent = Sent invitations
common-none-yet = None yet.
pro-invitations-sent-on = Sent
common-status = Status
common-actions = Actions
pro-invitations-revoke = Revoke
pro-invitations-revoke-sr = the invitation to { $email }
pro-services-intro = What clients and hubs can book with you. Changing or archiving a service does not change sessions already booked.
pro-services-not-added = The service was not added. Please correct the fields marked below.
pro-services-yours = Your services
pro-services-none = None yet: add your first service below, so clients can book you.
pro-services-service = Service
pro-services-length = Length
pro-services-credits = Credits
common-min = { $minutes } min
common-edit = Edit
pro-services-archive = Archive
pro-services-archived = Archived
pro-services-add-heading = Add a service
pro-services-add = Add service
pro-service-all = All services
pro-service-archived = This service is archived: it can no longer be booked.
common-nothing-saved = Nothing was saved. Please correct the fields marked below.
pro-service-change = Change the service
pro-service-kept = Sessions already booked keep the length and price they were booked with.
pro-service-save = Save service
pro-service-archive-text = Clients and hubs can no longer book an archived service.
pro-service-archive-button = Archive this service
pro-service-name = Name
pro-service-name-hint = What clients see, like Individual session.
pro-service-mode = How it takes place
pro-service-type = Who it is for
pro-service-duration = Duration (minutes)
pro-service-duration-hint = 10 to 480.
pro-service-price = Price for private clients
pro-service-price-hint = Like 120.00; 0 when it is free.
pro-service-currency = Currency
pro-service-credits = Cost in hub credits
pro-service-credits-hint = 0 to 100. What a session costs an employee of a company hub.
pro-book-title = Book a session for a client
pro-book-no-clients-before = You have no clients yet.
pro-book-no-clients-after = first.
pro-book-no-services = Add a service first:
pro-book-your-services = your services
pro-book-date = Date
pro-book-time = Start time ({ $timezone })
pro-book-price = Price (leave empty for the session's price)
pro-book-button = Book and email the client

## pro_dashboard.html
pro-dash-verified = Your profile is verified: hubs can add you to their roster and clients can book you.
pro-dash-setup = Before clients can book you
pro-dash-setup-service = what you offer, how long it lasts and what it costs.
pro-dash-setup-hours = Set your weekly hours
pro-dash-upcoming = Upcoming appointments
pro-dash-timezone = Times in your timezone, { $timezone }.
pro-dash-no-upcoming = No upcoming appointments.
pro-dash-past = Past appointments
pro-dash-cancelled = Cancelled
pro-dash-attended = Attended
pro-dash-no-show = Client did not join
pro-dash-held = Held
pro-dash-last-20 = The last 20.
pro-dash-clients = Clients
pro-dash-no-clients = No clients yet. Clients you invite, and those who book you, appear here.
pro-dash-since = since { $date }
pro-dash-invitations = Invitations
pro-dash-open-invitations = { $count ->
    [0] No invitations waiting for an answer.
    [one] { $count } invitation is waiting for an answer.
   *[other] { $count } invitations are waiting for an answer.
}
pro-dash-invite-later = You can invite your own clients once Hearth has verified your profile.

## pro_profile.html
pro-profile-title = Your professional profile
pro-profile-become = Become a professional
pro-profile-become-lead = Psychologists, coaches, counsellors and therapists offer sessions on Hearth: to the employees of company hubs, and to their own private clients. Fill in your profile with the account you already have. Hearth verifies it before clients and hubs can see you.
pro-profile-photo = Photo
pro-profile-photo-alt = Your current photo
pro-profile-photo-remove = Remove photo
pro-profile-no-photo = No photo yet: your initials are shown instead.
pro-profile-photo-upload = Upload a photo
pro-profile-photo-hint = PNG or JPEG, at most 2 MB. It is cropped to a square around the centre and scaled to 400 × 400 pixels; location and camera details are removed.
pro-profile-photo-button = Upload photo
pro-profile-yours = Your profile
pro-profile-title-label = Title
pro-profile-title-hint = Shown under your name, like Clinical psychologist.
pro-profile-kind = You are a
pro-profile-bio = About you
pro-profile-bio-hint = Plain text, at most { $count } characters: how you work and who you work with.
pro-profile-specialties = Specialties
pro-profile-specialties-hint = Separated by commas, like Anxiety, Stress, Burnout. At most 12.
pro-profile-languages = Languages you hold sessions in
pro-profile-languages-hint = Separated by commas, like en, is, fr.
pro-profile-country = Country
pro-profile-country-hint = Its two-letter code, like IS, GB or FR.
pro-profile-timezone = Timezone
pro-profile-timezone-hint = Your weekly hours are in this timezone.
pro-profile-rules = Booking rules
pro-profile-buffer = Break after each session (minutes)
pro-profile-buffer-hint = 0 to 240. No session is booked in this time.
pro-profile-notice = Minimum notice (hours)
pro-profile-notice-hint = 0 to 720. Sessions cannot be booked closer to their start.
pro-profile-horizon = Booking horizon (days)
pro-profile-horizon-hint = 1 to 365. How far ahead sessions can be booked.
pro-profile-save = Save profile
pro-profile-create = Create my professional profile

## pro_availability.html
pro-avail-intro-before = Your weekly hours, in your timezone
pro-avail-change-it = change it
pro-avail-intro-after = Clients see free times in their own timezone. Sessions keep a { $minutes }-minute break after them.
pro-avail-weekly = Weekly hours
pro-avail-day = Day
pro-avail-hours = Hours
pro-avail-not-available = Not available
common-delete = Delete
pro-avail-delete-rule-sr = { $day } { $start } to { $end }
pro-avail-add-hours = Add hours
pro-avail-from = From
pro-avail-until = Until
pro-avail-exceptions = Days off and extra hours
pro-avail-no-exceptions = No exceptions coming up: your weekly hours apply every week.
pro-avail-off-hours = off { $hours }
pro-avail-day-off = day off
pro-avail-extra-hours = extra hours { $hours }
pro-avail-delete-exception-sr = the exception on { $day }
pro-avail-add-exception = Add a day off or extra hours
pro-avail-what = What
pro-avail-kind-off = Time off (the whole day, or the hours below)
pro-avail-kind-extra = Extra hours (the hours below)
pro-avail-from-optional = From (optional for a whole day off)
pro-avail-until-optional = Until (optional for a whole day off)


## Choices on the professional's forms
pro-kind = { $kind ->
    [psychologist] Psychologist
    [coach] Coach
    [counsellor] Counsellor
    [therapist] Therapist
   *[other] Other
}
pro-mode = { $mode ->
    [video] Video
    [phone] Phone
    [in_person] In person
   *[other] { $mode }
}
pro-session-type = { $type ->
    [individual] Individual
    [couples] Couples
    [family] Family
    [group] Group
   *[other] { $type }
}
pro-invitations-status = { $status ->
    [accepted] Accepted
    [revoked] Revoked
    [expired] Expired
   *[other] Pending
}

## Notices after a change
pro-profile-done-created = Your professional profile is created. Add a photo, your services and your hours while you wait.
pro-profile-done-saved = Your profile is saved.
pro-profile-done-photo = Your photo is saved.
pro-profile-done-photo-removed = Your photo is removed.
pro-services-done-created = The service is added.
pro-services-done-saved = The service is saved.
pro-services-done-archived = The service is archived: it can no longer be booked.
pro-avail-done-rule = The hours are added.
pro-avail-done-rule-deleted = The hours are deleted.
pro-avail-done-exception = The exception is added.
pro-avail-done-exception-deleted = The exception is deleted.

## The professional's dashboard
pro-dash-deleted-account = A deleted account
pro-dash-private-client = Private client

## Errors next to the fields of the professional's forms
pro-error-name-missing = Enter your name.
pro-error-title-missing = Enter your title, like Clinical psychologist.
pro-error-service-name-missing = Enter a name, like Individual session.
pro-error-max-chars = Use at most { $max } characters.
pro-error-control = Remove the line breaks and special characters.
pro-error-tag-too-long = “{ $start }…” is too long: use at most { $max } characters for each.
pro-error-too-many-tags = List at most { $max }, separated by commas.
pro-error-country = Enter your country's two-letter code, like IS, GB or FR.
pro-error-timezone = Choose your timezone from the list, like Europe/London.
pro-error-choice = Choose one of the options.
pro-error-number = Enter a whole number from { $min } to { $max }.
pro-error-price = Enter a price like 120.00 (0 when it is free).
pro-error-price-max = Enter a price of at most 1,000,000.
pro-error-price-decimals = { $decimals ->
    [0] Prices in { $currency } have no decimals: enter a whole number, like 12500.
   *[other] Prices in { $currency } have at most { $decimals } decimals.
}
pro-error-currency = Choose one of the currencies in the list.
pro-error-time = Enter a time like 09:00.
pro-error-date = Enter a date like 2026-12-24.
pro-error-weekday = Choose a day of the week.
pro-error-end-before-start = The end must be later than the start.
pro-error-day-past = Choose today or a later day.
pro-error-day-far = Choose a day within the next two years.
pro-error-exception-kind = Choose a day off or extra hours.
pro-error-extra-needs-times = Extra hours need a start and an end time.
pro-error-start-too = Enter a start time too, or neither.
pro-error-end-too = Enter an end time too, or neither.
pro-error-overlap = These hours overlap your hours on { $day } from { $start } to { $end }. Change the times, or delete those hours first.
pro-photo-error-empty = Choose a photo to upload.
pro-photo-error-large = The file is larger than 2 MB.
pro-photo-error-type = Upload a PNG or JPEG photo.
pro-photo-error-unreadable = This photo could not be read. Upload a PNG or JPEG photo.
pro-photo-error-interrupted = The upload was interrupted. Please try again.

## A session the professional books for a private client
pro-book-error-client = Choose one of your clients.
pro-book-error-service = Choose one of your services.
pro-book-error-date = Enter a date and a time that exist in your timezone.
pro-book-error-price = Enter a price like 120.00.
pro-book-error-taken = You already have a session at this time (or within your buffer).
