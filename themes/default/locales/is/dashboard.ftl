# Mínar síður: Heim, Tengingar, Tilkynningar og notandavalmyndin.

## dashboard_nav.html
dash-title = Mínar síður
dash-nav-home = Heim
dash-nav-connections = Tengingar
dash-nav-notifications = Tilkynningar
dash-nav-email-settings = Tölvupóststillingar
dash-unread-sr = ólesnar

## dashboard.html
dash-hello = Halló, { $name }
dash-hub-name = Vellíðunarmiðstöð { $name }
dash-back-to-hub = Aftur í Vellíðunarmiðstöð { $name }
dash-your-bookings = Bókanirnar þínar
dash-upcoming = Framundan
dash-past = Liðnar
dash-cancelled = Afbókaðar
dash-credits = Inneign
dash-credits-left-in = { $count ->
    [one] inneign eftir í
   *[other] inneignir eftir í
}
dash-resets-on = Endurnýjast { $date }
dash-rollover = (ónotuð inneign færist yfir)
dash-per-period = { $months ->
    [1] á mánuði
    [3] á ársfjórðungi
    [6] á hálfu ári
   *[other] á ári
}
dash-upcoming-appointments = Tímar framundan
dash-times-join-hint = Tímar eru sýndir í þínu tímabelti, { $timezone }. Þú getur tekið þátt í myndfundi frá { $minutes } mínútum áður en hann hefst.
dash-no-upcoming = Þú átt enga tíma framundan.
dash-book-in-hub = Bókaðu tíma hjá sérfræðingi Vellíðunarmiðstöðvar { $name }
dash-past-appointments = Liðnir tímar
dash-past-empty = Liðnir tímar þínir birtast hér.
dash-cal-view = Sýn dagatals
dash-cal-month = Mánuður
dash-cal-week = Vika
dash-cal-dates = Dagsetningar dagatals
dash-cal-previous = Fyrri
dash-cal-next = Næsta
dash-cal-unit = { $unit ->
    [month] (mánuður)
   *[week] (vika)
}
dash-today = Í dag
dash-cal-caption = Tímarnir þínir: { $title }
dash-weekday = { $day ->
    [mon] mánudagur
    [tue] þriðjudagur
    [wed] miðvikudagur
    [thu] fimmtudagur
    [fri] föstudagur
    [sat] laugardagur
   *[sun] sunnudagur
}
dash-weekday-short = { $day ->
    [mon] Mán
    [tue] Þri
    [wed] Mið
    [thu] Fim
    [fri] Fös
    [sat] Lau
   *[sun] Sun
}
dash-cal-sessions = { $count ->
    [one] { $count } tími
   *[other] { $count } tímar
}
dash-cal-session-with = { $service } hjá { $name }
dash-no-sessions = Engir tímar
dash-your-connections = Tengingarnar þínar
dash-all-connections = Allar tengingar og bóka aftur
dash-connections-empty = Sérfræðingar sem þú vinnur með, eða sem bjóða þér, birtast hér.

## dashboard_macros.html
dash-session-client = Skjólstæðingur: { $name }
dash-session-with = Hjá { $name }
dash-join = Taka þátt í myndfundi
dash-join-label = Taka þátt í myndfundi: { $service }, { $date } { $time }
dash-opens = Opnar { $when }
dash-mode = { $mode ->
    [phone] Símtal
    [in_person] Á staðnum
   *[other] Myndfundur
}
dash-session-type = { $type ->
    [couples] Parameðferð
    [family] Fjölskyldumeðferð
    [group] Hópmeðferð
   *[other] Einstaklingsmeðferð
}
dash-former-client = Fyrrverandi skjólstæðingur
dash-former-client-lower = fyrrverandi skjólstæðingur

## dashboard_connections.html
dash-connections-title = Tengingar
dash-now-connected = Nú eruð þið tengd.
dash-invitations = Boð
dash-invited-you = bauð þér að tengjast.
dash-accept = Samþykkja
dash-accept-from = boðið frá { $name }
dash-your-professionals = Sérfræðingarnir þínir
dash-last-session = Síðasti tími { $date }
dash-connected-by-invitation = Tengd með boði { $date }
dash-connected-since = Tengd síðan { $date }
dash-with-name = hjá { $name }
dash-book-with-hub-credits = Bóka með inneign hjá { $hub }
dash-book-again = Bóka aftur
dash-book-privately = Bóka á eigin kostnað

## notifications.html
notif-title = Tilkynningar
notif-unread = { $count ->
    [one] { $count } ólesin
   *[other] { $count } ólesnar
}
notif-all-read = Allt lesið
notif-mark-all-read = Merkja allt sem lesið
notif-new = Ný
notif-mark-read = Merkja sem lesið
notif-empty = Ekkert enn. Bókanir, breytingar, áminningar, boð og greiðslubeiðnir birtast hér.
notif-times-hint = Tímar eru sýndir í þínu tímabelti, { $timezone }.
notif-choose-email = Veldu hvaða tilkynningar koma líka í tölvupósti

## notifications_settings.html
notif-settings-title = Tölvupóststillingar
notif-email-heading = Tilkynningar í tölvupósti
notif-saved = Tölvupóststillingarnar þínar voru vistaðar.
notif-send-me-when = Sendu mér tölvupóst þegar
notif-settings-hint = Hvað sem þú velur birtast þessar áfram í tilkynningunum þínum. Öryggispóstar (kóðar við nýskráningu, endurstilling lykilorðs og breyting á lykilorði) eru alltaf sendir.
notif-save = Vista
notif-kind = { $kind ->
    [booking_confirmed] Tími er bókaður
    [booking_rescheduled] Tími er færður
    [booking_cancelled] Tími er afbókaður
    [reminder] Áminningar um tíma framundan (degi og klukkustund áður)
    [invitation] Sérfræðingur býður þér að tengjast
   *[payment_request] Sérfræðingur biður þig að greiða reikning
}

## usermenu.html
menu-account = Aðgangur
menu-notifications = Tilkynningar
menu-unread = ólesnar
menu-dashboard = Mínar síður
menu-profile = Prófíll
menu-change-password = Breyta lykilorði
menu-hub-settings = Stillingar miðstöðvar
menu-your-practice = Starfsemin þín
menu-for-professionals = Fyrir sérfræðinga
menu-invite-clients = Bjóða skjólstæðingum
menu-log-out = Skrá út
menu-log-in = Skrá inn
