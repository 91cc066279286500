//! The words of My Profile and Your data, in English and Icelandic. Pages get
//! the whole table as `t`; messages are picked by key, with `{name}` holes.

use std::collections::BTreeMap;

/// `(key, English, Icelandic)`.
const TEXTS: &[(&str, &str, &str)] = &[
    // Frame and navigation.
    ("nav_title", "Your account", "Aðgangurinn þinn"),
    ("profile_title", "My Profile", "Prófíllinn minn"),
    ("password_title", "Change password", "Breyta lykilorði"),
    ("data_title", "Your data", "Gögnin þín"),
    ("nothing_saved", "Nothing was saved. Please correct the fields marked below.", "Ekkert var vistað. Lagaðu reitina sem eru merktir hér fyrir neðan."),
    ("optional", "Optional.", "Valfrjálst."),
    // Picture.
    ("photo_heading", "Picture", "Mynd"),
    ("photo_current", "Your current picture", "Núverandi mynd þín"),
    ("photo_none", "No picture yet: your initials are shown instead.", "Engin mynd enn: upphafsstafirnir þínir birtast í staðinn."),
    ("photo_label", "Upload a picture", "Hlaða upp mynd"),
    ("photo_hint", "PNG or JPEG, at most 2 MB. It is cropped to a square around the centre and scaled to 256 × 256 pixels; location and camera details are removed.", "PNG eða JPEG, mest 2 MB. Hún er skorin í ferning um miðjuna og minnkuð í 256 × 256 punkta; staðsetning og upplýsingar um myndavél eru fjarlægðar."),
    ("photo_upload", "Upload picture", "Hlaða upp mynd"),
    ("photo_remove", "Remove picture", "Fjarlægja mynd"),
    // Details.
    ("details_heading", "Your details", "Upplýsingarnar þínar"),
    ("name_label", "Name", "Nafn"),
    ("dob_label", "Date of birth", "Fæðingardagur"),
    ("phone_label", "Phone", "Símanúmer"),
    ("phone_hint", "With your country code, like +354 555 1234. Optional.", "Með landsnúmeri, t.d. +354 555 1234. Valfrjálst."),
    ("address_heading", "Home address", "Heimilisfang"),
    ("address_hint", "Optional. Professionals who see you in person may need it.", "Valfrjálst. Fagaðilar sem hitta þig í eigin persónu gætu þurft það."),
    ("line1_label", "Street and number", "Gata og húsnúmer"),
    ("line2_label", "Apartment, floor or building", "Íbúð, hæð eða bygging"),
    ("postal_code_label", "Postal code", "Póstnúmer"),
    ("city_label", "City or town", "Staður"),
    ("country_label", "Country", "Land"),
    ("preferences_heading", "Language and time", "Tungumál og tími"),
    ("language_label", "Language", "Tungumál"),
    ("language_hint", "Pages and emails are in this language.", "Síður og tölvupóstar eru á þessu tungumáli."),
    ("timezone_label", "Timezone", "Tímabelti"),
    ("timezone_hint", "The times of your sessions are shown in this timezone.", "Tímasetningar tímanna þinna birtast á þessu tímabelti."),
    ("save", "Save", "Vista"),
    // Email.
    ("email_heading", "Email", "Netfang"),
    ("email_current", "Your email address is", "Netfangið þitt er"),
    ("email_new_label", "New email address", "Nýtt netfang"),
    ("email_new_hint", "We send a code to the new address. It is used once you enter the code; until then your current address stays.", "Við sendum kóða á nýja netfangið. Það tekur gildi þegar þú slærð kóðann inn; þangað til gildir núverandi netfang."),
    ("current_password_label", "Current password", "Núverandi lykilorð"),
    ("email_send", "Send code", "Senda kóða"),
    ("email_pending", "Waiting for the code we sent to", "Beðið eftir kóðanum sem við sendum á"),
    ("code_label", "Code", "Kóði"),
    ("code_hint", "6 digits, valid for 10 minutes.", "6 tölustafir, gildir í 10 mínútur."),
    ("email_confirm", "Use the new address", "Nota nýja netfangið"),
    ("email_cancel", "Cancel the change", "Hætta við breytinguna"),
    ("password_heading", "Password", "Lykilorð"),
    ("password_link", "Change your password", "Breyta lykilorðinu"),
    // Notices after a change.
    ("done_saved", "Your profile was saved.", "Prófíllinn þinn var vistaður."),
    ("done_photo", "Your picture was updated.", "Myndin þín var uppfærð."),
    ("done_photo_removed", "Your picture was removed.", "Myndin þín var fjarlægð."),
    ("done_email_sent", "We sent a code to your new address. Enter it below to start using it.", "Við sendum kóða á nýja netfangið. Sláðu hann inn hér fyrir neðan til að byrja að nota það."),
    ("done_email_changed", "Your email address was changed. Your other devices were logged out.", "Netfanginu þínu var breytt. Önnur tæki voru skráð út."),
    ("done_email_cancelled", "The email change was cancelled.", "Hætt var við breytingu á netfangi."),
    // Field errors.
    ("err_name", "Enter your name (up to 200 characters).", "Sláðu inn nafnið þitt (mest 200 stafir)."),
    ("err_control", "Remove the line breaks and special characters.", "Fjarlægðu línuskil og sérstafi."),
    ("err_too_long", "Use at most {max} characters.", "Notaðu mest {max} stafi."),
    ("err_dob_format", "Enter a date like 1990-04-23.", "Sláðu inn dagsetningu á forminu 1990-04-23."),
    ("err_dob_future", "The date of birth cannot be in the future.", "Fæðingardagur getur ekki verið í framtíðinni."),
    ("err_dob_early", "Enter a date from 1900 on.", "Sláðu inn dagsetningu frá árinu 1900 eða síðar."),
    ("err_phone", "Enter the number with its country code, like +354 555 1234.", "Sláðu inn númerið með landsnúmeri, t.d. +354 555 1234."),
    ("err_language", "Choose English or Icelandic.", "Veldu ensku eða íslensku."),
    ("err_timezone", "Choose your timezone from the list.", "Veldu tímabeltið þitt af listanum."),
    ("err_photo_empty", "Choose a picture to upload.", "Veldu mynd til að hlaða upp."),
    ("err_photo_large", "The file is larger than 2 MB.", "Skráin er stærri en 2 MB."),
    ("err_photo_type", "Upload a PNG or JPEG picture.", "Hladdu upp PNG- eða JPEG-mynd."),
    ("err_photo_unreadable", "This picture could not be read. Upload a PNG or JPEG picture.", "Ekki tókst að lesa myndina. Hladdu upp PNG- eða JPEG-mynd."),
    ("err_upload", "The upload was interrupted. Please try again.", "Upphleðslan rofnaði. Reyndu aftur."),
    ("err_email", "Enter an email address like name@example.com.", "Sláðu inn netfang eins og nafn@daemi.is."),
    ("err_email_same", "This is already your email address.", "Þetta er nú þegar netfangið þitt."),
    ("err_email_taken", "Another account uses this address.", "Annar aðgangur notar þetta netfang."),
    ("err_password", "That is not your current password.", "Þetta er ekki núverandi lykilorðið þitt."),
    ("err_wait", "Too many tries. Please wait {secs} seconds and try again.", "Of margar tilraunir. Bíddu í {secs} sekúndur og reyndu aftur."),
    ("err_resend_wait", "We just sent a code. You can ask for another in {secs} seconds.", "Við vorum að senda kóða. Þú getur beðið um annan eftir {secs} sekúndur."),
    ("err_code_none", "There is no code waiting. Ask for a new one.", "Enginn kóði bíður. Biddu um nýjan."),
    ("err_code_expired", "This code has expired. Ask for a new one.", "Þessi kóði er útrunninn. Biddu um nýjan."),
    ("err_code_used_up", "Too many wrong codes. Ask for a new one.", "Of margir rangir kóðar. Biddu um nýjan."),
    ("err_code_wrong", "That code is not right. {left} tries left.", "Þessi kóði er ekki réttur. {left} tilraunir eftir."),
    // Your data.
    ("data_intro", "This is what Hearth holds about you: your account and profile, your sign-ins (when, never their keys), the terms you accepted, your connections with professionals, invitations sent to your address, your appointments, your professional profile if you have one, the emails sent to you, and in each company hub you belong to: your membership, your credits and your bookings.", "Þetta er það sem Hearth geymir um þig: aðganginn og prófílinn, innskráningar (hvenær, aldrei lyklana), skilmálana sem þú samþykktir, tengingar við fagaðila, boð send á netfangið þitt, tímana þína, fagaðilaprófíl ef þú átt hann, tölvupósta sem þér voru sendir, og á hverju vellíðunarsvæði fyrirtækis sem þú tilheyrir: aðild, inneign og bókanir."),
    ("download_heading", "Download your data", "Sækja gögnin þín"),
    ("download_json", "Download as JSON", "Sækja sem JSON"),
    ("download_json_hint", "Every record, to keep or to take to another service.", "Allar færslur, til að geyma eða flytja í aðra þjónustu."),
    ("download_html", "Download a readable summary", "Sækja læsilegt yfirlit"),
    ("download_html_hint", "A page to read, print or save as PDF.", "Síða til að lesa, prenta eða vista sem PDF."),
    ("delete_heading", "Delete my account", "Eyða aðganginum mínum"),
    ("delete_explain", "Your account, profile, picture, sign-ins and connections are deleted for good. Professionals keep the date, service and price of your past sessions, as the law requires for their records, but not your name or email. Each company hub you belong to is told only that a member left; your credits there are gone.", "Aðganginum, prófílnum, myndinni, innskráningum og tengingum er eytt fyrir fullt og allt. Fagaðilar halda dagsetningu, þjónustu og verði liðinna tíma, eins og lög krefjast vegna skráa þeirra, en hvorki nafni þínu né netfangi. Hverju vellíðunarsvæði sem þú tilheyrir er aðeins sagt að meðlimur hafi hætt; inneign þín þar fellur niður."),
    ("delete_final", "This cannot be undone. Download your data first if you want a copy.", "Þetta er ekki hægt að afturkalla. Sæktu gögnin þín fyrst ef þú vilt eiga afrit."),
    ("delete_password_label", "Your password, to confirm", "Lykilorðið þitt, til staðfestingar"),
    ("delete_button", "Delete my account", "Eyða aðganginum mínum"),
    ("err_delete_upcoming", "You have upcoming sessions. Cancel them on your dashboard first.", "Þú átt bókaða tíma fram undan. Afbókaðu þá fyrst á yfirlitssíðunni."),
    ("err_delete_practice", "Your practice has session records that must be kept. Write to us to close your practice and your account.", "Stofan þín á skráða tíma sem þarf að varðveita. Hafðu samband við okkur til að loka stofunni og aðganginum."),
    ("deleted_title", "Your account was deleted", "Aðganginum þínum var eytt"),
    ("deleted_text", "Everything we held about you is gone. Thank you for using Hearth.", "Öllu sem við geymdum um þig hefur verið eytt. Takk fyrir að nota Hearth."),
    // The readable summary.
    ("summary_title", "Your data", "Gögnin þín"),
    ("summary_made", "Made on", "Búið til"),
    ("summary_print_hint", "Use your browser's Print command to keep this page as a PDF.", "Notaðu prentskipun vafrans til að vista þessa síðu sem PDF."),
    ("none", "None.", "Ekkert."),
    ("yes", "Yes", "Já"),
    ("no", "No", "Nei"),
    // Labels of the export's records.
    ("k_account", "Account", "Aðgangur"),
    ("k_id", "Id", "Auðkenni"),
    ("k_email", "Email", "Netfang"),
    ("k_name", "Name", "Nafn"),
    ("k_date_of_birth", "Date of birth", "Fæðingardagur"),
    ("k_phone", "Phone", "Símanúmer"),
    ("k_address", "Home address", "Heimilisfang"),
    ("k_line1", "Street and number", "Gata og húsnúmer"),
    ("k_line2", "Apartment, floor or building", "Íbúð, hæð eða bygging"),
    ("k_postal_code", "Postal code", "Póstnúmer"),
    ("k_city", "City or town", "Staður"),
    ("k_country", "Country", "Land"),
    ("k_language", "Language", "Tungumál"),
    ("k_timezone", "Timezone", "Tímabelti"),
    ("k_email_verified_at", "Email verified", "Netfang staðfest"),
    ("k_created_at", "Created", "Stofnað"),
    ("k_is_operator", "Platform staff", "Starfsmaður kerfisins"),
    ("k_has_photo", "Picture", "Mynd"),
    ("k_sessions", "Sign-ins", "Innskráningar"),
    ("k_last_seen_at", "Last used", "Síðast notað"),
    ("k_expires_at", "Expires", "Rennur út"),
    ("k_terms_acceptances", "Terms accepted", "Samþykktir skilmálar"),
    ("k_version", "Version", "Útgáfa"),
    ("k_accepted_at", "Accepted", "Samþykkt"),
    ("k_email_change", "Email change waiting", "Breyting á netfangi í bið"),
    ("k_new_email", "New address", "Nýtt netfang"),
    ("k_email_verification", "Email verification waiting", "Staðfesting netfangs í bið"),
    ("k_password_resets", "Password resets", "Endurstillingar lykilorðs"),
    ("k_used_at", "Used", "Notað"),
    ("k_connections", "Your professionals", "Fagaðilarnir þínir"),
    ("k_professional", "Professional", "Fagaðili"),
    ("k_hub", "Company hub", "Vellíðunarsvæði"),
    ("k_source", "How", "Hvernig"),
    ("k_clients", "Clients", "Skjólstæðingar"),
    ("k_count", "Number", "Fjöldi"),
    ("k_invitations", "Invitations to you", "Boð til þín"),
    ("k_message", "Message", "Skilaboð"),
    ("k_revoked_at", "Withdrawn", "Dregið til baka"),
    ("k_appointments", "Your appointments", "Tímarnir þínir"),
    ("k_appointments_as_professional", "Sessions you held", "Tímar sem þú hélst"),
    ("k_service", "Service", "Þjónusta"),
    ("k_mode", "How", "Hvernig"),
    ("k_session_type", "Type", "Tegund"),
    ("k_starts_at", "Starts", "Hefst"),
    ("k_ends_at", "Ends", "Lýkur"),
    ("k_price", "Price", "Verð"),
    ("k_currency", "Currency", "Gjaldmiðill"),
    ("k_credits", "Credits", "Inneignir"),
    ("k_status", "Status", "Staða"),
    ("k_cancelled_at", "Cancelled", "Afbókað"),
    ("k_late_cancel", "Late cancellation", "Sein afbókun"),
    ("k_professional_profile", "Professional profile", "Fagaðilaprófíll"),
    ("k_title", "Title", "Titill"),
    ("k_bio", "About", "Um"),
    ("k_specialties", "Specialties", "Sérsvið"),
    ("k_languages", "Languages", "Tungumál"),
    ("k_kind", "Kind", "Tegund"),
    ("k_verified_at", "Verified", "Staðfest"),
    ("k_buffer_minutes", "Break after sessions (minutes)", "Hlé eftir tíma (mínútur)"),
    ("k_min_notice_minutes", "Minimum notice (minutes)", "Lágmarksfyrirvari (mínútur)"),
    ("k_horizon_days", "Booking horizon (days)", "Bókunartímabil (dagar)"),
    ("k_services", "Services", "Þjónusta"),
    ("k_duration_minutes", "Minutes", "Mínútur"),
    ("k_active", "Offered", "Í boði"),
    ("k_availability", "Weekly hours", "Vikulegur opnunartími"),
    ("k_weekday", "Weekday", "Vikudagur"),
    ("k_start_time", "From", "Frá"),
    ("k_end_time", "To", "Til"),
    ("k_availability_exceptions", "Days off and extra hours", "Frídagar og aukatímar"),
    ("k_day", "Day", "Dagur"),
    ("k_emails", "Emails sent to you", "Tölvupóstar til þín"),
    ("k_sent_at", "Sent", "Sent"),
    ("k_notifications", "Notifications", "Tilkynningar"),
    ("k_notification_preferences", "Notification settings", "Stillingar tilkynninga"),
    ("k_read_at", "Read", "Lesið"),
    ("k_link", "Link", "Tengill"),
    ("k_hubs", "Company hubs", "Vellíðunarsvæði"),
    ("k_membership", "Membership", "Aðild"),
    ("k_role", "Role", "Hlutverk"),
    ("k_joined_at", "Joined", "Gekk í"),
    ("k_eligibility", "On the hub's list of employees", "Á starfsmannalista svæðisins"),
    ("k_imported_at", "Listed", "Skráð"),
    ("k_credit_balance", "Credit balance", "Inneign"),
    ("k_balance", "Balance", "Staða"),
    ("k_period_start", "Period from", "Tímabil frá"),
    ("k_updated_at", "Updated", "Uppfært"),
    ("k_credit_ledger", "Credit history", "Saga inneignar"),
    ("k_amount", "Amount", "Upphæð"),
    ("k_balance_after", "Balance after", "Staða á eftir"),
    ("k_appointment_id", "Appointment", "Tími"),
    ("k_note", "Note", "Athugasemd"),
    ("k_at", "When", "Hvenær"),
    ("k_hub_bookings", "Bookings paid by the hub", "Bókanir greiddar af svæðinu"),
    ("k_settled", "Settled", "Gert upp"),
    ("k_audit", "Your changes as an administrator", "Breytingar þínar sem stjórnandi"),
    ("k_action", "What", "Hvað"),
    ("k_hub_name", "Name", "Heiti"),
    ("k_slug", "Address", "Slóð"),
];

