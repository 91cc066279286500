## pro_*.html
pro-nav-title = Starfsemin þín
pro-nav-overview = Yfirlit
pro-nav-profile = Prófíll
pro-nav-services = Þjónusta
pro-nav-availability = Tímaframboð
pro-nav-invite = Bjóða skjólstæðingum
pro-nav-as-client = Sem skjólstæðingur
pro-nav-my-sessions = Mínir tímar
pro-pending = Prófíllinn þinn bíður staðfestingar. Skjólstæðingar og miðstöðvar sjá þig þegar Hearth hefur staðfest hann.
pro-rejected = Hearth staðfesti ekki prófílinn þinn, af þessari ástæðu:
pro-rejected-again = Breyttu prófílnum eins og beðið er um og vistaðu hann: þá er aftur beðið um staðfestingu.
pro-invitations-heading = Bjóða skjólstæðingi
pro-invitations-email = Netfang skjólstæðings
pro-invitations-name = Nafn skjólstæðings (valfrjálst)
pro-invitations-message = Skilaboð (valfrjálst)
pro-invitations-send = Senda boð
pro-invitations-sent = Send boð
common-none-yet = Ekkert enn.
pro-invitations-sent-on = Sent
common-status = Staða
common-actions = Aðgerðir
pro-invitations-revoke = Afturkalla
pro-invitations-revoke-sr = boðið til { $email }
pro-services-intro = Það sem skjólstæðingar og miðstöðvar geta bókað hjá þér. Breytingar á þjónustu eða geymsla hennar hafa ekki áhrif á tíma sem þegar eru bókaðir.
pro-services-not-added = Þjónustunni var ekki bætt við. Vinsamlegast lagaðu merktu reitina hér fyrir neðan.
pro-services-yours = Þjónustan þín
pro-services-none = Engin enn: bættu fyrstu þjónustunni við hér fyrir neðan svo skjólstæðingar geti bókað þig.
pro-services-service = Þjónusta
pro-services-length = Lengd
pro-services-credits = Inneign
common-min = { $minutes } mín.
common-edit = Breyta
pro-services-archive = Setja í geymslu
pro-services-archived = Í geymslu
pro-services-add-heading = Bæta við þjónustu
pro-services-add = Bæta við þjónustu
pro-service-all = Öll þjónusta
pro-service-archived = Þessi þjónusta er í geymslu: ekki er lengur hægt að bóka hana.
common-nothing-saved = Ekkert var vistað. Vinsamlegast lagaðu merktu reitina hér fyrir neðan.
pro-service-change = Breyta þjónustunni
pro-service-kept = Tímar sem þegar eru bókaðir halda þeirri lengd og því verði sem þeir voru bókaðir á.
pro-service-save = Vista þjónustu
pro-service-archive-text = Skjólstæðingar og miðstöðvar geta ekki bókað þjónustu sem er í geymslu.
pro-service-archive-button = Setja þessa þjónustu í geymslu
pro-service-name = Heiti
pro-service-name-hint = Það sem skjólstæðingar sjá, til dæmis Einstaklingsviðtal.
pro-service-mode = Hvernig tíminn fer fram
pro-service-type = Fyrir hverja
pro-service-duration = Lengd (mínútur)
pro-service-duration-hint = 10 til 480.
pro-service-price = Verð fyrir einkaskjólstæðinga
pro-service-price-hint = Til dæmis 120.00; 0 ef hún er ókeypis.
pro-service-currency = Gjaldmiðill
pro-service-credits = Kostnaður í inneign miðstöðvar
pro-service-credits-hint = 0 til 100. Það sem tíminn kostar starfsmann fyrirtækis með vellíðunarmiðstöð.
pro-book-title = Bóka tíma fyrir skjólstæðing
pro-book-no-clients-before = Þú ert ekki enn með neina skjólstæðinga.
pro-book-no-clients-after = fyrst.
pro-book-no-services = Bættu fyrst við þjónustu:
pro-book-your-services = þjónustan þín
pro-book-date = Dagsetning
pro-book-time = Upphafstími ({ $timezone })
pro-book-price = Verð (skildu eftir autt fyrir verð þjónustunnar)
pro-book-button = Bóka og senda skjólstæðingnum tölvupóst

