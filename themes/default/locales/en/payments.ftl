# Payments: the client's Payments tab (bills, paying, saved cards) and
# Payments in the practice (bills, refunds, statement, business details).
dash-nav-payments = Payments
dash-nav-my-profile = My Profile
pro-nav-payments = Payments
pro-nav-billing = Business details
pro-service-pay-when = When private clients pay
pro-service-pay-when-choice = { $when ->
    [booking] When booking
   *[after] Billed after the session
}
pro-service-pay-when-hint = Sessions paid with a company's credits are never billed.

pay-title = Payments
pay-intro = See your bills, pay your professional for sessions and manage your cards.
pay-test-mode = Test mode: no real card is charged. Use a test card such as 4242 4242 4242 4242.
pay-not-configured = Card payments are not set up on this platform yet. Your bills are still shown here.
pay-open-bills = Bills to pay
pay-paid-bills = Paid bills
pay-no-open-bills = You have no bills to pay.
pay-no-paid-bills = No paid bills yet.
pay-col-bill = Bill
pay-col-from = From
pay-col-number = Bill number
pay-col-issued = Issued
pay-col-due = Due
pay-col-status = Status
pay-col-amount = Amount
pay-col-description = Description
pay-col-quantity = Quantity
pay-col-unit = Unit price
pay-col-currency = Currency
pay-col-paid-on = Paid on
pay-bill-heading = Bill { $number }
pay-receipt-heading = Receipt for bill { $number }
pay-pay-title = Pay bill { $number }
pay-pay = Pay
pay-pay-amount = Pay { $amount }
pay-pay-lead = { $amount } to { $seller }.
pay-receipt = Receipt
pay-download-bill = Download the bill (PDF)
pay-download-receipt = Download the receipt (PDF)
pay-back = Back to Payments
pay-back-to-bill = Back to the bill
pay-overdue = Overdue
pay-disputed = Disputed
pay-billed-to = Billed to
pay-subtotal = Subtotal
pay-tax = Tax
pay-tax-rate = Tax ({ $rate }%)
pay-total = Total
pay-refunded = Refunded
pay-tax-id-line = Company or tax id: { $id }
pay-footer-open = Please pay by { $due } on your Payments tab.
pay-footer-paid = Paid with thanks.
pay-status-open = Open
pay-status-paid = Paid
pay-status-void = Void
pay-status-refunded = Refunded
pay-status-partly-refunded = Partly refunded
pay-cards = Your cards
pay-no-cards = You have no saved cards.
pay-add-card = Add a new card
pay-add-card-intro = Your card is kept by our payment provider, Stripe; Hearth never sees its number.
pay-save-card = Save card
pay-card-line = { $brand } ending in { $last4 }
pay-card-expires = expires { $date }
pay-card-default = Default
pay-card-make-default = Make default
pay-card-remove = Remove
pay-card-details = Card details
pay-choose-card = Choose a card
pay-with-saved = Pay with a saved card
pay-with-new = Pay with a new card
pay-noscript = Paying with a new card needs JavaScript, which Stripe's card form runs on.
pay-busy = Working…
pay-done-paid = Thank you: the bill is paid. The receipt is on its way to your email.
pay-done-card-added = Your card was added.
pay-done-card-default = That card is now your default.
pay-done-card-removed = The card was removed.
pay-error-not-paid = The bill is not paid yet. Try again, or use another card.
pay-error-authenticate = Your bank asks you to confirm this payment. Confirm it on this page.
pay-error-choose-card = Choose one of your saved cards.
pay-error-unavailable = Payments cannot be reached right now. Nothing was charged; please try again in a few minutes.

pay-pro-intro = The bills of your private clients' sessions: issued, paid, outstanding and refunded.
pay-pro-summary = Totals
pay-pro-issued = Issued
pay-pro-paid = Paid
pay-pro-outstanding = Outstanding
pay-pro-refunded = Refunded
pay-pro-bills = Bills
pay-pro-filter = Show bills
pay-pro-pages = Pages of bills
pay-pro-no-bills = No bills here.
pay-pro-statement = Monthly statement
pay-pro-month = Month
pay-pro-download-csv = Download CSV
pay-filter = { $filter ->
    [open] Outstanding
    [paid] Paid
    [refunded] Refunded
    [void] Void
   *[all] All
}
pay-refunds = Refunds
pay-refund-title = Refund
pay-refund-intro = The amount goes back to the card that paid. The client is told by email.
pay-refund-amount = Amount to refund
pay-refund-hint = All that is left is filled in; type less for a partial refund.
pay-refund-button = Refund
pay-refund-reason-requested = by you
pay-refund-reason-cancelled = session cancelled
pay-refund-status-pending = pending
pay-refund-status-succeeded = refunded
pay-refund-status-failed = failed
pay-done-refunded = The refund was made.
pay-error-refund-amount = Type an amount, such as 12.50.
pay-error-refund-too-much = At most { $left } can be refunded.
pay-error-refund-refused = The refund was refused: { $reason }
pay-error-month = Choose a month up to this one, as YYYY-MM.
pay-error-page = That page does not exist.

pay-business-intro = What your bills show about you. Empty fields are left off; your name is used when the business name is empty.
pay-business-name = Business name
pay-business-name-hint = Your name or your company's.
pay-business-address = Address
pay-business-tax-id = Company or tax id
pay-business-tax-rate = Tax rate (%)
pay-business-tax-rate-hint = Added to your prices on bills; leave empty when you charge no tax.
pay-business-due-days = Days to pay
pay-business-due-days-hint = Bills sent after a session are due this many days later (0–120).
pay-business-save = Save business details
pay-business-not-saved = Nothing was saved: see the fields marked below.
pay-done-business-saved = Your business details were saved.
pay-error-text = At most { $max } characters, without control characters.
pay-error-tax-rate = Type a percentage from 0 to 100, such as 24 or 5.5.
pay-error-due-days = Type a number of days from 0 to 120.

admin-credits-members-may-pay = Let employees with no credits left pay the professional's own price
admin-credits-members-may-pay-hint = They pay by card and the professional bills them; the company pays nothing and sees only that a session took place.
book-pay-instead = Pay { $price } instead
book-pay-instead-lead = You have no credits left for this session. { $hub } lets you book it at the professional's own price, paid by card: the bill is on your Payments tab.