/// `lang` if Hearth speaks it, else English.
fn column(lang: &str) -> usize {
    if lang == "is" {
        2
    } else {
        1
    }
}

/// Every text in `lang`, for templates (`{{ t.save }}`).
pub fn table(lang: &str) -> BTreeMap<&'static str, &'static str> {
    let col = column(lang);
    TEXTS
        .iter()
        .map(|row| (row.0, if col == 2 { row.2 } else { row.1 }))
        .collect()
}

/// The text `key` in `lang`; the key itself if there is none.
pub fn get(lang: &str, key: &str) -> String {
    lookup(lang, key).unwrap_or(key).to_owned()
}

/// The text `key` in `lang`, if there is one.
pub fn lookup(lang: &str, key: &str) -> Option<&'static str> {
    let col = column(lang);
    TEXTS
        .iter()
        .find(|row| row.0 == key)
        .map(|row| if col == 2 { row.2 } else { row.1 })
}

/// Where `key` is listed, for ordering fields as the table does.
pub fn position(key: &str) -> Option<usize> {
    TEXTS.iter().position(|row| row.0 == key)
}

/// The text `key` in `lang` with each `{name}` replaced by its value.
pub fn fill(lang: &str, key: &str, values: &[(&str, String)]) -> String {
    let mut out = get(lang, key);
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages_and_a_unique_key() {
        let mut keys = std::collections::BTreeSet::new();
        for (key, en, is) in TEXTS {
            assert!(keys.insert(*key), "{key} twice");
            assert!(!en.is_empty() && !is.is_empty(), "{key}");
            // The same holes in both.
            let holes = |s: &str| {
                s.match_indices('{')
                    .map(|(i, _)| s[i..].split('}').next().unwrap_or("").to_owned())
                    .collect::<Vec<_>>()
            };
            assert_eq!(holes(en), holes(is), "{key}");
        }
    }

    #[test]
    fn icelandic_is_picked_by_language_and_english_is_the_fallback() {
        assert_eq!(get("is", "save"), "Vista");
        assert_eq!(get("en", "save"), "Save");
        assert_eq!(get("fr", "save"), "Save");
        assert_eq!(
            fill("en", "err_too_long", &[("max", "20".into())]),
            "Use at most 20 characters."
        );
        assert_eq!(table("is")["profile_title"], "Prófíllinn minn");
    }
}
