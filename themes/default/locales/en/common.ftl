# Words many pages share.
common-email = Email
common-password = Password
common-new-password = New password
common-password-hint-short = At least 10 characters.
credits-count = { $count ->
    [one] { $count } credit
   *[other] { $count } credits
}
common-professional = Professional
common-when = When
common-price = Price
common-minutes = { $minutes } minutes
common-mode = { $mode ->
    [in_person] in person
    [phone] phone
    [video] video
   *[other] { $mode }
}
common-choose-another-time = Choose another time
common-log-in = Log in
