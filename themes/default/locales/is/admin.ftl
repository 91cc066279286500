## admin_nav, admin_audit, admin_domain, admin_professionals
admin-nav-title = Stillingar miðstöðvar
admin-nav-branding = Útlit
admin-nav-eligibility = Aðgangsréttur
admin-nav-credits = Inneign
admin-nav-professionals = Sérfræðingar
admin-nav-domain = Lén
admin-nav-audit = Breytingaskrá
admin-audit-intro = Síðustu 50 breytingar á stillingum miðstöðvarinnar: hver, hvað, hvenær, fyrir og eftir.
admin-audit-none = Engar breytingar enn.
admin-audit-who = Hver
admin-audit-what = Hvað
admin-audit-before = Fyrir
admin-audit-after = Eftir
admin-domain-heading = Eigið lén
admin-domain-intro = Miðstöðin þín er alltaf á <strong>{ $target }</strong>. Hún getur einnig svarað á þínu eigin léni: bættu því við hér og beindu léninu svo á <code>{ $target }</code> með CNAME-færslu í DNS.
admin-domain-yours = Lénin þín
common-remove = Fjarlægja
admin-domain-add-label = Bæta við léni
admin-domain-add-hint = Til dæmis vellidan.acme.is.
admin-domain-add = Bæta við léni
admin-domain-serving = Þjónar miðstöðinni
admin-domain-waiting = Bíður staðfestingar
admin-domain-proof-intro = Til að sanna að lénið sé þitt skaltu bæta þessari færslu við hjá DNS-þjónustunni þinni. Lénið þjónar miðstöðinni þegar við finnum hana; við leitum á nokkurra mínútna fresti, eða strax þegar þú ýtir á Athuga núna. Haltu færslunni: við athugum hana reglulega og lén án hennar hættir að þjóna.
admin-domain-record-type = Tegund
# The DNS record type, as DNS providers name it (not translated).
admin-domain-record-txt = TXT
admin-domain-record-name = Heiti
admin-domain-record-value = Gildi
admin-domain-last-missing = Síðasta athugun: færslan fannst ekki.
admin-domain-last-unreachable = Síðasta athugun: ekki náðist í DNS lénsins. Við reynum aftur.
admin-domain-check = Athuga núna
admin-domain-notice-found = Færslan fannst: lénið þjónar nú miðstöðinni.
admin-domain-notice-missing = Færslan hefur ekki fundist enn. Breytingar á DNS geta tekið tíma að berast; við leitum áfram á nokkurra mínútna fresti.
admin-domain-notice-unreachable = Ekki náðist í DNS lénsins. Við reynum aftur eftir nokkrar mínútur.
admin-pros-intro = Staðfestir sérfræðingar sem starfsfólkið þitt getur bókað, í þeirri röð sem miðstöðin sýnir þá.
admin-pros-roster = Sérfræðingalisti
admin-pros-none = Engir staðfestir sérfræðingar eru enn á Hearth.
admin-pros-on-hub = Á miðstöðinni
common-yes = Já
common-no = Nei
admin-pros-up = Færa upp
admin-pros-down = Færa niður
admin-pros-add = Bæta við

## admin_credits.html
admin-credits-intro = Hver starfsmaður sem sækir inneignina sína fær inneign tímabilsins einu sinni. Tími sem bókaður er í gegnum miðstöðina kostar inneign þjónustu sérfræðingsins (eða það sem inneignarviðbótin þín ákveður).
admin-credits-period = Þetta tímabil: { $start } til { $end }
admin-credits-members = Meðlimir
admin-credits-granted = Veitt inneign
admin-credits-spent = Notuð inneign
admin-credits-left = Eftirstandandi inneign, allir meðlimir
admin-credits-policy = Inneignarstefna
admin-credits-per-period = Inneign á starfsmann á tímabili
admin-credits-period-label = Tímabil
admin-credits-month = Mánuður
admin-credits-quarter = Ársfjórðungur
admin-credits-half-year = Hálft ár
admin-credits-year = Ár
admin-credits-start = Tímabil hefst í (ár og mánuður)
admin-credits-start-hint = Til dæmis 2026-01 fyrir almanaksár.
admin-credits-rollover = Ónotuð inneign flyst yfir á næsta tímabil
admin-credits-cutoff = Afbókunarfrestur (klukkustundir fyrir tíma)
admin-credits-cutoff-hint = Ef afbókað er síðar en þetta glatast inneign tímans.
admin-credits-timezone = Tímabelti miðstöðvarinnar
admin-credits-save = Vista stefnu
admin-credits-topup = Bæta inneign við starfsmann
admin-credits-topup-email = Netfang starfsmanns
admin-credits-topup-credits = Inneign sem bætist við
admin-credits-topup-note = Athugasemd (valfrjálst)
admin-credits-topup-button = Bæta við inneign

