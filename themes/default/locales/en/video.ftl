## video_room.html: the video session room
video-title = Video session · { $service }
video-with = With { $name }
video-when = { $date }, { $time }–{ $end } ({ $timezone })
video-noscript = This video session needs JavaScript. Turn it on in your browser's settings, or use another browser.

## Before joining: the device and connection check
video-check-heading = Test your camera and microphone
video-check-lead = Make sure you can be seen and heard before you join.
video-your-camera = Your camera
video-no-picture = No camera picture
video-mic-level = Microphone level
video-mic-level-hint = Say something: the bar should move.
video-test-sound = Play test sound
video-test-sound-hint = You should hear a short tone.
video-devices = Devices
video-camera = Camera
video-microphone = Microphone
video-speaker = Speaker
video-choose-device = Choose a device
# Devices whose name the browser does not tell.
video-camera-n = Camera { $number }
video-microphone-n = Microphone { $number }
video-speaker-n = Speaker { $number }
video-checks-heading = Connection check
video-check-camera-pending = Camera: checking…
video-check-camera-ok = Camera works: { $device }
video-check-camera-fail = Camera: not working
video-check-camera-missing = No camera found. You can join with sound only.
video-check-mic-pending = Microphone: checking…
video-check-mic-ok = Microphone works: { $device }
video-check-mic-fail = Microphone: not working
video-check-mic-missing = No microphone found. The other person will not hear you.
video-check-signalling-pending = Connection to the session: checking…
video-check-signalling-ok = Connection to the session: working
video-check-signalling-fail = Connection to the session: not working yet. Trying again…
video-check-network-pending = Network: checking…
video-check-network-ok = Network: ready for video calls
video-check-network-local = Network: only local connections found. A call from another network may not work.
video-check-network-fail = Network: no way to connect was found. A firewall may be blocking video calls.
video-check-relay-pending = Relay server: checking…
video-check-relay-ok = Relay server: reachable
video-check-relay-fail = Relay server: not reachable. Calls through strict firewalls may not work.
video-check-relay-none = No relay server is configured.
video-guidance-denied = Your browser is blocking the camera and microphone. Select the camera or lock icon in the address bar, allow the camera and microphone in the site settings, then reload this page.
video-guidance-no-device = No camera or microphone was found. Connect one, then select Try again.
video-guidance-no-camera = No camera was found. You can join with sound only, or connect a camera and select Try again.
video-guidance-no-mic = No microphone was found, so the other person will not hear you. Connect one, then select Try again.
video-guidance-in-use = Your camera or microphone is being used by another app. Close other apps that may be using it, such as Teams or Zoom, then select Try again.
video-guidance-unsupported = This browser cannot make video calls. Please use a current version of Chrome, Edge, Firefox or Safari.
video-try-again = Try again
video-join = Join session
video-status-ready = Your camera and microphone work. You can join whenever you are ready.
video-status-ready-audio = Your microphone works. You can join with sound only.
video-status-other-here = { $name } is already in the session.

## The waiting room and the call
video-waiting = Waiting for { $name } to join.
video-waiting-hint = The call starts as soon as { $name } joins. Keep this page open.
video-your-video = Your video
video-you = You
video-leave = Leave
video-call-heading = Video call with { $name }
video-remote-label = Video of { $name }
video-controls = Call controls
# Toggle buttons: the label stays, the button shows as pressed while it applies.
video-mute = Mute microphone
video-camera-off = Turn camera off
video-share = Share screen
video-devices-button = Devices
video-end = End call
video-badge-mic-off = Microphone off
video-badge-camera-off = Camera off
video-badge-sharing = Sharing screen
video-quality-good = Connection: good
video-quality-fair = Connection: fair
video-quality-poor = Connection: poor
video-chat-heading = Chat
video-chat-label = Message
video-chat-send = Send
video-chat-hint = Messages are not saved.
video-chat-not-sent = Not connected: your message was not sent.
video-status-connecting = Connecting…
video-status-connected = The call has started.
video-status-reconnected = Connected again.
video-status-reconnecting = Connection lost. Reconnecting…
video-status-away = { $name } lost connection. Waiting for them to come back.
video-status-mic-on = Your microphone is on.
video-status-mic-off = Your microphone is off.
video-status-camera-on = Your camera is on.
video-status-camera-off = Your camera is off.
video-status-sharing = You are sharing your screen.
video-status-sharing-stopped = You stopped sharing your screen.
video-status-share-failed = Screen sharing did not start.
video-status-device-failed = That device could not be started. Choose another one.

## Guests in couples and family sessions: the client invites them, the professional lets them in
# A guest's device check, before joining.
video-guest-note = When you join, you wait until { $name } lets you in.
video-guest-note-admitted = { $name } has let you in. You can join whenever you are ready.
# A guest who joined, waiting to be let in.
video-admission = Waiting for { $name } to let you in.
video-admission-hint = You join the call as soon as { $name } lets you in. Keep this page open.
video-status-admitted = { $name } let you in. Connecting…
# The list of guests waiting, for the professional (with the buttons) and the client.
video-lobby-heading = Guests waiting to join
video-lobby-lead-professional = Guests invited by your client. Only let in people you expect.
video-lobby-lead-client = { $name } lets your guests in.
video-guest-tag = guest
video-guest-name = { $name } (guest)
video-guest-unnamed = Guest
video-admit = Admit
video-admit-label = Admit { $name }
video-decline = Decline
video-decline-label = Decline { $name }
video-lobby-failed = That did not go through. Check your connection and try again.
video-status-guest-waiting = { $name } is waiting to join.
video-status-guest-waiting-client = { $name } is waiting for { $professional } to let them in.
video-status-guest-admitted = { $name } was let in.
video-status-guest-declined = { $name } was not let in.
video-status-guest-stopped-waiting = { $name } is no longer waiting.
video-status-guest-gone = { $name } is no longer in the session.
video-status-person-here = { $name } is in the session.
video-status-person-joined = { $name } joined the call.
# A guest turned away, or whose link was withdrawn: the session is over for them.
video-removed = { $name } did not let you in, or the link was withdrawn.

## After the call
video-left = You left the session.
video-ended = This session has ended.
video-back = Back to the appointment
video-rejoin = Rejoin

## video_closed.html
video-closed-title = { $service } · Video session
video-closed-early = This session opens on { $date } at { $time }, 10 minutes before it starts.
video-closed-cancelled = This session was cancelled, so there is no video call.
video-closed-not-video = This session takes place in person or by phone, not by video. The appointment page has the details.
video-closed-unavailable = This video call is not available.
