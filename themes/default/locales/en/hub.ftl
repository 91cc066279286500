## hub.html: a company's Wellbeing Hub page
hub-title = { $hub } · Wellbeing Hub
hub-heading = { $hub } Wellbeing Hub
hub-preview-banner = Preview of your draft branding: employees do not see it until you publish it.
hub-credits = { $count ->
    [one] { $count } credit
   *[other] { $count } credits
} { $months ->
    [1] per month
    [3] per quarter
    [6] every six months
   *[other] per year
}
hub-credits-for = for every employee, to spend on sessions with the professionals below.
hub-signup = Create an account to claim your credits
hub-professionals = Our professionals
hub-no-professionals = No professionals have been added to this hub yet.
hub-filter-label = Filter professionals
hub-filter-specialty = Specialty
hub-filter-any-specialty = Any specialty
hub-filter-language = Language
hub-filter-any-language = Any language
hub-filter-mode = Session type
hub-filter-any-mode = Any session type
hub-filter-type = Who the session is for
hub-filter-any-type = Anyone
hub-filter-show = Show professionals
hub-filter-clear = Clear filters
hub-count = { $count ->
    [one] { $count } professional
   *[other] { $count } professionals
}
hub-count-filtered = { $count ->
    [one] { $count } professional matches your filters
   *[other] { $count } professionals match your filters
}
hub-no-match = No professionals match these filters.
hub-see-all = to see all { $count }.
hub-specialties = Specialties
hub-languages = Languages
hub-sessions = Sessions
hub-book = Book a session
hub-book-with = with { $name }
hub-mode = { $mode ->
    [video] Video
    [phone] Phone
    [in_person] In person
   *[other] { $mode }
}
hub-session-type = { $type ->
    [individual] Individual
    [couples] Couples
    [family] Family
    [group] Group
   *[other] { $type }
}
# A language a professional works in, by its ISO 639-1 code.
hub-language-name = { $code ->
    [ar] Arabic
    [bg] Bulgarian
    [cs] Czech
    [da] Danish
    [de] German
    [el] Greek
    [en] English
    [es] Spanish
    [et] Estonian
    [fa] Persian
    [fi] Finnish
    [fr] French
    [ga] Irish
    [he] Hebrew
    [hi] Hindi
    [hr] Croatian
    [hu] Hungarian
    [is] Icelandic
    [it] Italian
    [ja] Japanese
    [ko] Korean
    [lt] Lithuanian
    [lv] Latvian
    [nl] Dutch
    [no] Norwegian
    [nb] Norwegian
    [nn] Norwegian
    [pl] Polish
    [pt] Portuguese
    [ro] Romanian
    [ru] Russian
    [sk] Slovak
    [sl] Slovenian
    [sr] Serbian
    [sv] Swedish
    [tr] Turkish
    [uk] Ukrainian
    [ur] Urdu
    [vi] Vietnamese
    [zh] Chinese
   *[other] { $code }
}

## layout.html
layout-skip = Skip to content
layout-powered-by = Powered by Hearth