## admin_eligibility.html
admin-elig-intro = Hverjir mega ganga í miðstöðina: allir með netfang á leyfðu léni, allir með opinn boðskóða eða starfsfólkið á listanum þínum.
admin-elig-report = Innflutningsskýrsla
admin-elig-imported = { $count ->
    [one] { $count } lína flutt inn.
   *[other] { $count } línur fluttar inn.
}
admin-elig-not-imported = { $count ->
    [one] { $count } lína var ekki flutt inn:
   *[other] { $count } línur voru ekki fluttar inn:
}
admin-elig-row = Lína
admin-elig-problem = Vandamál
admin-elig-row-number = Lína { $number }
admin-elig-domains = Leyfð netfangalén
admin-elig-domain-hint = Til dæmis acme.is: allir með netfang sem endar á @acme.is mega ganga í miðstöðina.
admin-elig-codes = Boðskóðar
admin-elig-code = Kóði
admin-elig-created = Stofnaður
admin-elig-revoked = Afturkallaður
admin-elig-open = Opinn
admin-elig-revoke-sr = kóða { $code }
admin-elig-create-code = Búa til kóða
admin-elig-list = Starfsmannalisti
admin-elig-count = { $count ->
    [one] { $count } starfsmaður á listanum.
   *[other] { $count } starfsmenn á listanum.
}
admin-elig-upload = Hlaða upp CSV-skrá
admin-elig-upload-hint = Einn starfsmaður í línu: netfangið og síðan nafnið ef vill (<code>anna@acme.is,Anna Jónsdóttir</code>). Fyrstu línu <code>email,name</code> er sleppt. Mest 2 MB. Réttar línur eru fluttar inn; rangar línur eru taldar upp með línunúmeri.
admin-elig-import = Flytja inn
admin-elig-latest = Nýjast á listanum