## pro_dashboard.html
pro-dash-verified = Prófíllinn þinn er staðfestur: miðstöðvar geta bætt þér á sérfræðingalista sinn og skjólstæðingar geta bókað þig.
pro-dash-setup = Áður en skjólstæðingar geta bókað þig
pro-dash-setup-service = hvað þú býður, hversu lengi það varir og hvað það kostar.
pro-dash-setup-hours = Stilltu vikulegan vinnutíma þinn
pro-dash-upcoming = Næstu tímar
pro-dash-timezone = Tímar á þínu tímabelti, { $timezone }.
pro-dash-no-upcoming = Engir tímar fram undan.
pro-dash-past = Liðnir tímar
pro-dash-cancelled = Afbókaður
pro-dash-attended = Mætt
pro-dash-no-show = Skjólstæðingur mætti ekki
pro-dash-held = Haldinn
pro-dash-last-20 = Síðustu 20.
pro-dash-clients = Skjólstæðingar
pro-dash-no-clients = Engir skjólstæðingar enn. Skjólstæðingar sem þú býður og þeir sem bóka þig birtast hér.
pro-dash-since = frá { $date }
pro-dash-invitations = Boð
pro-dash-open-invitations = { $count ->
    [0] Engin boð bíða svars.
    [one] { $count } boð bíður svars.
   *[other] { $count } boð bíða svars.
}
pro-dash-invite-later = Þú getur boðið eigin skjólstæðingum þegar Hearth hefur staðfest prófílinn þinn.

## pro_profile.html
pro-profile-title = Sérfræðiprófíllinn þinn
pro-profile-become = Gerast sérfræðingur
pro-profile-become-lead = Sálfræðingar, markþjálfar, ráðgjafar og meðferðaraðilar bjóða tíma á Hearth: starfsfólki fyrirtækja með vellíðunarmiðstöð og eigin einkaskjólstæðingum. Fylltu út prófílinn þinn með aðganginum sem þú ert þegar með. Hearth staðfestir hann áður en skjólstæðingar og miðstöðvar sjá þig.
pro-profile-photo = Mynd
pro-profile-photo-alt = Núverandi myndin þín
pro-profile-photo-remove = Fjarlægja mynd
pro-profile-no-photo = Engin mynd enn: upphafsstafirnir þínir eru sýndir í staðinn.
pro-profile-photo-upload = Hlaða upp mynd
pro-profile-photo-hint = PNG eða JPEG, mest 2 MB. Myndin er skorin í ferning um miðjuna og minnkuð í 400 × 400 díla; staðsetningar- og myndavélarupplýsingar eru fjarlægðar.
pro-profile-photo-button = Hlaða upp mynd
pro-profile-yours = Prófíllinn þinn
pro-profile-title-label = Starfsheiti
pro-profile-title-hint = Birtist undir nafninu þínu, til dæmis Klínískur sálfræðingur.
pro-profile-kind = Þú ert
pro-profile-bio = Um þig
pro-profile-bio-hint = Venjulegur texti, mest { $count } stafir: hvernig þú vinnur og með hverjum.
pro-profile-specialties = Sérsvið
pro-profile-specialties-hint = Aðskilin með kommum, til dæmis Kvíði, Streita, Kulnun. Mest 12.
pro-profile-languages = Tungumál sem þú talar í tímum
pro-profile-languages-hint = Aðskilin með kommum, til dæmis en, is, fr.
pro-profile-country = Land
pro-profile-country-hint = Tveggja stafa landskóði, til dæmis IS, GB eða FR.
pro-profile-timezone = Tímabelti
pro-profile-timezone-hint = Vikulegur vinnutími þinn miðast við þetta tímabelti.
pro-profile-rules = Bókunarreglur
pro-profile-buffer = Hlé eftir hvern tíma (mínútur)
pro-profile-buffer-hint = 0 til 240. Enginn tími er bókaður á þessu bili.
pro-profile-notice = Lágmarksfyrirvari (klukkustundir)
pro-profile-notice-hint = 0 til 720. Ekki er hægt að bóka tíma með styttri fyrirvara.
pro-profile-horizon = Bókunartímabil (dagar)
pro-profile-horizon-hint = 1 til 365. Hversu langt fram í tímann er hægt að bóka.
pro-profile-save = Vista prófíl
pro-profile-create = Stofna sérfræðiprófílinn minn

