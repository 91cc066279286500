## video_guests.html: gestir sem skjólstæðingur býður í para- eða fjölskyldutíma
guests-title = Gestir
guests-back = Aftur í tímann
guests-intro = Þú getur boðið allt að { $count } manns að taka þátt í tímanum með þér. Hver og einn fær hlekk sem virkar einu sinni; { $name } hleypir þeim inn þegar tíminn hefst.
guests-intro-professional = Skjólstæðingurinn hefur boðið þessu fólki. Gestir bíða í tímanum þar til þú hleypir þeim inn.
guests-none = Engum gestum hefur verið boðið enn.
guests-guest = Gestur
guests-unnamed = Gestur { $number } (hlekkurinn ekki notaður enn)
guests-status-unused = Hlekkurinn ekki notaður enn
guests-status-claimed = Með hlekkinn
guests-status-admitted = Hleypt inn
guests-withdraw = Afturkalla
guests-create = Búa til gestahlekk
guests-link-made = Gestahlekkur búinn til
guests-link-label = Sendu gestinum þínum þennan hlekk
guests-link-hint = Hann birtist aðeins núna og virkar einu sinni. Gesturinn slær inn nafnið sitt og bíður þar til { $name } hleypir honum inn.
guests-copy = Afrita hlekk
guests-copied = Hlekkurinn var afritaður
guests-full = Allir { $count } gestahlekkirnir eru í notkun. Afturkallaðu einn til að bjóða öðrum.
guests-over = Þessum tíma er lokið eða hann var afbókaður: gestahlekkir virka ekki lengur.
guests-done-full = Allir gestahlekkirnir eru í notkun. Afturkallaðu einn til að bjóða öðrum.
guests-done-withdrawn = Hlekkurinn var afturkallaður. Hann virkar ekki lengur.
## video_guest_join.html: gestur opnar hlekkinn sinn
guests-join-title = Taktu þátt í myndtíma sem gestur
guests-join-intro = Þér hefur verið boðið í myndtíma með { $name }.
guests-join-early = Tíminn opnar 10 mínútum áður en hann hefst. Þú getur slegið inn nafnið þitt núna og komið aftur þá.
guests-join-name = Nafnið þitt
guests-join-name-hint = { $name } sér þetta nafn áður en þér er hleypt inn.
guests-join-continue = Áfram
guests-join-once = Þessi hlekkur virkar einu sinni, í þessum vafra.
## video_closed.html
guests-link-used = Þessi gestahlekkur hefur þegar verið notaður. Biddu þann sem bauð þér um nýjan.
