# Greiðslur: greiðsluflipi skjólstæðings (reikningar, greiðsla, vistuð kort) og
# greiðslur sérfræðingsins (reikningar, endurgreiðslur, yfirlit, rekstrarupplýsingar).
dash-nav-payments = Greiðslur
dash-nav-my-profile = Prófíllinn minn
pro-nav-payments = Greiðslur
pro-nav-billing = Rekstrarupplýsingar
pro-service-pay-when = Hvenær einkaskjólstæðingar greiða
pro-service-pay-when-choice = { $when ->
    [booking] Við bókun
   *[after] Reikningur eftir tímann
}
pro-service-pay-when-hint = Tímar sem greiddir eru með inneign fyrirtækis fá aldrei reikning.

pay-title = Greiðslur
pay-intro = Sjáðu reikningana þína, greiddu sérfræðingnum fyrir tíma og sýslaðu með kortin þín.
pay-test-mode = Prófunarhamur: ekkert raunverulegt kort er skuldfært. Notaðu prófunarkort, t.d. 4242 4242 4242 4242.
pay-not-configured = Kortagreiðslur hafa ekki verið settar upp á þessum vettvangi enn. Reikningarnir þínir birtast samt hér.
pay-open-bills = Ógreiddir reikningar
pay-paid-bills = Greiddir reikningar
pay-no-open-bills = Þú átt enga ógreidda reikninga.
pay-no-paid-bills = Engir greiddir reikningar enn.
pay-col-bill = Reikningur
pay-col-from = Frá
pay-col-number = Reikningsnúmer
pay-col-issued = Útgefinn
pay-col-due = Gjalddagi
pay-col-status = Staða
pay-col-amount = Upphæð
pay-col-description = Lýsing
pay-col-quantity = Magn
pay-col-unit = Einingarverð
pay-col-currency = Gjaldmiðill
pay-col-paid-on = Greitt
pay-bill-heading = Reikningur { $number }
pay-receipt-heading = Kvittun fyrir reikning { $number }
pay-pay-title = Greiða reikning { $number }
pay-pay = Greiða
pay-pay-amount = Greiða { $amount }
pay-pay-lead = { $amount } til { $seller }.
pay-receipt = Kvittun
pay-download-bill = Sækja reikninginn (PDF)
pay-download-receipt = Sækja kvittunina (PDF)
pay-back = Aftur í Greiðslur
pay-back-to-bill = Aftur á reikninginn
pay-overdue = Gjaldfallinn
pay-disputed = Andmælt
pay-billed-to = Greiðandi
pay-subtotal = Samtals án skatts
pay-tax = Skattur
pay-tax-rate = Skattur ({ $rate }%)
pay-total = Samtals
pay-refunded = Endurgreitt
pay-tax-id-line = Kennitala: { $id }
pay-footer-open = Vinsamlega greiddu fyrir { $due } á Greiðslur-flipanum.
pay-footer-paid = Greitt, með þökkum.
pay-status-open = Ógreiddur
pay-status-paid = Greiddur
pay-status-void = Ógildur
pay-status-refunded = Endurgreiddur
pay-status-partly-refunded = Endurgreiddur að hluta
pay-cards = Kortin þín
pay-no-cards = Þú átt engin vistuð kort.
pay-add-card = Bæta við nýju korti
pay-add-card-intro = Greiðsluþjónustan Stripe geymir kortið; Hearth sér aldrei kortanúmerið.
pay-save-card = Vista kort
pay-card-line = { $brand } sem endar á { $last4 }
pay-card-expires = gildir til { $date }
pay-card-default = Sjálfgefið
pay-card-make-default = Gera sjálfgefið
pay-card-remove = Fjarlægja
pay-card-details = Kortaupplýsingar
pay-choose-card = Veldu kort
pay-with-saved = Greiða með vistuðu korti
pay-with-new = Greiða með nýju korti
pay-noscript = Til að greiða með nýju korti þarf JavaScript, sem kortaform Stripe keyrir á.
pay-busy = Augnablik…
pay-done-paid = Takk fyrir: reikningurinn er greiddur. Kvittunin er á leiðinni í tölvupóstinn þinn.
pay-done-card-added = Kortinu var bætt við.
pay-done-card-default = Þetta kort er nú sjálfgefið.
pay-done-card-removed = Kortið var fjarlægt.
pay-error-not-paid = Reikningurinn er ekki greiddur enn. Reyndu aftur eða notaðu annað kort.
pay-error-authenticate = Bankinn þinn biður þig að staðfesta greiðsluna. Staðfestu hana á þessari síðu.
pay-error-choose-card = Veldu eitt af vistuðu kortunum þínum.
pay-error-unavailable = Ekki næst í greiðsluþjónustuna í augnablikinu. Ekkert var skuldfært; reyndu aftur eftir nokkrar mínútur.