## pro_availability.html
pro-avail-intro-before = Vikulegur vinnutími þinn, á tímabeltinu þínu
pro-avail-change-it = breyta
pro-avail-intro-after = Skjólstæðingar sjá lausa tíma á sínu eigin tímabelti. Eftir hvern tíma er { $minutes } mínútna hlé.
pro-avail-weekly = Vikulegur vinnutími
pro-avail-day = Dagur
pro-avail-hours = Tímar
pro-avail-not-available = Ekki til taks
common-delete = Eyða
pro-avail-delete-rule-sr = { $day } { $start } til { $end }
pro-avail-add-hours = Bæta við tímum
pro-avail-from = Frá
pro-avail-until = Til
pro-avail-exceptions = Frídagar og aukatímar
pro-avail-no-exceptions = Engar undantekningar fram undan: vikulegi vinnutíminn gildir allar vikur.
pro-avail-off-hours = frí { $hours }
pro-avail-day-off = frídagur
pro-avail-extra-hours = aukatímar { $hours }
pro-avail-delete-exception-sr = undantekninguna { $day }
pro-avail-add-exception = Bæta við frídegi eða aukatímum
pro-avail-what = Hvað
pro-avail-kind-off = Frí (allan daginn eða tímana hér fyrir neðan)
pro-avail-kind-extra = Aukatímar (tímarnir hér fyrir neðan)
pro-avail-from-optional = Frá (valfrjálst fyrir heilan frídag)
pro-avail-until-optional = Til (valfrjálst fyrir heilan frídag)


## Valkostir á eyðublöðum sérfræðingsins
pro-kind = { $kind ->
    [psychologist] Sálfræðingur
    [coach] Markþjálfi
    [counsellor] Ráðgjafi
    [therapist] Meðferðaraðili
   *[other] Annað
}
pro-mode = { $mode ->
    [video] Myndsímtal
    [phone] Sími
    [in_person] Á staðnum
   *[other] { $mode }
}
pro-session-type = { $type ->
    [individual] Einstaklingur
    [couples] Par
    [family] Fjölskylda
    [group] Hópur
   *[other] { $type }
}
pro-invitations-status = { $status ->
    [accepted] Samþykkt
    [revoked] Afturkallað
    [expired] Útrunnið
   *[other] Bíður svars
}

## Tilkynningar eftir breytingu
pro-profile-done-created = Sérfræðiprófíllinn þinn hefur verið stofnaður. Bættu við mynd, þjónustu og vinnutíma á meðan þú bíður.
pro-profile-done-saved = Prófíllinn þinn hefur verið vistaður.
pro-profile-done-photo = Myndin þín hefur verið vistuð.
pro-profile-done-photo-removed = Myndin þín hefur verið fjarlægð.
pro-services-done-created = Þjónustunni hefur verið bætt við.
pro-services-done-saved = Þjónustan hefur verið vistuð.
pro-services-done-archived = Þjónustan er komin í geymslu: ekki er lengur hægt að bóka hana.
pro-avail-done-rule = Tímunum hefur verið bætt við.
pro-avail-done-rule-deleted = Tímunum hefur verið eytt.
pro-avail-done-exception = Undantekningunni hefur verið bætt við.
pro-avail-done-exception-deleted = Undantekningunni hefur verið eytt.

