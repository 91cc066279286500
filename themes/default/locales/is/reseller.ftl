## usermenu, reseller_nav
menu-reseller-console = Endursöluborð
reseller-nav-title = Endursöluborð
reseller-nav-companies = Fyrirtæki
reseller-nav-new = Skrá fyrirtæki
reseller-nav-switch = Endursöluaðilar þínir

## reseller_home
reseller-companies-title = { $reseller }: fyrirtæki
reseller-companies-intro = Fyrirtækin sem þú skráðir, hvert með sína vellíðunarmiðstöð. Sé miðstöð stöðvuð tímabundið stöðvast hún samstundis: meðlimir sjá síðu sem segir það og ekkert annað úr miðstöðinni. Hvort tveggja er skráð í atvikaskrá miðstöðvarinnar með nafni þínu.
reseller-search-label = Leita að fyrirtækjum
reseller-search = Heiti eða slóðarheiti, eða hluti þess
reseller-search-button = Leita
reseller-search-all = Sýna öll fyrirtæki
reseller-count = { $count ->
    [one] { $count } fyrirtæki
   *[other] { $count } fyrirtæki
}
reseller-found = { $count ->
    [0] Ekkert fyrirtæki passar
    [one] { $count } fyrirtæki passar
   *[other] { $count } fyrirtæki passa
}
reseller-none = Engin fyrirtæki enn. Skráðu það fyrsta.
reseller-none-found = Ekkert fyrirtæki passar við þessa leit.
reseller-fix-search = Leiðréttu leitina hér að ofan til að sjá fyrirtæki.
reseller-past-end = Þessi síða er aftan við þá síðustu: farðu síðu til baka.
reseller-company = Fyrirtæki
reseller-plan = Áskrift
reseller-plan-name = { $plan ->
    [standard] Hefðbundin
   *[other] { $plan }
}
reseller-members = Virkir meðlimir
reseller-sessions = Tímar í þessum mánuði
reseller-members-figure = { $figure } meðlimir
reseller-sessions-figure = { $figure } tímar
reseller-credits = Inneignir tímabilsins
reseller-credits-figure = { $granted } veittar, { $used } notaðar
reseller-not-ready = Í uppsetningu
reseller-suspended = Stöðvuð
reseller-serving = Virk
reseller-suspend = Stöðva
reseller-resume = Opna aftur
reseller-privacy = Tölur um færri en 5 manns eru ekki sýndar, svo enginn þekkist úr.
reseller-pages = Síður fyrirtækja
reseller-page-prev = Fyrri síða
reseller-page-next = Næsta síða
reseller-page-of = Síða { $page } af { $pages }
reseller-done-onboarded = Miðstöð fyrirtækisins er tilbúin og mannauðsstjóri hennar hefur fengið tölvupóst.
reseller-done-suspended = Stöðvuð. Meðlimir sjá nú síðu sem segir það.
reseller-done-resumed = Opnuð aftur. Miðstöðin virkar á ný.
reseller-done-already = Þannig var það þegar: engu var breytt.
reseller-error-page = Sú síða er ekki til: síður eru númeraðar frá 1 til { $max }.
reseller-error-search = Leit má vera að hámarki { $max } stafir.
reseller-error-not-ready = Verið er að setja þessa miðstöð upp: reyndu aftur eftir mínútu.

## reseller_new
reseller-new-title = Skrá fyrirtæki
reseller-new-intro = Þetta stofnar vellíðunarmiðstöð fyrirtækisins strax og sendir fyrsta mannauðsstjóra hennar hlekk til að setja hana upp.
reseller-new-nothing-made = Ekkert var stofnað. Leiðréttu reitina sem eru merktir hér að neðan.
reseller-new-name = Heiti fyrirtækis
reseller-new-slug = Vefslóð miðstöðvar (slóðarheiti)
reseller-new-slug-hint = 3 til 40 lágstafir, tölustafir og bandstrik, sem byrja og enda á staf eða tölustaf. Vefslóð miðstöðvarinnar endar á því.
reseller-new-email = Netfang fyrsta mannauðsstjórans
reseller-new-email-hint = Viðkomandi verður mannauðsstjóri miðstöðvarinnar og fær hlekk á hana í tölvupósti. Sé enginn aðgangur til velur viðkomandi sér fyrst lykilorð með hlekknum.
reseller-new-button = Stofna miðstöðina
reseller-new-cancel = Hætta við
reseller-error-name = Gefðu upp heiti fyrirtækisins, að hámarki 200 stafi.
reseller-error-slug-length = Slóðarheitið þarf að vera 3 til 40 stafir.
reseller-error-slug-characters = Slóðarheitið má aðeins innihalda lágstafi (a–z), tölustafi og bandstrik.
reseller-error-slug-hyphen = Slóðarheitið þarf að byrja og enda á staf eða tölustaf.
reseller-error-slug-reserved = Þetta slóðarheiti er frátekið fyrir kerfið: veldu annað.
reseller-error-slug-taken = Önnur miðstöð er með þetta slóðarheiti: veldu annað.
reseller-error-plan = Veldu eina af áskriftunum sem eru í boði.
reseller-error-email = Gefðu upp gilt netfang, t.d. nafn@fyrirtaeki.is.

