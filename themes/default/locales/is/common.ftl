# Orð sem margar síður nota.
common-email = Netfang
common-password = Lykilorð
common-new-password = Nýtt lykilorð
common-password-hint-short = Að minnsta kosti 10 stafir.
credits-count = { $count ->
    [one] { $count } inneign
   *[other] { $count } inneignir
}
common-professional = Sérfræðingur
common-when = Hvenær
common-price = Verð
common-minutes = { $minutes } mínútur
common-mode = { $mode ->
    [in_person] á staðnum
    [phone] í síma
    [video] myndsímtal
   *[other] { $mode }
}
common-choose-another-time = Velja annan tíma
common-log-in = Skrá inn
