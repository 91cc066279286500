## video_room.html: myndsímtalsherbergi tímans
video-title = Myndsímtal · { $service }
video-with = Viðmælandi: { $name }
video-when = { $date }, kl. { $time }–{ $end } ({ $timezone })
video-noscript = Þetta myndsímtal þarf JavaScript. Kveiktu á því í stillingum vafrans eða notaðu annan vafra.

## Áður en tengst er: prófun tækja og tengingar
video-check-heading = Prófaðu myndavélina og hljóðnemann
video-check-lead = Gakktu úr skugga um að það sjáist og heyrist í þér áður en þú tengist.
video-your-camera = Myndavélin þín
video-no-picture = Engin mynd frá myndavél
video-mic-level = Styrkur hljóðnema
video-mic-level-hint = Segðu eitthvað: súlan á að hreyfast.
video-test-sound = Spila prufuhljóð
video-test-sound-hint = Þú ættir að heyra stuttan tón.
video-devices = Tæki
video-camera = Myndavél
video-microphone = Hljóðnemi
video-speaker = Hátalari
video-choose-device = Veldu tæki
# Tæki sem vafrinn gefur ekki upp nafn á.
video-camera-n = Myndavél { $number }
video-microphone-n = Hljóðnemi { $number }
video-speaker-n = Hátalari { $number }
video-checks-heading = Athugun á tengingu
video-check-camera-pending = Myndavél: í athugun…
video-check-camera-ok = Myndavélin virkar: { $device }
video-check-camera-fail = Myndavél: virkar ekki
video-check-camera-missing = Engin myndavél fannst. Þú getur tengst með hljóði eingöngu.
video-check-mic-pending = Hljóðnemi: í athugun…
video-check-mic-ok = Hljóðneminn virkar: { $device }
video-check-mic-fail = Hljóðnemi: virkar ekki
video-check-mic-missing = Enginn hljóðnemi fannst. Viðmælandinn heyrir ekki í þér.
video-check-signalling-pending = Tenging við tímann: í athugun…
video-check-signalling-ok = Tenging við tímann: virkar
video-check-signalling-fail = Tenging við tímann: virkar ekki enn. Reynt er aftur…
video-check-network-pending = Netið: í athugun…
video-check-network-ok = Netið: tilbúið fyrir myndsímtöl
video-check-network-local = Netið: aðeins staðbundnar tengingar fundust. Símtal frá öðru neti virkar hugsanlega ekki.
video-check-network-fail = Netið: engin leið fannst til að tengjast. Eldveggur gæti verið að loka á myndsímtöl.
video-check-relay-pending = Endurvarpsþjónn: í athugun…
video-check-relay-ok = Endurvarpsþjónn: virkar
video-check-relay-fail = Endurvarpsþjónn: svarar ekki. Símtöl í gegnum stranga eldveggi virka hugsanlega ekki.
video-check-relay-none = Enginn endurvarpsþjónn er uppsettur.
video-guidance-denied = Vafrinn lokar á myndavélina og hljóðnemann. Veldu myndavélar- eða lástáknið í veffangastikunni, leyfðu myndavél og hljóðnema í stillingum vefsvæðisins og uppfærðu svo síðuna.
video-guidance-no-device = Engin myndavél eða hljóðnemi fannst. Tengdu tæki og veldu svo „Reyna aftur“.
video-guidance-no-camera = Engin myndavél fannst. Þú getur tengst með hljóði eingöngu, eða tengt myndavél og valið „Reyna aftur“.
video-guidance-no-mic = Enginn hljóðnemi fannst og því heyrir viðmælandinn ekki í þér. Tengdu hljóðnema og veldu svo „Reyna aftur“.
video-guidance-in-use = Annað forrit er að nota myndavélina eða hljóðnemann. Lokaðu öðrum forritum sem gætu verið að nota þau, til dæmis Teams eða Zoom, og veldu svo „Reyna aftur“.
video-guidance-unsupported = Þessi vafri styður ekki myndsímtöl. Notaðu nýlega útgáfu af Chrome, Edge, Firefox eða Safari.
video-try-again = Reyna aftur
video-join = Tengjast tímanum
video-status-ready = Myndavélin og hljóðneminn virka. Þú getur tengst hvenær sem er.
video-status-ready-audio = Hljóðneminn virkar. Þú getur tengst með hljóði eingöngu.
video-status-other-here = { $name } er þegar í tímanum.

