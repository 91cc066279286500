# Prófíllinn minn og Gögnin þín: upplýsingar notandans, breyting á netfangi,
# mynd, útflutningur alls sem geymt er um hann og eyðing aðgangsins.

## profile_nav.html
profile-nav-title = Aðgangurinn þinn
profile-title = Prófíllinn minn
profile-nav-password = Breyta lykilorði
data-title = Gögnin þín

## profile.html
profile-nothing-saved = Ekkert var vistað. Lagaðu reitina sem eru merktir hér fyrir neðan.
profile-optional = Valfrjálst.
profile-photo-heading = Mynd
profile-photo-current = Núverandi mynd þín
profile-photo-none = Engin mynd enn: upphafsstafirnir þínir birtast í staðinn.
profile-photo-label = Hlaða upp mynd
profile-photo-hint = PNG eða JPEG, mest 2 MB. Hún er skorin í ferning um miðjuna og minnkuð í 256 × 256 punkta; staðsetning og upplýsingar um myndavél eru fjarlægðar.
profile-photo-upload = Hlaða upp mynd
profile-photo-remove = Fjarlægja mynd
profile-details-heading = Upplýsingarnar þínar
profile-name-label = Nafn
profile-dob-label = Fæðingardagur
profile-phone-label = Símanúmer
profile-phone-hint = Með landsnúmeri, t.d. +354 555 1234. Valfrjálst.
profile-address-heading = Heimilisfang
profile-address-hint = Valfrjálst. Sérfræðingar sem hitta þig í eigin persónu gætu þurft það.
profile-line1-label = Gata og húsnúmer
profile-line2-label = Íbúð, hæð eða bygging
profile-postal-code-label = Póstnúmer
profile-city-label = Staður
profile-country-label = Land
profile-preferences-heading = Tungumál og tími
profile-language-label = Tungumál
profile-language-hint = Síður og tölvupóstar eru á þessu tungumáli.
profile-timezone-label = Tímabelti
profile-timezone-hint = Tímasetningar tímanna þinna birtast á þessu tímabelti.
profile-save = Vista
profile-email-heading = Netfang
profile-email-current = Netfangið þitt er
profile-email-new-label = Nýtt netfang
profile-email-new-hint = Við sendum kóða á nýja netfangið. Það tekur gildi þegar þú slærð kóðann inn; þangað til gildir núverandi netfang.
profile-current-password-label = Núverandi lykilorð
profile-email-send = Senda kóða
profile-email-pending = Beðið eftir kóðanum sem við sendum á
profile-code-label = Kóði
profile-code-hint = 6 tölustafir, gildir í 10 mínútur.
profile-email-confirm = Nota nýja netfangið
profile-email-cancel = Hætta við breytinguna
profile-password-heading = Lykilorð
profile-password-link = Breyta lykilorðinu

## Notices after a change (?done=)
profile-done-saved = Prófíllinn þinn var vistaður.
profile-done-photo = Myndin þín var uppfærð.
profile-done-photo-removed = Myndin þín var fjarlægð.
profile-done-email-sent = Við sendum kóða á nýja netfangið. Sláðu hann inn hér fyrir neðan til að byrja að nota það.
profile-done-email-changed = Netfanginu þínu var breytt. Önnur tæki voru skráð út.
profile-done-email-cancelled = Hætt var við breytingu á netfangi.

