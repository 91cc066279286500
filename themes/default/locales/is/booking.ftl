## book_account.html
book-account-title = Stofnaðu aðgang til að bóka
book-account-heading = Næstum komið
# Gildin koma HTML-hreinsuð; skilaboðin innihalda merkingar.
book-account-chosen = Þú valdir <strong>{ $service }</strong> hjá <strong>{ $professional }</strong>, <strong>{ $date } kl. { $time }</strong> ({ $timezone }).
book-account-explain-hub = Til að bóka tímann skaltu stofna aðgang til að fá inneignina þína og staðfesta netfangið þitt. Bókunin heldur svo strax áfram.
book-account-explain = Til að bóka tímann skaltu stofna aðgang og staðfesta netfangið þitt. Bókunin heldur svo strax áfram.
book-account-signup-hub = Stofna aðgang til að fá inneignina þína
book-account-signup = Stofna aðgang

## book_confirm.html
book-confirm-title = Staðfestu bókunina
book-confirm-session = Tími
book-confirm-when-value = { $date } kl. { $time } ({ $timezone })
book-confirm-cost = Kostnaður
book-confirm-your-credits = Inneignin þín
book-confirm-credits-left = { $count } eftir
book-confirm-renewed-on = , endurnýjast { $date }
book-confirm-not-enough = Þessi tími kostar { $credits ->
    [one] { $credits } inneign
   *[other] { $credits } inneignir
} og þú átt { $balance } eftir.
book-confirm-holding = Við tökum þennan tíma frá fyrir þig til kl. { $time }.
book-confirm-button = Staðfesta bókun

## book_professional.html
book-pro-title = Bóka tíma hjá { $name }
book-pro-all = Allir sérfræðingar
book-pro-specialties = Sérsvið:
book-pro-languages = Tungumál:
book-pro-choose-session = Veldu þjónustu
book-pro-no-sessions = { $name } er ekki með neina tíma til bókunar í augnablikinu.
book-pro-choose-time = Velja tíma
book-pro-choose-time-for = fyrir { $service }

## book_slots.html, book_slots_list.html
book-slots-title = Veldu tíma
book-slots-lead = { $service } hjá { $professional } · { $minutes } mínútur
book-slots-weeks = Vikur
book-slots-earlier = Fyrr
book-slots-later = Síðar
book-slots-timezone = Tímar eru sýndir á tímabeltinu { $timezone }.
book-slots-none = Engir lausir tímar í þessari viku. Prófaðu næstu viku.
book-slots-on-day = { $day }

## appointment.html
appointment-cancelled = Þessi tími var afbókaður.
appointment-cancelled-late = Hann var afbókaður með minna en { $hours } klukkustunda fyrirvara.
appointment-client = Skjólstæðingur
appointment-former-client = Fyrrverandi skjólstæðingur
appointment-type = Tegund
appointment-in-person = Á staðnum
appointment-phone = Sími
appointment-video = Myndsímtal
appointment-paid-by = Greitt af
appointment-paid-by-hub = Vellíðunarmiðstöð { $hub }
appointment-call-opens = Myndsímtalið opnast hér.
appointment-about-to-start = Tíminn þinn er að hefjast.
appointment-join = Tengjast myndsímtali
appointment-join-from = Þú getur tengst frá kl. { $time }, { $date }.
appointment-invite-guests = Bjóða gestum í þennan tíma
appointment-see-guests = Gestir sem skjólstæðingurinn bauð
appointment-change = Breyta þessum tíma
appointment-late = Tíminn hefst eftir minna en { $hours } klukkustundir. Ekki er lengur hægt að færa hann.
appointment-late-hub = Tíminn hefst eftir minna en { $hours } klukkustundir. Ekki er lengur hægt að færa hann og ef þú afbókar núna glatast inneignin fyrir hann.
appointment-cancel = Afbóka tíma
appointment-late-cancellation = Síðbúin afbókun
appointment-waive-text = Skjólstæðingurinn afbókaði seint og því { $count ->
    [one] glataðist { $count } inneign
   *[other] glötuðust { $count } inneignir
} fyrir tímann. Þú getur skilað þeim.
appointment-waive-button = Skila inneigninni

