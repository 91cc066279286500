## Error pages
error-title = { $code } · Hearth
error-not-found = We could not find that page.
error-forbidden = You do not have access to this page.
error-busy = The service is busy. Please try again in a moment.
error-validation = Some of what you entered could not be accepted.
error-internal = Something went wrong on our side. Please try again.
error-form-too-large = The form is too large.
error-csrf = This form has expired or did not come from this site. Go back, reload the page and try again.
error-unknown-hub = There is no Wellbeing Hub at this address. Check the link your HR team sent you.
error-hub-suspended = The Wellbeing Hub of { $hub } is suspended. Your account and appointments are safe; please contact your HR team.
error-go-home = Go to the start page

## Aggregates shown to HR admins and resellers
privacy-fewer-than = fewer than 5

## Uploads
upload-error-pixels = The picture is too large: at most 4096 × 4096 pixels.
upload-error-too-many = You have uploaded many pictures in a short time. Try again in { $minutes ->
    [one] a minute
   *[other] { $minutes } minutes
}.
