## book_account.html
book-account-title = Create an account to book
book-account-heading = Almost there
# Values come escaped; the message holds markup.
book-account-chosen = You chose <strong>{ $service }</strong> with <strong>{ $professional }</strong> on <strong>{ $date } at { $time }</strong> ({ $timezone }).
book-account-explain-hub = To book it, create an account to claim your credits and verify your email address. Your booking continues right after.
book-account-explain = To book it, create an account and verify your email address. Your booking continues right after.
book-account-signup-hub = Create an account to claim your credits
book-account-signup = Create an account

## book_confirm.html
book-confirm-title = Confirm your booking
book-confirm-session = Session
book-confirm-when-value = { $date } at { $time } ({ $timezone })
book-confirm-cost = Cost
book-confirm-your-credits = Your credits
book-confirm-credits-left = { $count } left
book-confirm-renewed-on = , renewed on { $date }
book-confirm-not-enough = This session needs { $credits ->
    [one] { $credits } credit
   *[other] { $credits } credits
}, and you have { $balance } left.
book-confirm-holding = We are holding this time for you until { $time }.
book-confirm-button = Confirm booking

## book_professional.html
book-pro-title = Book with { $name }
book-pro-all = All professionals
book-pro-specialties = Specialties:
book-pro-languages = Languages:
book-pro-choose-session = Choose a session
book-pro-no-sessions = { $name } has no sessions to book right now.
book-pro-choose-time = Choose a time
book-pro-choose-time-for = for { $service }

## book_slots.html, book_slots_list.html
book-slots-title = Choose a time
book-slots-lead = { $service } with { $professional } · { $minutes } minutes
book-slots-weeks = Weeks
book-slots-earlier = Earlier
book-slots-later = Later
book-slots-timezone = Times are shown in { $timezone }.
book-slots-none = No free times this week. Try a later week.
book-slots-on-day = on { $day }

## appointment.html
appointment-cancelled = This session was cancelled.
appointment-cancelled-late = It was cancelled less than { $hours } hours before the start.
appointment-client = Client
appointment-former-client = A former client
appointment-type = Type
appointment-in-person = In person
appointment-phone = Phone
appointment-video = Video
appointment-paid-by = Paid by
appointment-paid-by-hub = { $hub } Wellbeing Hub
appointment-call-opens = The video call will open here.
appointment-about-to-start = Your session is about to start.
appointment-join = Join video session
appointment-join-from = You can join from { $date }, { $time }.
appointment-invite-guests = Invite guests to this session
appointment-see-guests = Guests invited by the client
appointment-change = Change this session
appointment-late = The session starts in less than { $hours } hours. It can no longer be moved.
appointment-late-hub = The session starts in less than { $hours } hours. It can no longer be moved, and cancelling it now uses up its credits.
appointment-cancel = Cancel session
appointment-late-cancellation = Late cancellation
appointment-waive-text = Your client cancelled late, so the session's { $count ->
    [one] { $count } credit was
   *[other] { $count } credits were
} used up. You can give them back.
appointment-waive-button = Give the credits back

## appointment_reschedule.html
appointment-move-title = Move your session
appointment-back = Back to the session
appointment-with = { $service } with { $professional }

## invitation.html
invitation-title = Invitation
invitation-invalid = This invitation is no longer valid
invitation-invalid-text = It may have expired, been used already, or been withdrawn. Please contact your professional directly for a new invitation.
invitation-heading = { $name } invited you to connect
invitation-connect = Connect with { $name }
invitation-wrong-user = This invitation was sent to { $email }. Log out, then log in with that account.
invitation-has-account = You already have an account with { $email }. Log in to connect; you do not need a new account.
invitation-log-in = Log in to connect
invitation-create-text = Create your account to connect. It takes a minute.

## platform.html
platform-title = Hearth · Workplace wellbeing
platform-heading = Wellbeing, close to home
platform-lead = Hearth gives every company its own Wellbeing Hub, where employees book confidential video sessions with psychologists and coaches.
platform-find-hub = Looking for your company's hub? Use the link your HR or engagement team sent you.

## Messages of the booking handlers
book-error-held = Someone else is booking this time right now. Please choose another time.
book-error-unavailable = This time is no longer free. Please choose another time.
book-error-taken = Someone else just booked this time. Please choose another time.
book-error-not-free = This time is not free. Please choose another time.
book-error-past = Choose a time in the future.
book-error-not-member = Only members of this hub can book with its credits.
book-error-refused = The hub does not allow this booking: { $reason }

## Messages of the appointment page
appointment-done-booked = Your session is booked. We have emailed you the details and a calendar file.
appointment-done-cancelled = The session is cancelled. We have told both of you by email.
appointment-done-rescheduled = The session has moved. We have told both of you by email.
appointment-done-waived = The late-cancellation credits were given back.
appointment-error-not-movable = This session can no longer be moved.
appointment-error-cutoff = Sessions can be moved up to { $cutoff } hours before they start. You can still cancel it.

## Booking emails, notifications and calendar entries
book-email-when = { $date }, { $time } ({ $zone })
book-email-mode = { $mode ->
    [phone] Phone call
    [in_person] In person
   *[other] Video session
}
book-email-former-client = a former client
book-notify-confirmed = Session booked: { $service } with { $other }, { $when }
book-notify-rescheduled = Session moved: { $service } with { $other }, now { $when }
book-notify-cancelled = Session cancelled: { $service } with { $other }, { $when }
book-notify-reminder = Coming up: { $service } with { $other }, { $when }
