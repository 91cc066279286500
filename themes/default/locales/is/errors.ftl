## Villusíður
error-title = { $code } · Hearth
error-not-found = Við fundum ekki þessa síðu.
error-forbidden = Þú hefur ekki aðgang að þessari síðu.
error-busy = Þjónustan er upptekin. Reyndu aftur eftir smástund.
error-validation = Ekki var hægt að taka við öllu sem þú slóst inn.
error-internal = Eitthvað fór úrskeiðis hjá okkur. Reyndu aftur.
error-form-too-large = Eyðublaðið er of stórt.
error-csrf = Þetta eyðublað er útrunnið eða kom ekki frá þessum vef. Farðu til baka, endurhlaðaðu síðunni og reyndu aftur.
error-unknown-hub = Engin vellíðunarmiðstöð er á þessu vistfangi. Athugaðu hlekkinn sem mannauðsteymið sendi þér.
error-hub-suspended = Vellíðunarmiðstöð { $hub } hefur verið gerð óvirk. Aðgangurinn þinn og tímarnir þínir eru öruggir; hafðu samband við mannauðsteymið.
error-go-home = Fara á forsíðuna

## Aggregates shown to HR admins and resellers
privacy-fewer-than = færri en 5

## Uploads
upload-error-pixels = Myndin er of stór: mest 4096 × 4096 dílar.
upload-error-too-many = Þú hefur hlaðið upp mörgum myndum á stuttum tíma. Reyndu aftur eftir { $minutes ->
    [one] { $minutes } mínútu
   *[other] { $minutes } mínútur
}.
