## hub.html: vellíðunarmiðstöð fyrirtækis
hub-title = { $hub } · Vellíðunarmiðstöð
hub-heading = Vellíðunarmiðstöð { $hub }
hub-preview-banner = Forskoðun á drögum að útliti: starfsfólk sér þau ekki fyrr en þú birtir þau.
hub-credits = { $count ->
    [one] { $count } inneign
   *[other] { $count } inneignir
} { $months ->
    [1] á mánuði
    [3] á ársfjórðungi
    [6] á hálfs árs fresti
   *[other] á ári
}
hub-credits-for = fyrir hvern starfsmann, til að nota í tíma hjá sérfræðingunum hér fyrir neðan.
hub-signup = Stofna aðgang til að fá inneignina þína
hub-professionals = Sérfræðingarnir okkar
hub-no-professionals = Engum sérfræðingum hefur enn verið bætt við þessa miðstöð.
hub-filter-label = Sía sérfræðinga
hub-filter-specialty = Sérsvið
hub-filter-any-specialty = Öll sérsvið
hub-filter-language = Tungumál
hub-filter-any-language = Öll tungumál
hub-filter-mode = Tegund tíma
hub-filter-any-mode = Allar tegundir tíma
hub-filter-type = Fyrir hvern tíminn er
hub-filter-any-type = Hvern sem er
hub-filter-show = Sýna sérfræðinga
hub-filter-clear = Hreinsa síur
hub-count = { $count ->
    [one] { $count } sérfræðingur
   *[other] { $count } sérfræðingar
}
hub-count-filtered = { $count ->
    [one] { $count } sérfræðingur passar við síurnar þínar
   *[other] { $count } sérfræðingar passa við síurnar þínar
}
hub-no-match = Engir sérfræðingar passa við þessar síur.
hub-see-all = til að sjá alla { $count }.
hub-specialties = Sérsvið
hub-languages = Tungumál
hub-sessions = Tímar
hub-book = Bóka tíma
hub-book-with = hjá { $name }
hub-mode = { $mode ->
    [video] Myndsímtal
    [phone] Sími
    [in_person] Á staðnum
   *[other] { $mode }
}
hub-session-type = { $type ->
    [individual] Einstaklingstími
    [couples] Paratími
    [family] Fjölskyldutími
    [group] Hóptími
   *[other] { $type }
}
# Tungumál sem sérfræðingur vinnur á, eftir ISO 639-1 kóða þess.
hub-language-name = { $code ->
    [ar] Arabíska
    [bg] Búlgarska
    [cs] Tékkneska
    [da] Danska
    [de] Þýska
    [el] Gríska
    [en] Enska
    [es] Spænska
    [et] Eistneska
    [fa] Persneska
    [fi] Finnska
    [fr] Franska
    [ga] Írska
    [he] Hebreska
    [hi] Hindí
    [hr] Króatíska
    [hu] Ungverska
    [is] Íslenska
    [it] Ítalska
    [ja] Japanska
    [ko] Kóreska
    [lt] Litháíska
    [lv] Lettneska
    [nl] Hollenska
    [no] Norska
    [nb] Norska
    [nn] Norska
    [pl] Pólska
    [pt] Portúgalska
    [ro] Rúmenska
    [ru] Rússneska
    [sk] Slóvakíska
    [sl] Slóvenska
    [sr] Serbneska
    [sv] Sænska
    [tr] Tyrkneska
    [uk] Úkraínska
    [ur] Úrdú
    [vi] Víetnamska
    [zh] Kínverska
   *[other] { $code }
}

## layout.html
layout-skip = Fara beint í efni
layout-powered-by = Keyrt á Hearth