## reseller_home: the monthly statement
reseller-statement-title = Mánaðarlegt notkunaryfirlit
reseller-statement-intro = CSV-skrá með einni línu fyrir hvert fyrirtæki, til að reikningsfæra eftir: staða þess og virkir meðlimir í dag, tímar þann mánuð og inneignir notaðar þann mánuð (úttektir að frádregnum endurgreiðslum). Tölur um færri en 5 manns birtast sem „færri en 5“ og enginn er nafngreindur.
reseller-statement-month = Mánuður
reseller-statement-month-hint = Ár og mánuður, til dæmis 2026-11. Síðasti mánuður nema þú veljir annan.
reseller-statement-button = Sækja yfirlit (CSV)
reseller-statement-slug = Slóðarheiti
reseller-statement-name = Fyrirtæki
reseller-statement-sessions = Tímar þann mánuð
reseller-statement-used = Inneignir notaðar þann mánuð
reseller-error-month = Veldu mánuð sem ár og mánuð (til dæmis 2026-11), frá 2000-01 til þessa mánaðar.

## reseller_nav, reseller_admins, reseller_home: the reseller's admins
reseller-nav-admins = Stjórnendur
reseller-admins-title = Stjórnendur
reseller-admins-intro = Allir hér mega skrá, stöðva og endurræsa fyrirtæki fyrir { $reseller } og sækja yfirlit þess.
reseller-admins-invited = boðið, ekkert lykilorð enn
reseller-admins-see = Sjá hverjir þeir eru.
reseller-invite-title = Bjóða samstarfsmanni
reseller-invite-email = Netfang samstarfsmanns
reseller-invite-hint = Sé hann með Hearth-aðgang verður hann stjórnandi samstundis og fær sendan hlekk hingað. Annars er búinn til aðgangur og pósturinn leyfir honum að velja lykilorð fyrst.
reseller-invite-button = Bjóða
reseller-invite-nothing = Engum var boðið. Vinsamlegast lagaðu reitinn sem merktur er hér fyrir neðan.
reseller-done-invited = Samstarfsmaðurinn er nú stjórnandi og hefur fengið póst.
reseller-done-already-admin = Hann er þegar stjórnandi: engu var breytt.

## reseller_new: the credit policy
reseller-new-credits-legend = Inneignir
reseller-new-credits-hint = Það sem hver starfsmaður fær til að bóka tíma. Mannauðsstjórinn getur breytt því síðar í stillingum miðstöðvarinnar.
reseller-new-credits = Inneignir á starfsmann á tímabili
reseller-new-period = Tímabil
reseller-period-name = { $months ->
    [1] Mánuður
    [3] Ársfjórðungur
    [6] Hálft ár
   *[12] Ár
}
reseller-error-credits = Sláðu inn heila tölu inneigna frá 0 til { $max }.
reseller-error-period = Veldu mánuð, ársfjórðung, hálft ár eða ár.

