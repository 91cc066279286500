## usermenu, operator_nav, operator_home, operator_professionals
menu-operator-console = Stjórnborð rekstraraðila
operator-nav-title = Stjórnborð rekstraraðila
operator-nav-home = Yfirlit
operator-nav-professionals = Fagaðilar
operator-home-intro = Kerfið í hnotskurn. Miðstöðvum og endursöluaðilum er stjórnað með hearth-skipuninni.
operator-home-waiting = Bíða staðfestingar
operator-home-waiting-link = Fara yfir fagaðila
operator-home-hubs = Miðstöðvar
operator-home-hubs-suspended = { $count ->
    [0] Engin lokuð.
    [one] { $count } lokuð.
   *[other] { $count } lokaðar.
}
operator-home-hubs-cli = Stjórnað með <code>hearth tenant</code>.
operator-home-resellers = Endursöluaðilar
operator-home-resellers-cli = Stjórnað með <code>hearth reseller</code>.
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
