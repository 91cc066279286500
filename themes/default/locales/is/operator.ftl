## usermenu, operator_nav, operator_home, operator_professionals
menu-operator-console = Stjórnborð rekstraraðila
operator-nav-title = Stjórnborð rekstraraðila
operator-nav-home = Yfirlit
operator-nav-professionals = Fagaðilar
operator-home-intro = Kerfið í hnotskurn.
operator-home-waiting = Bíða staðfestingar
operator-home-waiting-link = Fara yfir fagaðila
operator-home-hubs = Miðstöðvar
operator-home-hubs-suspended = { $count ->
    [0] Engin lokuð.
    [one] { $count } lokuð.
   *[other] { $count } lokaðar.
}
operator-home-resellers = Endursöluaðilar
operator-home-dead = Póstar sem var gefist upp á
operator-home-dead-hint = Póstar sem sendingin hætti að reyna aftur. Villurnar eru í úthólfinu.
operator-pros-intro = Nýir fagaðilar bíða hér þar til þú staðfestir þá: fram að því sér þá engin miðstöð og enginn skjólstæðingur. Skoðaðu hvað þeir skrifuðu og staðfestu þá, eða hafnaðu þeim með ástæðu: hún er send þeim í tölvupósti og þeir geta breytt prófílnum og beðið aftur.
operator-nothing-changed = Engu var breytt. Lagaðu reitinn sem er merktur hér fyrir neðan:
operator-pros-waiting = { $count ->
    [0] Bíða staðfestingar
    [one] { $count } bíður staðfestingar
   *[other] { $count } bíða staðfestingar
}
operator-pros-none = Enginn bíður staðfestingar.
operator-pros-more = Aðeins þeir { $count } sem lengst hafa beðið eru sýndir.
operator-pros-since = Fagaðili frá
operator-pros-reads = Les tölvupóst á
operator-language = { $code ->
    [en] ensku
    [is] íslensku
   *[other] { $code }
}
operator-pros-not-given = Ekki gefið upp
operator-pros-languages = Heldur tíma á
operator-pros-services = Virk þjónusta
operator-pros-hours = Vikulegir tímar (reglur)
operator-pros-photo = Mynd
operator-pros-bio = Um viðkomandi
operator-pros-read-all = Lesa allt um
operator-pros-no-bio = Engin lýsing enn.
operator-verify = Staðfesta
operator-verify-hint = Miðstöðvar sem hafa viðkomandi á lista geta þá boðið tíma hjá honum.
operator-reason-label = Eða hafna { $name } og segja hvers vegna
operator-reason-hint = Þetta er sent viðkomandi í tölvupósti, orðrétt. Segðu hverju á að breyta. Mest { $max } stafir.
operator-reject = Hafna
operator-pros-decided = Nýlega staðfestir eða hafnað
operator-pros-decided-none = Enginn enn.
operator-pros-decision = Ákvörðun
operator-pros-reason = Ástæða
operator-pros-verified = Staðfest
operator-pros-rejected = Hafnað
operator-done-verified = Staðfest. Miðstöðvar sem hafa viðkomandi á lista geta nú boðið tíma hjá honum.
operator-done-already = Viðkomandi var þegar staðfestur: engu var breytt.
operator-done-rejected = Hafnað. Ástæðan hefur verið send viðkomandi í tölvupósti.
operator-error-reason-missing = Skrifaðu hvers vegna, svo viðkomandi viti hverju á að breyta.
operator-error-reason-long = Ástæðan er { $count } stafir: mest { $max } eru leyfðir.
operator-error-not-waiting = Þessi fagaðili bíður ekki lengur staðfestingar: einhver hefur þegar ákveðið. Engu var breytt.

## operator_nav, operator_home (links), operator_macros (pages of a list)
operator-nav-hubs = Miðstöðvar
operator-nav-outbox = Úthólf
operator-home-hubs-link = Leita að, loka og opna miðstöðvar
operator-home-dead-link = Skoða úthólfið og reyna aftur
operator-page-prev = Fyrri síða
operator-page-next = Næsta síða
operator-page-of = Síða { $page } af { $pages }
operator-past-end = Þessi síða er aftan við þá síðustu: farðu síðu til baka.
operator-error-page = Sú síða er ekki til: síður eru númeraðar frá 1 til { $max }.