# The reseller's look, professionals and company templates
reseller-nav-look = Útlit
reseller-nav-professionals = Fagfólk
reseller-look-title = Útlitið ykkar
reseller-look-intro = Þema og litir stjórnborðsins ykkar og miðstöðva fyrirtækjanna ykkar. Miðstöð fylgir þeim, og síðari breytingum ykkar, þar til mannauðsstjóri hennar birtir eigið útlit.
reseller-look-theme-hint = „Útlit kerfisins“ heldur miðstöðvum fyrirtækjanna í útliti Hearth sjálfs.
reseller-look-platform = Útlit kerfisins
reseller-look-button = Vista útlitið
reseller-look-saved = Vistað. Miðstöðvar fyrirtækjanna sem fylgja útliti ykkar sýna það núna.
reseller-look-not-saved = Ekkert var vistað. Lagaðu reitina sem eru merktir hér fyrir neðan.
reseller-pros-title = Fagfólk sem þið vinnið með
reseller-pros-intro = Sálfræðingar, markþjálfar og annað fagfólk sem þið bjóðið fyrirtækjunum ykkar. Skráningarformið sýnir það, til að setja á lista nýs fyrirtækis. Að fjarlægja einhvern hér breytir engum lista fyrirtækis.
reseller-pros-none = Ekkert fagfólk enn. Bættu einhverjum við með netfangi fagaðgangs hans.
reseller-pros-name = Fagaðili
reseller-pros-verified = Staðfest
reseller-pros-waiting = Bíður staðfestingar
reseller-pros-remove = Fjarlægja
reseller-pros-add-title = Bæta við fagaðila
reseller-pros-email = Netfang fagaðgangs hans
reseller-pros-email-hint = Viðkomandi þarf að hafa fagaðgang í kerfinu. Miðstöðvar sýna hann þegar rekstraraðili hefur staðfest hann.
reseller-pros-add = Bæta við
reseller-pros-not-added = Engum var bætt við. Lagaðu reitinn sem er merktur hér fyrir neðan.
reseller-pros-error-unknown = Enginn fagaðgangur er með þetta netfang.
reseller-pros-done-added = Bætt við. Nú getið þið sett viðkomandi á lista nýs fyrirtækis.
reseller-pros-done-already = Viðkomandi var þegar á listanum ykkar.
reseller-pros-done-removed = Fjarlægt af listanum ykkar. Fyrirtæki sem hafa viðkomandi halda honum.
reseller-new-domains = Netlén starfsfólks fyrirtækisins
reseller-new-domains-hint = Valfrjálst. Fólk með netfang á þessum lénum (t.d. acme.is) getur gengið í miðstöðina og sótt inneign hennar. Aðskildu þau með kommum. Mannauðsstjórinn getur breytt þeim síðar.
reseller-new-look-legend = Útlit
reseller-new-theme-hint = Þema og litir miðstöðvarinnar. Veldu þema til að gefa fyrirtækinu eigið útlit; litirnir hér fyrir neðan gilda þá.
reseller-new-follow = Fylgja útliti { $reseller }
reseller-new-colour-hint = Notað með eigin þema fyrirtækisins: #rrggbb, læsilegt með textanum sem er á honum.
reseller-new-roster-legend = Fagfólk miðstöðvarinnar
reseller-new-roster-hint = Hakaðu við þá sem starfsfólk fyrirtækisins má bóka. Mannauðsstjórinn getur breytt listanum síðar.
reseller-new-roster-none = Þið hafið ekki bætt við fagfólki enn; mannauðsstjórinn getur valið það síðar.
reseller-new-working = Miðstöðin er búin til… Þetta tekur andartak.
reseller-error-domains = „{ $domain }“ er ekki netlén: skrifaðu það eins og acme.is.
reseller-error-domains-many = Nefndu í mesta lagi { $max } lén hér; mannauðsstjórinn getur bætt fleirum við.
reseller-error-roster = Hakaðu aðeins við staðfest fagfólk sem þið vinnið með.
reseller-error-template = Þetta sniðmát er ekki lengur til. Veldu annað eða ekkert.
reseller-error-template-plugin = Ekki er lengur hægt að setja upp viðbótina { $plugin } úr þessu sniðmáti (hún er horfin úr skránni eða stillingar hennar passa ekki lengur). Eyddu sniðmátinu eða skráðu án þess.
reseller-templates-title = Byrja á sniðmáti
reseller-templates-use = Sniðmát
reseller-templates-fill = Fylla formið út frá því
reseller-templates-manage = Sniðmátin ykkar
reseller-templates-from = vistað úr { $slug }
reseller-templates-delete = Eyða
reseller-done-template-deleted = Sniðmátinu var eytt.
reseller-template-save = Vista sem sniðmát
reseller-template-name = Heiti sniðmáts
reseller-template-save-button = Vista
reseller-done-template-saved = Vistað sem sniðmát: útlit, inneignarregla, fagfólk og viðbætur. Skráðu næsta fyrirtæki út frá því.
reseller-done-template-taken = Þið eigið þegar sniðmát með þessu heiti: ekkert var vistað. Veldu annað heiti.
reseller-done-template-name = Gefðu sniðmátinu heiti, 1 til 200 stafi: ekkert var vistað.
