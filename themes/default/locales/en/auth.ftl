## login.html
login-title = Log in
login-button = Log in
login-forgot = Forgot your password?
login-new-here = New here?
login-create-account = Create an account

## signup.html
signup-title = Create your account
signup-lead-invitation = { $name } invited you to connect on Hearth. Create your account to start your sessions.
signup-lead-hub = Create an account to claim your credits at { $hub }.
signup-lead = One account works with every professional and Wellbeing Hub you use.
signup-name = Your name
signup-password-hint = At least 10 characters. A few unrelated words make a strong password.
signup-button = Create Account
signup-have-account = Already have an account?
signup-log-in = Log in

## terms.html
terms-title = Terms and Conditions
terms-version = Version { $version }
terms-account-heading = 1. Your account
terms-account-text = One account serves every professional and Wellbeing Hub you use. Keep your password to yourself; you are responsible for what is done with your account.
terms-sessions-heading = 2. Sessions
terms-sessions-text = Sessions are between you and your professional. Hearth provides the booking, video and payment tools and is not a healthcare provider. In an emergency, call your local emergency number.
terms-data-heading = 3. Your data
terms-data-text = We keep what is needed to run your account and sessions. Your employer sees only aggregate use of its Wellbeing Hub, never what you book or discuss. You can download or delete your data at any time.
terms-credits-heading = 4. Credits
terms-credits-text = Credits granted by an employer are theirs to set, renew and withdraw under their hub's rules.
terms-accept = Accept

## verify.html
verify-title = Verify your email
verify-code-sent = We sent a 6-digit code to
verify-enter-code = Enter it below. The code is valid for 10 minutes.
verify-spam = If the email does not arrive within 2–3 minutes, please check your Spam/Junk folder.
verify-code = Verification code
verify-button = Verify
verify-resend = Send a new code

## forgot.html
forgot-title = Forgot your password?
forgot-sent = If an account exists for that email, we have sent a link to reset its password. The link is valid for one hour.
forgot-intro = Enter your email and we will send you a link to choose a new password.
forgot-button = Send the link
forgot-back = Back to log in

## reset.html
reset-title = Choose a new password
reset-button = Save and log in
reset-expired = This link has expired or has already been used.
reset-ask-again = Ask for a new link

## change_password.html
change-password-title = Change password
change-password-done = Your password was changed. Other devices were logged out.
change-password-current = Current password
change-password-button = Change password

## Messages of the account handlers
signup-error-name = Enter your name (up to 200 characters).
signup-error-email-taken = An account with this email already exists. Log in instead.
verify-error-wait = Too many tries. Please wait { $seconds } seconds and try again.
verify-error-no-code = There is no code waiting. Send a new one.
verify-error-expired = This code has expired. Send a new one.
verify-error-too-many = Too many wrong codes. Send a new one.
verify-error-wrong = That code is not right. { $left } tries left.
verify-resend-wait = We just sent a code. You can ask for another in { $seconds } seconds.
verify-sent-new = We sent a new code to { $email }.
login-error-wrong = Wrong email or password.
login-error-wait = Too many attempts. Please wait { $seconds } seconds and try again.
change-password-error-wait = Too many attempts. Please wait { $seconds } seconds.
change-password-error-current = That is not your current password.

## Email and password checks (accounts::normalize_email, accounts::password)
auth-email-invalid = Enter an email address like name@example.com.
auth-password-short = Use at least { $min } characters.
auth-password-long = Use at most { $max } characters.
# zxcvbn's reason ($warning) and its first suggestion ($suggestion), as keys.
auth-password-weak = { $warning ->
        [straight-rows] Straight rows of keys are easy to guess.
        [short-keyboard-patterns] Short keyboard patterns are easy to guess.
        [repeats] Repeats like "aaa" are easy to guess.
        [repeated-groups] Repeats like "abcabcabc" are only slightly harder to guess than "abc".
        [top-10] This is a top-10 common password.
        [top-100] This is a top-100 common password.
        [common] This is a very common password.
        [similar-to-common] This is similar to a commonly used password.
        [sequences] Sequences like abc or 6543 are easy to guess.
        [recent-years] Recent years are easy to guess.
        [single-word] A word by itself is easy to guess.
        [dates] Dates are often easy to guess.
        [names] Names and surnames by themselves are easy to guess.
        [common-names] Common names and surnames are easy to guess.
       *[none] This password is too easy to guess.
    }{ $suggestion ->
        [few-words] { " " }Use a few words, avoid common phrases.
        [no-symbols-needed] { " " }No need for symbols, digits, or uppercase letters.
        [add-word] { " " }Add another word or two. Uncommon words are better.
        [capitalization] { " " }Capitalization doesn't help very much.
        [all-uppercase] { " " }All-uppercase is almost as easy to guess as all-lowercase.
        [reversed-words] { " " }Reversed words aren't much harder to guess.
        [substitutions] { " " }Predictable substitutions like '@' instead of 'a' don't help very much.
        [longer-keyboard-pattern] { " " }Use a longer keyboard pattern with more turns.
        [avoid-repeats] { " " }Avoid repeated words and characters.
        [avoid-sequences] { " " }Avoid sequences.
        [avoid-recent-years] { " " }Avoid recent years.
        [avoid-your-years] { " " }Avoid years that are associated with you.
        [avoid-your-dates] { " " }Avoid dates and years that are associated with you.
       *[none] { "" }
    }

## Professionals' invitations (accounts::invitations)
auth-invite-error-name = Use at most 200 characters.
auth-invite-error-message = Use at most 2,000 characters.
auth-invite-error-own-address = That is your own address.
auth-invite-sent = Invitation sent to { $email }.
auth-invite-notification = { $name } invited you to connect