## admin_branding.html
admin-brand-not-saved = Ekkert var vistað né birt. Vinsamlegast lagaðu merktu reitina hér fyrir neðan.
admin-brand-unpublished = Drögin eru frábrugðin því sem starfsfólkið sér. Skoðaðu forskoðunina og birtu þau svo.
admin-brand-draft = Drög
admin-brand-colour = Aðallitur
admin-brand-colour-hint = Haus og hnappar, með hvítum texta; einnig tenglar á hvítum grunni. Notaðu #rrggbb.
admin-brand-contrast = Birtuskil { $ratio }:1
admin-brand-passes = (stenst AA)
admin-brand-fails = (stenst ekki AA)
admin-brand-suggested = Tillaga:
admin-brand-accent = Áherslulitur
admin-brand-accent-hint = Áherslur og fókushringir, með dökkum texta. Notaðu #rrggbb.
admin-brand-theme = Þema
admin-brand-welcome = Velkomstartexti
admin-brand-welcome-hint = Birtist efst á miðstöðinni. Markdown: **feitletrað**, _skáletrað_, [tenglar](https://example.com), listar.
admin-brand-save = Vista drög og forskoða
admin-brand-logo = Merki
admin-brand-logo-alt = Merki í núverandi drögum
admin-brand-logo-remove = Fjarlægja merki
admin-brand-no-logo = Ekkert merki: fyrsti stafurinn í nafni miðstöðvarinnar er sýndur.
admin-brand-logo-upload = Hlaða upp merki
admin-brand-logo-hint = PNG, JPEG eða SVG, mest 2 MB. Stórar myndir eru minnkaðar í 1024 díla. SVG-myndir eru endurteiknaðar úr formunum einum: skriftur, tenglar, innfelldar myndir og texti eru fjarlægð, svo breyttu letri í útlínur fyrst.
admin-brand-logo-button = Hlaða upp í drög
admin-brand-preview = Forskoðun
admin-brand-preview-open = Opna forskoðunina í nýjum flipa
admin-brand-preview-title = Forskoðun miðstöðvarinnar með útlitinu úr drögunum
admin-brand-publish = Birta
admin-brand-discard = Henda drögum


## Skilaboð stjórnsíðna: upphleðslur og merki
admin-upload-choose-file = Veldu skrá til að hlaða upp.
admin-upload-too-large = Skráin er stærri en { $size } MB.
admin-upload-interrupted = Upphleðslan rofnaði. Vinsamlegast reyndu aftur.
admin-logo-not-image = Hladdu upp PNG-, JPEG- eða SVG-mynd.
admin-logo-unreadable = Ekki tókst að lesa þessa mynd. Hladdu upp PNG-, JPEG- eða SVG-mynd.
admin-logo-not-svg = Þessi skrá er ekki gild SVG-mynd.

## Útlit: villur í reitum og tilkynningar
admin-brand-error-theme = Veldu eitt af þemunum.
admin-brand-error-colour = Notaðu lit á borð við #1f6f5c.
admin-brand-error-accent = Notaðu lit á borð við #f4b942.
admin-brand-error-welcome = Notaðu mest 5.000 stafi.
# $text er white (texti á aðallitnum) eða dark (texti á áherslulitnum).
admin-brand-error-contrast = { $text ->
        [white] Hvítur
       *[dark] Dökkur
    } texti á { $color } hefur birtuskilin { $ratio }:1; WCAG AA krefst að minnsta kosti 4.5:1.
admin-brand-error-contrast-suggest = { $text ->
        [white] Hvítur
       *[dark] Dökkur
    } texti á { $color } hefur birtuskilin { $ratio }:1; WCAG AA krefst að minnsta kosti 4.5:1. Næsti litur sem stenst kröfuna er { $suggestion }.
admin-brand-notice-draft = Drögin voru vistuð. Skoðaðu forskoðunina og birtu þau svo.
admin-brand-notice-logo = Merkinu var bætt við drögin.
admin-brand-notice-logo-removed = Merkið var fjarlægt úr drögunum.
admin-brand-notice-published = Birt: miðstöðin þín sýnir nú þetta útlit.
admin-brand-notice-discarded = Drögunum var hent: útlitið er aftur eins og það sem er birt.
admin-brand-notice-nothing = Ekkert að birta: drögin eru eins og það sem miðstöðin sýnir.

## Lén, aðgangsréttur og sérfræðingalisti: villur og tilkynningar
admin-notice-domain-removed = Lénið var fjarlægt.
admin-error-domain = Sláðu inn lén á borð við example.com.
admin-domain-notice-added = Léninu var bætt við. Bættu TXT-færslunni hér fyrir neðan við til að sanna að það sé þitt.
admin-domain-error-platform = Miðstöðvar fá vistföng undir { $base } eftir nafni sínu; veldu þitt eigið lén.
admin-domain-error-ours = { $domain } tilheyrir þegar þessari miðstöð.
admin-domain-error-taken = { $domain } er þegar í notkun hjá annarri miðstöð. Ef lénið er þitt skaltu biðja þjónustuver Hearth að flytja það.
admin-elig-notice-domain = Léninu var bætt við.
admin-elig-notice-code = Boðskóði var búinn til.
admin-elig-notice-code-revoked = Boðskóðinn var afturkallaður.
admin-elig-error-domain-listed = { $domain } er þegar á listanum.
admin-elig-error-choose-csv = Veldu CSV-skrá til að hlaða upp.
admin-elig-error-too-many-rows = Aðeins { $max } línur eru lesnar í einu; hladdu afganginum upp sérstaklega.
admin-elig-error-unreadable = Ekki tókst að lesa þessa línu (athugaðu gæsalappirnar).
admin-elig-error-columns = Of margir dálkar: notaðu netfang og síðan nafn ef vill.
admin-elig-error-email = „{ $value }“ er ekki netfang.
admin-elig-error-name = Nafnið er lengra en 200 stafir.
admin-elig-error-duplicate = { $email } er þegar í línu { $row }.
admin-pros-notice-saved = Sérfræðingalistinn var vistaður.

## Inneign: villur og tilkynningar
admin-credits-notice-policy = Inneignarstefnan var vistuð.
admin-credits-notice-topup = Inneign var bætt við.
admin-credits-error-per-period = Sláðu inn heila tölu frá 0 til 1000.
admin-credits-error-period = Veldu lengd tímabils.
admin-credits-error-start = Sláðu inn mánuðinn sem tímabil hefst, til dæmis 2026-01.
admin-credits-error-cutoff = Sláðu inn fjölda klukkustunda frá 0 til 720.
admin-credits-error-timezone = Veldu tímabelti af listanum.
admin-credits-error-top-up = Sláðu inn heila tölu frá 1 til 100.
admin-credits-error-note = Athugasemdin þarf að vera styttri en 200 stafir.
admin-credits-error-member = Enginn meðlimur þessarar miðstöðvar er með þetta netfang.
admin-brand-follows = Miðstöðin fylgir útlitinu sem { $reseller } valdi (þema og litum) og síðari breytingum á því. Ef þú birtir aðra liti eða annað þema fær miðstöðin eigið útlit.
admin-brand-own = Miðstöðin hefur eigið útlit, ekki það sem { $reseller } valdi.
admin-brand-follow = Fylgja útliti { $reseller } aftur