## Field errors
profile-error-name = Sláðu inn nafnið þitt (mest 200 stafir).
profile-error-control = Fjarlægðu línuskil og sérstafi.
profile-error-too-long = { $max ->
    [one] Notaðu mest { $max } staf.
   *[other] Notaðu mest { $max } stafi.
}
profile-error-dob-format = Sláðu inn dagsetningu á forminu 1990-04-23.
profile-error-dob-future = Fæðingardagur getur ekki verið í framtíðinni.
profile-error-dob-early = Sláðu inn dagsetningu frá árinu 1900 eða síðar.
profile-error-phone = Sláðu inn númerið með landsnúmeri, t.d. +354 555 1234.
profile-error-language = Veldu ensku eða íslensku.
profile-error-timezone = Veldu tímabeltið þitt af listanum.
profile-error-photo-empty = Veldu mynd til að hlaða upp.
profile-error-photo-large = Skráin er stærri en 2 MB.
profile-error-photo-type = Hladdu upp PNG- eða JPEG-mynd.
profile-error-photo-unreadable = Ekki tókst að lesa myndina. Hladdu upp PNG- eða JPEG-mynd.
profile-error-upload = Upphleðslan rofnaði. Reyndu aftur.
profile-error-email = Sláðu inn netfang eins og nafn@daemi.is.
profile-error-email-same = Þetta er nú þegar netfangið þitt.
profile-error-email-taken = Annar aðgangur notar þetta netfang.
profile-error-password = Þetta er ekki núverandi lykilorðið þitt.
profile-error-wait = { $seconds ->
    [one] Of margar tilraunir. Bíddu í { $seconds } sekúndu og reyndu aftur.
   *[other] Of margar tilraunir. Bíddu í { $seconds } sekúndur og reyndu aftur.
}
profile-error-resend-wait = { $seconds ->
    [one] Við vorum að senda kóða. Þú getur beðið um annan eftir { $seconds } sekúndu.
   *[other] Við vorum að senda kóða. Þú getur beðið um annan eftir { $seconds } sekúndur.
}
profile-error-code-none = Enginn kóði bíður. Biddu um nýjan.
profile-error-code-expired = Þessi kóði er útrunninn. Biddu um nýjan.
profile-error-code-used-up = Of margir rangir kóðar. Biddu um nýjan.
profile-error-code-wrong = Þessi kóði er ekki réttur. { $left ->
    [one] { $left } tilraun eftir.
   *[other] { $left } tilraunir eftir.
}

## account_data.html
data-intro = Þetta er það sem Hearth geymir um þig: aðganginn og prófílinn, innskráningar (hvenær, aldrei lyklana), skilmálana sem þú samþykktir, tengingar við sérfræðinga, boð send á netfangið þitt, tímana þína, sérfræðingsprófíl ef þú átt hann, tölvupósta sem þér voru sendir, og í hverri vellíðunarmiðstöð fyrirtækis sem þú tilheyrir: aðild, inneign og bókanir.
data-download-heading = Sækja gögnin þín
data-download-json = Sækja sem JSON
data-download-json-hint = Allar færslur, til að geyma eða flytja í aðra þjónustu.
data-download-html = Sækja læsilegt yfirlit
data-download-html-hint = Síða til að lesa, prenta eða vista sem PDF.
data-delete-heading = Eyða aðganginum mínum
data-delete-explain = Aðganginum, prófílnum, myndinni, innskráningum og tengingum er eytt fyrir fullt og allt. Sérfræðingar halda dagsetningu, þjónustu og verði liðinna tíma, eins og lög krefjast vegna skráa þeirra, en hvorki nafni þínu né netfangi. Hverri vellíðunarmiðstöð sem þú tilheyrir er aðeins sagt að meðlimur hafi hætt; inneign þín þar fellur niður.
data-delete-final = Þetta er ekki hægt að afturkalla. Sæktu gögnin þín fyrst ef þú vilt eiga afrit.
data-delete-password-label = Lykilorðið þitt, til staðfestingar
data-delete-button = Eyða aðganginum mínum
data-error-delete-upcoming = Þú átt bókaða tíma fram undan. Afbókaðu þá fyrst á yfirlitssíðunni.
data-error-delete-practice = Stofan þín á skráða tíma sem þarf að varðveita. Hafðu samband við okkur til að loka stofunni og aðganginum.

## account_data_deleted.html
data-deleted-title = Aðganginum þínum var eytt
data-deleted-text = Öllu sem við geymdum um þig hefur verið eytt. Takk fyrir að nota Hearth.

## account_data_summary.html
data-summary-made = Búið til
data-summary-print-hint = Notaðu prentskipun vafrans til að vista þessa síðu sem PDF.
data-summary-hub = Vellíðunarmiðstöð: { $name }
data-none = Ekkert.
data-yes = Já
data-no = Nei