## operator_hubs
operator-hubs-intro = Allar miðstöðvar fyrirtækja á kerfinu. Þegar miðstöð er lokað stöðvast hún strax á öllum þjónum: meðlimir hennar sjá síðu sem segir að henni hafi verið lokað, og ekkert úr miðstöðinni. Bæði lokun og opnun eru skráðar í breytingaskrá miðstöðvarinnar, með nafni þínu.
operator-hubs-search-label = Leita að miðstöðvum
operator-hubs-search = Heiti eða auðkenni, eða hluti þess
operator-hubs-search-button = Leita
operator-hubs-all = Sýna allar miðstöðvar
operator-hubs-count = { $count ->
    [one] { $count } miðstöð
   *[other] { $count } miðstöðvar
}
operator-hubs-found = { $count ->
    [0] Engin miðstöð passar við leitina
    [one] { $count } miðstöð passar við leitina
   *[other] { $count } miðstöðvar passa við leitina
}
operator-hubs-none = Engar miðstöðvar enn. Þær eru búnar til með hearth-skipuninni.
operator-hubs-none-found = Engin miðstöð hefur þetta í heiti sínu eða auðkenni.
operator-hubs-fix-search = Styttu leitina til að leita aftur.
operator-hubs-hub = Miðstöð
operator-hubs-reseller = Endursöluaðili
operator-hubs-created = Stofnuð
operator-hubs-members = Meðlimir
operator-hubs-serving = Opin
operator-hubs-suspended = Lokuð
operator-hubs-not-ready = Ekki uppsett
operator-hubs-not-ready-hint = Skema hennar hefur ekki verið búið til: keyrðu hearth migrate.
operator-hubs-no-reseller = Enginn
operator-hubs-member-count = { $count ->
    [one] { $count } meðlimur
   *[other] { $count } meðlimir
}
operator-hubs-suspend = Loka
operator-hubs-resume = Opna aftur
operator-hubs-audit = Breytingaskrá
operator-hubs-pages = Síður miðstöðva
operator-hubs-done-suspended = Lokað. Síður miðstöðvarinnar segja það nú, á öllum þjónum.
operator-hubs-done-resumed = Opnuð aftur. Miðstöðin birtir síður sínar á ný.
operator-hubs-done-already = Miðstöðin var þegar í þessari stöðu: engu var breytt.
operator-hubs-error-search = Leitin er of löng: mest { $max } stafir.
operator-hubs-error-not-ready = Skema þessarar miðstöðvar hefur ekki verið búið til, svo hún á enga breytingaskrá til að skrá í: keyrðu fyrst hearth migrate. Engu var breytt.

## operator_hub_audit
operator-audit-title = Breytingaskrá { $name }
operator-audit-back = Aftur í miðstöðvarnar
operator-audit-intro = Allar breytingar sem skráðar eru í skrá miðstöðvarinnar, nýjustu fyrst: stillingar mannauðsstjóra hennar, og lokanir og opnanir kerfisins.
operator-audit-filter-label = Sía breytingaskrána
operator-audit-kind = Tegund breytingar
operator-audit-any-kind = Allar tegundir
operator-audit-show = Sýna
operator-audit-all = Sýna allar tegundir
operator-audit-count = { $count ->
    [0] Engar breytingar
    [one] { $count } breyting
   *[other] { $count } breytingar
}
operator-audit-no-actor = Aðgangur sem hefur verið eytt
operator-audit-pages = Síður breytingaskrárinnar
operator-audit-error-action = Engin slík tegund breytingar er til.

## operator_outbox
operator-outbox-intro = Póstar sem sendingin hætti að reyna aftur, nýjustu fyrst, með síðustu villunni sem póstþjónninn gaf. Netföng eru falin að hluta. Að reyna aftur setur póstinn aftur í biðröðina, til sendingar strax með nýjum tilraunum.
operator-outbox-pending = Bíða sendingar
operator-outbox-retrying = { $count ->
    [0] Enginn þeirra hefur mistekist enn.
    [one] { $count } þeirra mistókst áður og verður reyndur aftur.
   *[other] { $count } þeirra mistókst áður og verða reyndir aftur.
}
operator-outbox-retry-all = { $count ->
    [one] Reyna aftur við { $count } póst
   *[other] Reyna aftur við alla { $count } póstana
}
operator-outbox-retry-all-hint = Hver þeirra er sendur aftur strax; þeir sem mistakast aftur eru reyndir aftur eins og nýir póstar.
operator-outbox-dead = Gefist upp á
operator-outbox-none = Ekki hefur verið gefist upp á neinum pósti.
operator-outbox-email = Póstur
operator-outbox-queued = Skrifaður
operator-outbox-to = Til
operator-outbox-attempts = Tilraunir
operator-outbox-error = Síðasta villa
operator-outbox-number = Póstur { $id }
operator-outbox-attempt-count = { $count ->
    [one] { $count } tilraun
   *[other] { $count } tilraunir
}
operator-outbox-retry = Reyna aftur
operator-outbox-retry-which = póst { $id }
operator-outbox-pages = Síður pósta sem var gefist upp á
operator-outbox-done-retried = Kominn aftur í biðröðina: hann er sendur núna.
operator-outbox-done-retried-all = Allir póstar sem var gefist upp á eru komnir aftur í biðröðina og eru sendir núna.
operator-outbox-done-not-dead = Ekki hafði verið gefist upp á þeim pósti (reynt aftur þegar, eða sendur): engu var breytt.