## appointment_reschedule.html
appointment-move-title = Færa tímann þinn
appointment-back = Aftur í tímann
appointment-with = { $service } hjá { $professional }

## invitation.html
invitation-title = Boð
invitation-invalid = Þetta boð er ekki lengur í gildi
invitation-invalid-text = Það gæti verið útrunnið, þegar notað eða dregið til baka. Hafðu beint samband við sérfræðinginn þinn til að fá nýtt boð.
invitation-heading = { $name } bauð þér að tengjast
invitation-connect = Tengjast { $name }
invitation-wrong-user = Þetta boð var sent á { $email }. Skráðu þig út og svo inn með þeim aðgangi.
invitation-has-account = Þú ert nú þegar með aðgang með netfanginu { $email }. Skráðu þig inn til að tengjast; þú þarft ekki nýjan aðgang.
invitation-log-in = Skrá inn til að tengjast
invitation-create-text = Stofnaðu aðgang til að tengjast. Það tekur aðeins mínútu.

## platform.html
platform-title = Hearth · Vellíðan á vinnustað
platform-heading = Vellíðan innan seilingar
platform-lead = Hearth gefur hverju fyrirtæki eigin vellíðunarmiðstöð þar sem starfsfólk bókar trúnaðarviðtöl í myndsímtali hjá sálfræðingum og markþjálfum.
platform-find-hub = Ertu að leita að miðstöð fyrirtækisins þíns? Notaðu hlekkinn sem mannauðsteymið sendi þér.

## Skilaboð bókunaraðgerða
book-error-held = Einhver annar er að bóka þennan tíma núna. Vinsamlegast veldu annan tíma.
book-error-unavailable = Þessi tími er ekki lengur laus. Vinsamlegast veldu annan tíma.
book-error-taken = Einhver annar var að bóka þennan tíma. Vinsamlegast veldu annan tíma.
book-error-not-free = Þessi tími er ekki laus. Vinsamlegast veldu annan tíma.
book-error-past = Veldu tíma sem er ekki liðinn.
book-error-not-member = Aðeins meðlimir þessa vettvangs geta bókað með inneign hans.
book-error-refused = Vettvangurinn leyfir ekki þessa bókun: { $reason }

## Skilaboð á síðu tímans
appointment-done-booked = Tíminn þinn er bókaður. Við höfum sent þér upplýsingarnar og dagatalsskrá í tölvupósti.
appointment-done-cancelled = Tíminn hefur verið afbókaður. Við höfum látið ykkur bæði vita í tölvupósti.
appointment-done-rescheduled = Tíminn hefur verið færður. Við höfum látið ykkur bæði vita í tölvupósti.
appointment-done-waived = Inneigninni fyrir síðbúnu afbókunina hefur verið skilað.
appointment-error-not-movable = Ekki er lengur hægt að færa þennan tíma.
appointment-error-cutoff = Hægt er að færa tíma allt að { $cutoff ->
    [one] { $cutoff } klukkustund
   *[other] { $cutoff } klukkustundum
} áður en hann hefst. Þú getur samt afbókað hann.

## Tölvupóstar, tilkynningar og dagatalsfærslur um bókanir
book-email-when = { $date }, kl. { $time } ({ $zone })
book-email-mode = { $mode ->
    [phone] Símtal
    [in_person] Á staðnum
   *[other] Myndsímtal
}
book-email-former-client = fyrrverandi skjólstæðingur
book-notify-confirmed = Tími bókaður: { $service } með { $other }, { $when }
book-notify-rescheduled = Tíma breytt: { $service } með { $other }, nú { $when }
book-notify-cancelled = Tíma aflýst: { $service } með { $other }, { $when }
book-notify-reminder = Áminning: { $service } með { $other }, { $when }
