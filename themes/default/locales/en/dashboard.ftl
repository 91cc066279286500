# The Client Dashboard: Home, Connections, Notifications and the user menu.

## dashboard_nav.html
dash-title = Dashboard
dash-nav-home = Home
dash-nav-connections = Connections
dash-nav-notifications = Notifications
dash-nav-email-settings = Email settings
dash-unread-sr = unread

## dashboard.html
dash-hello = Hello, { $name }
dash-hub-name = { $name } Wellbeing Hub
dash-back-to-hub = Back to the { $name } Wellbeing Hub
dash-your-bookings = Your bookings
dash-upcoming = Upcoming
dash-past = Past
dash-cancelled = Cancelled
dash-credits = Credits
dash-credits-left-in = { $count ->
    [one] credit
   *[other] credits
} left in
dash-resets-on = Resets on { $date }
dash-rollover = (unused credits carry over)
dash-per-period = { $months ->
    [1] per month
    [3] per quarter
    [6] per half year
   *[other] per year
}
dash-upcoming-appointments = Upcoming appointments
dash-times-join-hint = Times are in your timezone, { $timezone }. You can join a video session from { $minutes } minutes before it starts.
dash-no-upcoming = You have no upcoming appointments.
dash-book-in-hub = Book with a professional of the { $name } Wellbeing Hub
dash-past-appointments = Past appointments
dash-past-empty = Your past sessions will appear here.
dash-cal-view = Calendar view
dash-cal-month = Month
dash-cal-week = Week
dash-cal-dates = Calendar dates
dash-cal-previous = Previous
dash-cal-next = Next
dash-cal-unit = { $unit ->
    [month] month
   *[week] week
}
dash-today = Today
dash-cal-caption = Your sessions in { $title }
dash-weekday = { $day ->
    [mon] Monday
    [tue] Tuesday
    [wed] Wednesday
    [thu] Thursday
    [fri] Friday
    [sat] Saturday
   *[sun] Sunday
}
dash-weekday-short = { $day ->
    [mon] Mon
    [tue] Tue
    [wed] Wed
    [thu] Thu
    [fri] Fri
    [sat] Sat
   *[sun] Sun
}
dash-cal-sessions = { $count ->
    [one] { $count } session
   *[other] { $count } sessions
}
dash-cal-session-with = { $service } with { $name }
dash-no-sessions = No sessions
dash-your-connections = Your connections
dash-all-connections = All connections and booking again
dash-connections-empty = Professionals you work with, or who invite you, appear here.

## dashboard_macros.html
dash-session-client = Client: { $name }
dash-session-with = With { $name }
dash-join = Join video session
dash-join-label = Join video session: { $service }, { $date } { $time }
dash-opens = Opens { $when }
dash-mode = { $mode ->
    [phone] Phone call
    [in_person] In person
   *[other] Video session
}
dash-session-type = { $type ->
    [couples] Couples
    [family] Family
    [group] Group
   *[other] Individual
}
dash-former-client = A former client
dash-former-client-lower = a former client

## dashboard_connections.html
dash-connections-title = Connections
dash-now-connected = You are now connected.
dash-invitations = Invitations
dash-invited-you = invited you to connect.
dash-accept = Accept
dash-accept-from = the invitation from { $name }
dash-your-professionals = Your professionals
dash-last-session = Last session on { $date }
dash-connected-by-invitation = Connected by invitation on { $date }
dash-connected-since = Connected since { $date }
dash-with-name = with { $name }
dash-book-with-hub-credits = Book with { $hub } credits
dash-book-again = Book again
dash-book-privately = Book privately

## notifications.html
notif-title = Notifications
notif-unread = { $count } unread
notif-all-read = All read
notif-mark-all-read = Mark all as read
notif-new = New
notif-mark-read = Mark as read
notif-empty = Nothing yet. Bookings, changes, reminders, invitations and payment requests appear here.
notif-times-hint = Times are in your timezone, { $timezone }.
notif-choose-email = Choose which notifications also come by email

## notifications_settings.html
notif-settings-title = Email settings
notif-email-heading = Email notifications
notif-saved = Your email settings were saved.
notif-send-me-when = Send me an email when
notif-settings-hint = Whatever you choose, these still appear in your notifications. Security emails (sign-up codes, password resets and password changes) are always sent.
notif-save = Save
notif-kind = { $kind ->
    [booking_confirmed] A session is booked
    [booking_rescheduled] A session moves to another time
    [booking_cancelled] A session is cancelled
    [reminder] Reminders of upcoming sessions (a day and an hour before)
    [invitation] A professional invites you to connect
   *[payment_request] A professional asks you to pay a bill
}

## usermenu.html
menu-account = Account
menu-notifications = Notifications
menu-unread = unread
menu-dashboard = Dashboard
menu-profile = Profile
menu-change-password = Change password
menu-hub-settings = Hub settings
menu-your-practice = Your practice
menu-for-professionals = For professionals
menu-invite-clients = Invite clients
menu-log-out = Log out
menu-log-in = Log in