## operator_nav, operator_home (resellers), operator_resellers
operator-nav-resellers = Endursöluaðilar
operator-nav-audit = Breytingaskrá
operator-nav-plugins = Viðbætur
operator-home-resellers-link = Skoða endursöluaðila, stofna þá og bæta við stjórnendum
operator-resellers-intro = Samstarfsaðilarnir sem koma fyrirtækjum af stað. Stjórnendur endursöluaðila hafa stjórnborð hans, þar sem þeir setja upp miðstöðvar fyrir viðskiptavini sína. Stjórnanda er bætt við eftir netfangi aðgangs sem hann á þegar.
operator-resellers-count = { $count ->
    [0] Engir endursöluaðilar
    [one] { $count } endursöluaðili
   *[other] { $count } endursöluaðilar
}
operator-resellers-none = Engir endursöluaðilar eru enn til. Stofnaðu þann fyrsta hér fyrir neðan.
operator-resellers-reseller = Endursöluaðili
operator-resellers-hubs = Miðstöðvar
operator-resellers-admins = Stjórnendur
operator-resellers-hub-count = { $count ->
    [one] { $count } miðstöð
   *[other] { $count } miðstöðvar
}
operator-resellers-admin-count = { $count ->
    [one] { $count } stjórnandi
   *[other] { $count } stjórnendur
}
operator-resellers-add-admin = Bæta við stjórnanda
operator-resellers-email-label = Netfang aðgangs, til að gera að stjórnanda { $name }
operator-resellers-add-button = Bæta við stjórnanda
operator-resellers-new = Nýr endursöluaðili
operator-resellers-name = Heiti
operator-resellers-name-hint = Heiti samstarfsaðilans, eins og stjórnendur hans og viðskiptavinir sjá það. Í mesta lagi { $max } stafir.
operator-resellers-slug = Stutt heiti (slug)
operator-resellers-slug-hint = 3 til 40 lágstafir, tölustafir og bandstrik, sem byrja og enda á bókstaf eða tölustaf. Því er ekki hægt að breyta síðar.
operator-resellers-create = Stofna endursöluaðilann
operator-resellers-done-created = Endursöluaðilinn er stofnaður. Bættu fyrsta stjórnanda hans við hér fyrir neðan.
operator-resellers-done-admin = Bætt við. Stjórnborð endursöluaðilans birtist í valmynd viðkomandi frá og með næstu síðu.
operator-resellers-done-already = Viðkomandi var þegar stjórnandi þessa endursöluaðila: engu var breytt.
operator-resellers-error-slug-length = Stutta heitið þarf að vera 3 til 40 stafir.
operator-resellers-error-slug-characters = Stutta heitið má aðeins innihalda lágstafi (a–z), tölustafi og bandstrik.
operator-resellers-error-slug-hyphen = Stutta heitið þarf að byrja og enda á bókstaf eða tölustaf.
operator-resellers-error-slug-reserved = Kerfið á þetta stutta heiti: veldu annað.
operator-resellers-error-slug-taken = Annar endursöluaðili er með þetta stutta heiti: veldu annað.
operator-resellers-error-name = Skrifaðu heiti endursöluaðilans, í mesta lagi { $max } stafi í einni línu.
operator-resellers-error-email = Þetta er ekki netfang: athugaðu hvort það sé rétt slegið inn.
operator-resellers-error-no-account = Enginn aðgangur er með þetta netfang. Biddu viðkomandi að skrá sig fyrst og bættu honum svo við.

## operator_audit
operator-all-audit-intro = Allar breytingar sem skráðar eru í breytingaskrá einhverrar miðstöðvar, nýjustu fyrst: stillingar mannauðsstjóra og lokanir og opnanir kerfisins. Þrengdu listann við miðstöð, manneskju eða tegund breytingar.
operator-all-audit-hub = Miðstöð (stutta heitið)
operator-all-audit-actor = Hver (netfang)
operator-all-audit-kind-hint = Til dæmis hub.suspend eða branding.publish.
operator-all-audit-clear = Sýna allar breytingar
operator-all-audit-no-actor = Kerfið, eða aðgangur sem hefur verið eytt
operator-all-audit-need-hub = Miðstöðvarnar eru fleiri en { $max }: veldu miðstöð til að lesa skrána hennar.
operator-all-audit-error-hub = Engin miðstöð er með þetta stutta heiti.
operator-all-audit-error-actor = Enginn aðgangur er með þetta netfang.
operator-all-audit-error-deep = Þvert á miðstöðvar nær skráin { $max } síður aftur: veldu miðstöð til að lesa lengra aftur.

## operator_plugins
operator-plugins-intro = Allar viðbætur sem hlaðið hefur verið upp í safnið, nýjustu fyrst. Miðstöðvar setja þær upp héðan. Viðbótum er hlaðið upp með <code>hearth plugin upload</code>.
operator-plugins-count = { $count ->
    [0] Engar viðbætur
    [one] { $count } viðbót
   *[other] { $count } viðbætur
}
operator-plugins-none = Engri viðbót hefur enn verið hlaðið upp.
operator-plugins-plugin = Viðbót
operator-plugins-version = Útgáfa
operator-plugins-hooks = Krókar
operator-plugins-uploaded = Hlaðið upp
operator-plugins-by = Af
operator-plugins-size = { $kb } KB
operator-plugins-no-version = Engin
operator-plugins-via = { $via ->
    [cli] hearth-skipunin
    [reseller_console] Stjórnborð endursöluaðila
   *[other] Stjórnborð rekstraraðila
}
