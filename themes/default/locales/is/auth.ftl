## login.html
login-title = Skrá inn
login-button = Skrá inn
login-forgot = Gleymdirðu lykilorðinu?
login-new-here = Ekki með aðgang?
login-create-account = Stofna aðgang

## signup.html
signup-title = Stofnaðu aðganginn þinn
signup-lead-invitation = { $name } bauð þér að tengjast á Hearth. Stofnaðu aðgang til að hefja tímana þína.
signup-lead-hub = Stofnaðu aðgang til að fá inneignina þína hjá { $hub }.
signup-lead = Einn aðgangur gildir hjá öllum sérfræðingum og vellíðunarmiðstöðvum sem þú notar.
signup-name = Nafnið þitt
signup-password-hint = Að minnsta kosti 10 stafir. Nokkur óskyld orð mynda sterkt lykilorð.
signup-button = Stofna aðgang
signup-have-account = Ertu nú þegar með aðgang?
signup-log-in = Skrá inn

## terms.html
terms-title = Skilmálar
terms-version = Útgáfa { $version }
terms-account-heading = 1. Aðgangurinn þinn
terms-account-text = Einn aðgangur gildir hjá öllum sérfræðingum og vellíðunarmiðstöðvum sem þú notar. Haltu lykilorðinu þínu fyrir þig; þú berð ábyrgð á því sem gert er í nafni aðgangsins þíns.
terms-sessions-heading = 2. Tímar
terms-sessions-text = Tímarnir eru á milli þín og sérfræðingsins þíns. Hearth leggur til verkfæri fyrir bókanir, myndsímtöl og greiðslur og veitir ekki heilbrigðisþjónustu. Í neyð skaltu hringja í neyðarnúmerið þar sem þú ert.
terms-data-heading = 3. Gögnin þín
terms-data-text = Við geymum það sem þarf til að reka aðganginn þinn og tímana þína. Vinnuveitandinn þinn sér aðeins heildarnotkun vellíðunarmiðstöðvarinnar, aldrei hvað þú bókar eða ræðir. Þú getur sótt gögnin þín eða eytt þeim hvenær sem er.
terms-credits-heading = 4. Inneign
terms-credits-text = Vinnuveitandi ákveður, endurnýjar og afturkallar inneign sem hann veitir, samkvæmt reglum miðstöðvarinnar.
terms-accept = Samþykkja

## verify.html
verify-title = Staðfestu netfangið þitt
verify-code-sent = Við sendum sex stafa kóða á
verify-enter-code = Sláðu hann inn hér fyrir neðan. Kóðinn gildir í 10 mínútur.
verify-spam = Ef tölvupósturinn hefur ekki borist innan 2–3 mínútna skaltu athuga ruslpóstsmöppuna.
verify-code = Staðfestingarkóði
verify-button = Staðfesta
verify-resend = Senda nýjan kóða

## forgot.html
forgot-title = Gleymdirðu lykilorðinu?
forgot-sent = Ef aðgangur er til fyrir þetta netfang höfum við sent hlekk til að endurstilla lykilorðið. Hlekkurinn gildir í eina klukkustund.
forgot-intro = Sláðu inn netfangið þitt og við sendum þér hlekk til að velja nýtt lykilorð.
forgot-button = Senda hlekkinn
forgot-back = Aftur í innskráningu

## reset.html
reset-title = Veldu nýtt lykilorð
reset-button = Vista og skrá inn
reset-expired = Þessi hlekkur er útrunninn eða hefur þegar verið notaður.
reset-ask-again = Biðja um nýjan hlekk

## change_password.html
change-password-title = Breyta lykilorði
change-password-done = Lykilorðinu þínu var breytt. Önnur tæki voru skráð út.
change-password-current = Núverandi lykilorð
change-password-button = Breyta lykilorði

## Skilaboð aðgangsaðgerða
signup-error-name = Sláðu inn nafnið þitt (mest 200 stafir).
signup-error-email-taken = Aðgangur með þessu netfangi er þegar til. Skráðu þig frekar inn.
verify-error-wait = Of margar tilraunir. Bíddu í { $seconds } sekúndur og reyndu aftur.
verify-error-no-code = Enginn kóði bíður staðfestingar. Biddu um nýjan.
verify-error-expired = Þessi kóði er útrunninn. Biddu um nýjan.
verify-error-too-many = Of margir rangir kóðar. Biddu um nýjan.
verify-error-wrong = Þessi kóði er ekki réttur. { $left ->
    [one] { $left } tilraun eftir.
   *[other] { $left } tilraunir eftir.
}
verify-resend-wait = Við vorum að senda kóða. Þú getur beðið um annan eftir { $seconds } sekúndur.
verify-sent-new = Við sendum nýjan kóða á { $email }.
login-error-wrong = Rangt netfang eða lykilorð.
login-error-wait = Of margar tilraunir. Bíddu í { $seconds } sekúndur og reyndu aftur.
change-password-error-wait = Of margar tilraunir. Bíddu í { $seconds } sekúndur.
change-password-error-current = Þetta er ekki núverandi lykilorðið þitt.
