## video_guests.html: the guests a client invites to a couples or family session
guests-title = Guests
guests-back = Back to the appointment
guests-intro = You can invite up to { $count } people to join this session with you. Each gets a link that works once; { $name } lets them in when the session starts.
guests-intro-professional = The client has invited these people. Guests wait in the session until you admit them.
guests-none = No guests invited yet.
guests-guest = Guest
guests-unnamed = Guest { $number } (link not used yet)
guests-status-unused = Link not used yet
guests-status-claimed = Has the link
guests-status-admitted = Admitted
guests-withdraw = Withdraw
guests-create = Create a guest link
guests-link-made = Guest link created
guests-link-label = Send this link to your guest
guests-link-hint = It is shown only now and works once. Your guest enters their name and waits until { $name } lets them in.
guests-copy = Copy link
guests-copied = Link copied
guests-full = All { $count } guest links are in use. Withdraw one to invite someone else.
guests-over = This session is over or cancelled: guest links no longer work.
guests-done-full = All guest links are in use. Withdraw one to invite someone else.
guests-done-withdrawn = The link was withdrawn. It no longer works.
## video_guest_join.html: a guest opens their link
guests-join-title = Join a video session as a guest
guests-join-intro = You have been invited to a video session with { $name }.
guests-join-early = The session room opens 10 minutes before the start. You can enter your name now and come back then.
guests-join-name = Your name
guests-join-name-hint = { $name } sees this name before letting you in.
guests-join-continue = Continue
guests-join-once = This link works once, in this browser.
## video_closed.html
guests-link-used = This guest link has already been used. Ask the person who invited you for a new one.
