## plugins_admin.html
plugins-title = Viðbætur
plugins-intro = Viðbætur ákveða sumar inneignarreglur og útlit miðstöðvarinnar. Ef viðbót bregst gilda reglur miðstöðvarinnar sjálfrar og meðlimir sjá venjulega síðu.
plugins-none = Engin viðbót er uppsett.
plugins-hook = Krókur
plugins-plugin = Viðbót
plugins-disabled = Óvirk
plugins-disabled-by-admin = Mannauðsstjóri gerði hana óvirka.
plugins-enabled = Virk
plugins-enable = Virkja
plugins-disable = Óvirkja
plugins-rollback = Færa til baka
plugins-install-heading = Setja upp viðbót
plugins-none-uploaded = Engri viðbót hefur enn verið hlaðið upp á kerfið.
plugins-every-hook = Allir krókar sem viðbótin útfærir
plugins-config = Stillingar (JSON)
plugins-config-hint = Bornar saman við stillingarnar sem viðbótin skilgreinir (hér fyrir neðan).
plugins-install = Setja upp
plugins-available = Tiltækar viðbætur
plugins-settings = Stillingar
plugins-no-settings = engar skilgreindar stillingar
plugins-history = Saga
plugins-nothing-yet = Ekkert enn.
plugins-installed = Sett upp
plugins-state = Ástand
plugins-state-active = virk
plugins-state-disabled = óvirk
plugins-state-rolled-back = færð til baka
plugins-state-replaced = leyst af hólmi


## Skilaboð viðbótasíðunnar
plugins-notice-install = Viðbótin er uppsett.
plugins-notice-rollback = Fyrri viðbótin er aftur virk.
plugins-notice-disable = Viðbótin er óvirk; reglur miðstöðvarinnar sjálfrar gilda.
plugins-notice-enable = Viðbótin er virk.
plugins-error-choose = Veldu viðbót af listanum.
# $detail er lýsing JSON-þáttarans sjálfs (á ensku); $line og $column segja hvar.
plugins-error-json = Þetta er ekki gilt JSON (lína { $line }, dálkur { $column }).
# $errors: setningar skemaprófsins, ein í línu.
plugins-error-config =
    Stillingarnar passa ekki við það sem viðbótin skilgreinir:
    { $errors }
plugins-error-hook-not-exported = Viðbótin útfærir ekki krókinn `{ $hook }`.
plugins-error-unknown-hook = Enginn krókur heitir `{ $hook }` (krókar: credit_cost, period_grant, booking_allowed, theme).
plugins-error-nothing-active = Engin viðbót er uppsett fyrir `{ $hook }`.
plugins-error-nothing-to-roll-back = Engin eldri viðbót er til fyrir `{ $hook }` til að færa til baka í.

## Hvers vegna stillingar viðbótar passa ekki við skema hennar (á eftir „config.<reitur>: “)
plugins-schema-not-allowed = er ekki leyft
plugins-schema-type = verður að vera { $expected ->
    [integer] heiltala
    [number] tala
    [string] texti
    [boolean] já/nei-gildi
    [object] hlutur
    [array] listi
    [null] tómt gildi
   *[other] { $expected }
}, ekki { $actual ->
    [integer] heiltala
    [number] tala
    [string] texti
    [boolean] já/nei-gildi
    [object] hlutur
    [array] listi
    [null] tómt gildi
   *[other] { $actual }
}
plugins-schema-types = verður að vera eitt af: { $expected }, ekki { $actual ->
    [integer] heiltala
    [number] tala
    [string] texti
    [boolean] já/nei-gildi
    [object] hlutur
    [array] listi
    [null] tómt gildi
   *[other] { $actual }
}
plugins-schema-enum = verður að vera eitt af { $values }
plugins-schema-const = verður að vera { $value }
plugins-schema-minimum = verður að vera að minnsta kosti { $bound }
plugins-schema-maximum = má mest vera { $bound }
plugins-schema-min-length = { $count ->
    [one] verður að vera að minnsta kosti { $count } stafur
   *[other] verður að vera að minnsta kosti { $count } stafir
}
plugins-schema-max-length = { $count ->
    [one] má mest vera { $count } stafur
   *[other] má mest vera { $count } stafir
}
plugins-schema-required = vantar
plugins-schema-unknown = er ekki stilling þessarar viðbótar
plugins-schema-unknown-known = er ekki stilling þessarar viðbótar (stillingar: { $settings })
