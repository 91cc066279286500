//! Aggregates only: what HR admins and resellers see about people. A figure
//! about fewer than [`MIN_GROUP`] people is not shown; it reads "fewer than 5"
//! in the reader's language.

/// The smallest group a shown figure may be about.
pub const MIN_GROUP: i64 = 5;

/// `value`, a figure about `people` people, as shown to an HR admin or a
/// reseller in `lang`: the number, or "fewer than 5" for a smaller group.
pub fn figure(value: i64, people: i64, lang: &str) -> String {
    if people < MIN_GROUP {
        crate::i18n::t(lang, "privacy-fewer-than", None)
    } else {
        value.to_string()
    }
}

/// Whether a figure about `people` people may be shown.
pub fn shown(people: i64) -> bool {
    people >= MIN_GROUP
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_groups_read_fewer_than_five() {
        crate::i18n::init(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes"))
            .expect("catalogue");
        assert_eq!(figure(3, 3, "en"), "fewer than 5");
        assert_eq!(figure(12, 4, "en"), "fewer than 5");
        assert_eq!(figure(12, 4, "is"), "færri en 5");
        assert_eq!(figure(40, 5, "en"), "40");
        assert_eq!(figure(0, 0, "en"), "fewer than 5");
    }
}
