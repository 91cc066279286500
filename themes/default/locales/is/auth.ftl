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

## Athugun netfangs og lykilorðs (accounts::normalize_email, accounts::password)
auth-email-invalid = Sláðu inn netfang á borð við nafn@example.com.
auth-password-short = { $min ->
        [one] Notaðu að minnsta kosti { $min } staf.
       *[other] Notaðu að minnsta kosti { $min } stafi.
    }
auth-password-long = { $max ->
        [one] Notaðu mest { $max } staf.
       *[other] Notaðu mest { $max } stafi.
    }
# Ástæða zxcvbn ($warning) og fyrsta ábending hans ($suggestion), sem lyklar.
auth-password-weak = { $warning ->
        [straight-rows] Auðvelt er að giska á beinar raðir lykla á lyklaborðinu.
        [short-keyboard-patterns] Auðvelt er að giska á stutt mynstur á lyklaborðinu.
        [repeats] Auðvelt er að giska á endurtekningar eins og „aaa“.
        [repeated-groups] Endurtekningar eins og „abcabcabc“ eru litlu erfiðari að giska á en „abc“.
        [top-10] Þetta er eitt af 10 algengustu lykilorðunum.
        [top-100] Þetta er eitt af 100 algengustu lykilorðunum.
        [common] Þetta er mjög algengt lykilorð.
        [similar-to-common] Þetta líkist algengu lykilorði.
        [sequences] Auðvelt er að giska á runur eins og abc eða 6543.
        [recent-years] Auðvelt er að giska á nýleg ártöl.
        [single-word] Auðvelt er að giska á stakt orð.
        [dates] Oft er auðvelt að giska á dagsetningar.
        [names] Auðvelt er að giska á nöfn og eftirnöfn ein og sér.
        [common-names] Auðvelt er að giska á algeng nöfn og eftirnöfn.
       *[none] Auðvelt er að giska á þetta lykilorð.
    }{ $suggestion ->
        [few-words] { " " }Notaðu nokkur orð og forðastu algeng orðasambönd.
        [no-symbols-needed] { " " }Tákn, tölustafir og hástafir eru óþarfir.
        [add-word] { " " }Bættu við einu eða tveimur orðum. Sjaldgæf orð eru betri.
        [capitalization] { " " }Hástafir hjálpa lítið.
        [all-uppercase] { " " }Nær jafnauðvelt er að giska á lykilorð í hástöfum eingöngu og í lágstöfum eingöngu.
        [reversed-words] { " " }Orð skrifuð aftur á bak eru litlu erfiðari að giska á.
        [substitutions] { " " }Fyrirsjáanleg skipti, eins og „@“ í stað „a“, hjálpa lítið.
        [longer-keyboard-pattern] { " " }Notaðu lengra mynstur á lyklaborðinu með fleiri beygjum.
        [avoid-repeats] { " " }Forðastu endurtekin orð og stafi.
        [avoid-sequences] { " " }Forðastu runur.
        [avoid-recent-years] { " " }Forðastu nýleg ártöl.
        [avoid-your-years] { " " }Forðastu ártöl sem tengjast þér.
        [avoid-your-dates] { " " }Forðastu dagsetningar og ártöl sem tengjast þér.
       *[none] { "" }
    }

## Boð sérfræðinga (accounts::invitations)
auth-invite-error-name = Notaðu mest 200 stafi.
auth-invite-error-message = Notaðu mest 2.000 stafi.
auth-invite-error-own-address = Þetta er þitt eigið netfang.
auth-invite-sent = Boð var sent á { $email }.
auth-invite-notification = { $name } bauð þér að tengjast