pay-pro-intro = Reikningar vegna tíma einkaskjólstæðinga þinna: útgefnir, greiddir, ógreiddir og endurgreiddir.
pay-pro-summary = Samtölur
pay-pro-issued = Útgefið
pay-pro-paid = Greitt
pay-pro-outstanding = Ógreitt
pay-pro-refunded = Endurgreitt
pay-pro-bills = Reikningar
pay-pro-filter = Sýna reikninga
pay-pro-pages = Síður reikninga
pay-pro-no-bills = Engir reikningar hér.
pay-pro-statement = Mánaðaryfirlit
pay-pro-month = Mánuður
pay-pro-download-csv = Sækja CSV
pay-filter = { $filter ->
    [open] Ógreiddir
    [paid] Greiddir
    [refunded] Endurgreiddir
    [void] Ógildir
   *[all] Allir
}
pay-refunds = Endurgreiðslur
pay-refund-title = Endurgreiða
pay-refund-intro = Upphæðin fer aftur á kortið sem greiddi. Skjólstæðingurinn fær tölvupóst.
pay-refund-amount = Upphæð til endurgreiðslu
pay-refund-hint = Allt sem eftir er er fyllt út; sláðu inn lægri upphæð fyrir endurgreiðslu að hluta.
pay-refund-button = Endurgreiða
pay-refund-reason-requested = af þér
pay-refund-reason-cancelled = tíma aflýst
pay-refund-status-pending = í vinnslu
pay-refund-status-succeeded = endurgreitt
pay-refund-status-failed = mistókst
pay-done-refunded = Endurgreiðslan var gerð.
pay-error-refund-amount = Sláðu inn upphæð, t.d. 12,50.
pay-error-refund-too-much = Í mesta lagi er hægt að endurgreiða { $left }.
pay-error-refund-refused = Endurgreiðslunni var hafnað: { $reason }
pay-error-month = Veldu mánuð, í síðasta lagi þennan, sem ÁÁÁÁ-MM.
pay-error-page = Sú síða er ekki til.

pay-business-intro = Það sem reikningarnir þínir sýna um þig. Tóm svæði eru sleppt; nafnið þitt er notað ef heiti rekstrar er tómt.
pay-business-name = Heiti rekstrar
pay-business-name-hint = Nafnið þitt eða fyrirtækisins.
pay-business-address = Heimilisfang
pay-business-tax-id = Kennitala eða VSK-númer
pay-business-tax-rate = Skatthlutfall (%)
pay-business-tax-rate-hint = Bætist við verðin á reikningum; hafðu autt ef þú innheimtir engan skatt.
pay-business-due-days = Greiðslufrestur í dögum
pay-business-due-days-hint = Reikningar sem sendir eru eftir tíma eru á gjalddaga svo mörgum dögum síðar (0–120).
pay-business-save = Vista rekstrarupplýsingar
pay-business-not-saved = Ekkert var vistað: sjá merkt svæði hér að neðan.
pay-done-business-saved = Rekstrarupplýsingarnar voru vistaðar.
pay-error-text = Í mesta lagi { $max } stafir, án stýristafa.
pay-error-tax-rate = Sláðu inn prósentu frá 0 til 100, t.d. 24 eða 5,5.
pay-error-due-days = Sláðu inn fjölda daga frá 0 til 120.

admin-credits-members-may-pay = Leyfa starfsfólki sem á enga inneign eftir að greiða verð sérfræðingsins
admin-credits-members-may-pay-hint = Það greiðir með korti og sérfræðingurinn sendir því reikning; fyrirtækið greiðir ekkert og sér aðeins að tími fór fram.
book-pay-instead = Greiða { $price } í staðinn
book-pay-instead-lead = Þú átt ekki næga inneign fyrir þennan tíma. { $hub } leyfir þér að bóka hann á verði sérfræðingsins, greitt með korti: reikningurinn er á Greiðslur-flipanum.