## Biðstofan og símtalið
video-waiting = Beðið eftir að { $name } tengist.
video-waiting-hint = Símtalið hefst um leið og { $name } tengist. Hafðu þessa síðu opna.
video-your-video = Myndin þín
video-you = Þú
video-leave = Fara út
video-call-heading = Myndsímtal · { $name }
video-remote-label = Mynd frá viðmælanda: { $name }
video-controls = Stjórnhnappar símtalsins
# Víxlhnappar: textinn helst óbreyttur og hnappurinn sést inni á meðan hann gildir.
video-mute = Slökkva á hljóðnema
video-camera-off = Slökkva á myndavél
video-share = Deila skjá
video-devices-button = Tæki
video-end = Ljúka símtali
video-badge-mic-off = Slökkt á hljóðnema
video-badge-camera-off = Slökkt á myndavél
video-badge-sharing = Deilir skjá
video-quality-good = Tenging: góð
video-quality-fair = Tenging: sæmileg
video-quality-poor = Tenging: léleg
video-chat-heading = Spjall
video-chat-label = Skilaboð
video-chat-send = Senda
video-chat-hint = Skilaboðin eru ekki vistuð.
video-chat-not-sent = Engin tenging: skilaboðin voru ekki send.
video-status-connecting = Tengist…
video-status-connected = Símtalið er hafið.
video-status-reconnected = Tengingin er komin aftur á.
video-status-reconnecting = Sambandið rofnaði. Tengist aftur…
video-status-away = { $name } missti sambandið. Beðið er eftir að tengingin komist aftur á.
video-status-mic-on = Kveikt er á hljóðnemanum þínum.
video-status-mic-off = Slökkt er á hljóðnemanum þínum.
video-status-camera-on = Kveikt er á myndavélinni þinni.
video-status-camera-off = Slökkt er á myndavélinni þinni.
video-status-sharing = Þú ert að deila skjánum þínum.
video-status-sharing-stopped = Þú hættir að deila skjánum.
video-status-share-failed = Ekki tókst að deila skjánum.
video-status-device-failed = Ekki tókst að ræsa tækið. Veldu annað tæki.

## Gestir í para- og fjölskyldutímum: skjólstæðingurinn býður þeim, fagaðilinn hleypir þeim inn
# Tækjaprófun gests, áður en hann tengist.
video-guest-note = Þegar þú tengist bíður þú þar til { $name } hleypir þér inn.
video-guest-note-admitted = { $name } hefur hleypt þér inn. Þú getur tengst hvenær sem er.
# Gestur sem hefur tengst og bíður eftir að vera hleypt inn.
video-admission = Beðið eftir að { $name } hleypi þér inn.
video-admission-hint = Þú kemst inn í símtalið um leið og { $name } hleypir þér inn. Hafðu þessa síðu opna.
video-status-admitted = { $name } hleypti þér inn. Tengist…
# Listi yfir gesti sem bíða, fyrir fagaðilann (með hnöppunum) og skjólstæðinginn.
video-lobby-heading = Gestir sem bíða
video-lobby-lead-professional = Gestir sem skjólstæðingurinn þinn bauð. Hleyptu aðeins inn fólki sem þú átt von á.
video-lobby-lead-client = { $name } hleypir gestunum þínum inn.
video-guest-tag = gestur
video-guest-name = { $name } (gestur)
video-guest-unnamed = Gestur
video-admit = Hleypa inn
video-admit-label = Hleypa inn: { $name }
video-decline = Hafna
video-decline-label = Hafna: { $name }
video-lobby-failed = Það tókst ekki. Athugaðu tenginguna og reyndu aftur.
video-status-guest-waiting = { $name } bíður eftir að komast inn.
video-status-guest-waiting-client = { $name } bíður eftir að { $professional } hleypi sér inn.
video-status-guest-admitted = { $name } fékk aðgang að tímanum.
video-status-guest-declined = { $name } fékk ekki aðgang að tímanum.
video-status-guest-stopped-waiting = { $name } bíður ekki lengur.
video-status-guest-gone = { $name } er ekki lengur í tímanum.
video-status-person-here = { $name } er í tímanum.
video-status-person-joined = { $name } tengdist símtalinu.
# Gestur sem var hafnað eða hlekkurinn afturkallaður: tímanum er lokið fyrir hann.
video-removed = { $name } hleypti þér ekki inn eða hlekkurinn var afturkallaður.

## Eftir símtalið
video-left = Þú fórst út úr tímanum.
video-ended = Þessum tíma er lokið.
video-back = Aftur á síðu tímans
video-rejoin = Tengjast aftur

## video_closed.html
video-closed-title = { $service } · Myndsímtal
video-closed-early = Opnað verður fyrir tímann { $date } kl. { $time }, 10 mínútum áður en hann hefst.
video-closed-cancelled = Þessi tími var afbókaður og því er ekkert myndsímtal.
video-closed-not-video = Þessi tími fer fram á staðnum eða í síma, ekki í myndsímtali. Nánari upplýsingar eru á síðu tímans.
video-closed-unavailable = Þetta myndsímtal er ekki í boði.