## The summary's labels of the export's records (JSON key in the id)
data-field-account = Aðgangur
data-field-id = Auðkenni
data-field-email = Netfang
data-field-name = Nafn
data-field-date-of-birth = Fæðingardagur
data-field-phone = Símanúmer
data-field-address = Heimilisfang
data-field-line1 = Gata og húsnúmer
data-field-line2 = Íbúð, hæð eða bygging
data-field-postal-code = Póstnúmer
data-field-city = Staður
data-field-country = Land
data-field-language = Tungumál
data-field-timezone = Tímabelti
data-field-email-verified-at = Netfang staðfest
data-field-created-at = Stofnað
data-field-is-operator = Starfsmaður kerfisins
data-field-has-photo = Mynd
data-field-sessions = Innskráningar
data-field-last-seen-at = Síðast notað
data-field-expires-at = Rennur út
data-field-terms-acceptances = Samþykktir skilmálar
data-field-version = Útgáfa
data-field-accepted-at = Samþykkt
data-field-email-change = Breyting á netfangi í bið
data-field-new-email = Nýtt netfang
data-field-email-verification = Staðfesting netfangs í bið
data-field-password-resets = Endurstillingar lykilorðs
data-field-used-at = Notað
data-field-connections = Sérfræðingarnir þínir
data-field-professional = Sérfræðingur
data-field-hub = Vellíðunarmiðstöð
data-field-source = Hvernig
data-field-clients = Skjólstæðingar
data-field-count = Fjöldi
data-field-invitations = Boð til þín
data-field-message = Skilaboð
data-field-revoked-at = Dregið til baka
data-field-appointments = Tímarnir þínir
data-field-appointments-as-professional = Tímar sem þú hélst
data-field-service = Þjónusta
data-field-mode = Hvernig
data-field-session-type = Tegund
data-field-starts-at = Hefst
data-field-ends-at = Lýkur
data-field-price = Verð
data-field-currency = Gjaldmiðill
data-field-credits = Inneignir
data-field-status = Staða
data-field-cancelled-at = Afbókað
data-field-late-cancel = Sein afbókun
data-field-professional-profile = Sérfræðingsprófíll
data-field-title = Titill
data-field-bio = Um
data-field-specialties = Sérsvið
data-field-languages = Tungumál
data-field-kind = Tegund
data-field-verified-at = Staðfest
data-field-rejected-at = Ekki staðfest þann
data-field-rejection-reason = Hvers vegna ekki staðfest
data-field-buffer-minutes = Hlé eftir tíma (mínútur)
data-field-min-notice-minutes = Lágmarksfyrirvari (mínútur)
data-field-horizon-days = Bókunartímabil (dagar)
data-field-services = Þjónusta
data-field-duration-minutes = Mínútur
data-field-active = Í boði
data-field-availability = Vikulegur opnunartími
data-field-weekday = Vikudagur
data-field-start-time = Frá
data-field-end-time = Til
data-field-availability-exceptions = Frídagar og aukatímar
data-field-day = Dagur
data-field-emails = Tölvupóstar til þín
data-field-sent-at = Sent
data-field-notifications = Tilkynningar
data-field-notification-preferences = Stillingar tilkynninga
data-field-read-at = Lesið
data-field-link = Tengill
data-field-hubs = Vellíðunarmiðstöðvar
data-field-membership = Aðild
data-field-role = Hlutverk
data-field-joined-at = Aðild hófst
data-field-eligibility = Á starfsmannalista miðstöðvarinnar
data-field-imported-at = Skráð
data-field-credit-balance = Inneign
data-field-balance = Staða
data-field-period-start = Tímabil frá
data-field-updated-at = Uppfært
data-field-credit-ledger = Saga inneignar
data-field-amount = Upphæð
data-field-balance-after = Staða á eftir
data-field-appointment-id = Tími
data-field-note = Athugasemd
data-field-at = Hvenær
data-field-hub-bookings = Bókanir greiddar af miðstöðinni
data-field-settled = Gert upp
data-field-audit = Breytingar þínar sem stjórnandi
data-field-action = Hvað
data-field-hub-name = Heiti
data-field-slug = Slóð