## Yfirlit sérfræðingsins
pro-dash-deleted-account = Eyddur aðgangur
pro-dash-private-client = Einkaskjólstæðingur

## Villur við reiti á eyðublöðum sérfræðingsins
pro-error-name-missing = Sláðu inn nafnið þitt.
pro-error-title-missing = Sláðu inn starfsheitið þitt, til dæmis Klínískur sálfræðingur.
pro-error-service-name-missing = Sláðu inn heiti, til dæmis Einstaklingsviðtal.
pro-error-max-chars = Notaðu mest { $max ->
    [one] { $max } staf
   *[other] { $max } stafi
}.
pro-error-control = Fjarlægðu línuskil og sértákn.
pro-error-tag-too-long = „{ $start }…“ er of langt: notaðu mest { $max ->
    [one] { $max } staf
   *[other] { $max } stafi
} í hvert.
pro-error-too-many-tags = Tilgreindu mest { $max }, aðskilin með kommum.
pro-error-country = Sláðu inn tveggja stafa landskóða landsins þíns, til dæmis IS, GB eða FR.
pro-error-timezone = Veldu tímabeltið þitt af listanum, til dæmis Atlantic/Reykjavik.
pro-error-choice = Veldu einn af valkostunum.
pro-error-number = Sláðu inn heila tölu frá { $min } til { $max }.
pro-error-price = Sláðu inn verð, til dæmis 120.00 (0 ef hún er ókeypis).
pro-error-price-max = Verðið má mest vera 1.000.000.
pro-error-price-decimals = { $decimals ->
    [0] Verð í { $currency } eru án aukastafa: sláðu inn heila tölu, til dæmis 12500.
   *[other] Verð í { $currency } hafa mest { $decimals } aukastafi.
}
pro-error-currency = Veldu einn af gjaldmiðlunum á listanum.
pro-error-time = Sláðu inn tíma, til dæmis 09:00.
pro-error-date = Sláðu inn dagsetningu, til dæmis 2026-12-24.
pro-error-weekday = Veldu vikudag.
pro-error-end-before-start = Lokatíminn verður að vera á eftir upphafstímanum.
pro-error-day-past = Veldu daginn í dag eða síðari dag.
pro-error-day-far = Veldu dag innan næstu tveggja ára.
pro-error-exception-kind = Veldu frí eða aukatíma.
pro-error-extra-needs-times = Aukatímar þurfa bæði upphafs- og lokatíma.
pro-error-start-too = Sláðu líka inn upphafstíma, eða hvorugan.
pro-error-end-too = Sláðu líka inn lokatíma, eða hvorugan.
pro-error-overlap = Þessir tímar skarast við tíma sem þú ert þegar með: { $day } frá { $start } til { $end }. Breyttu tímunum eða eyddu hinum tímunum fyrst.
pro-photo-error-empty = Veldu mynd til að hlaða upp.
pro-photo-error-large = Skráin er stærri en 2 MB.
pro-photo-error-type = Hladdu upp mynd á PNG- eða JPEG-sniði.
pro-photo-error-unreadable = Ekki tókst að lesa myndina. Hladdu upp mynd á PNG- eða JPEG-sniði.
pro-photo-error-interrupted = Upphleðslan rofnaði. Vinsamlegast reyndu aftur.

## Tími sem sérfræðingur bókar fyrir einkaskjólstæðing
pro-book-error-client = Veldu einn af skjólstæðingunum þínum.
pro-book-error-service = Veldu eina af þjónustunum þínum.
pro-book-error-date = Sláðu inn dagsetningu og tíma sem eru til á tímabeltinu þínu.
pro-book-error-price = Sláðu inn verð, til dæmis 120.00.
pro-book-error-taken = Þú ert þegar með bókaðan tíma sem skarast við þennan (eða við hléið á eftir honum).
