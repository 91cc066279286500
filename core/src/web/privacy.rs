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

/// One figure of a table HR admins or resellers see: a count, and how many
/// people it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cell {
    /// The figure.
    pub value: i64,
    /// The people it is about.
    pub people: i64,
}

/// Which parts of a shown total to hide (`true`: hidden). A part about fewer
/// than [`MIN_GROUP`] people is hidden (primary suppression). Where that
/// leaves exactly one part hidden, the total minus the shown parts would
/// give it away, so the smallest other part is hidden too (complementary
/// suppression); two hidden parts reveal only their sum. A total about fewer
/// than [`MIN_GROUP`] people hides itself and every part.
pub fn suppress(parts: &[Cell], total: Cell) -> (Vec<bool>, bool) {
    if !shown(total.people) {
        return (vec![true; parts.len()], true);
    }
    let mut hidden: Vec<bool> = parts.iter().map(|c| !shown(c.people)).collect();
    // Parts of zero are about no one and give nothing away: a hidden part
    // is revealed only when it is the one unknown of the sum.
    let unknown = |hidden: &[bool]| {
        parts
            .iter()
            .zip(hidden)
            .filter(|(c, h)| **h && c.value != 0)
            .count()
    };
    if hidden.iter().any(|h| *h) && unknown(&hidden) <= 1 {
        let hidden_nonzero = parts.iter().zip(&hidden).any(|(c, h)| *h && c.value != 0);
        if hidden_nonzero {
            let smallest = parts
                .iter()
                .enumerate()
                // A partner of zero would hide nothing.
                .filter(|(i, c)| !hidden[*i] && c.value != 0)
                .min_by_key(|(_, c)| (c.value, c.people))
                .map(|(i, _)| i);
            match smallest {
                Some(i) => hidden[i] = true,
                // Nothing else to hide: the total would tell the one part.
                None => return (vec![true; parts.len()], true),
            }
        }
    }
    (hidden, false)
}

/// `cell` as shown in `lang`, given whether it is hidden.
pub fn shown_cell(cell: Cell, hidden: bool, lang: &str) -> String {
    if hidden {
        crate::i18n::t(lang, "privacy-fewer-than", None)
    } else {
        cell.value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(value: i64, people: i64) -> Cell {
        Cell { value, people }
    }

    #[test]
    fn a_lone_hidden_part_takes_the_smallest_other_with_it() {
        // 40 sessions in all: 3 by 2 people in one month. Hiding only that
        // month would leave it as 40 - 37.
        let parts = [c(20, 12), c(3, 2), c(17, 9), c(0, 0)];
        let (hidden, total_hidden) = suppress(&parts, c(40, 23));
        assert!(!total_hidden);
        assert_eq!(hidden, [false, true, true, true]);
        // Two small parts already hide each other.
        let parts = [c(30, 20), c(3, 2), c(7, 4)];
        assert_eq!(suppress(&parts, c(40, 26)).0, [false, true, true]);
        // Nothing small: all shown.
        let parts = [c(30, 20), c(10, 6)];
        assert_eq!(suppress(&parts, c(40, 26)).0, [false, false]);
        // A small total hides everything.
        assert_eq!(suppress(&[c(3, 3)], c(3, 3)), (vec![true], true));
        // A part of zero (no one) tells nothing; alone with a shown rest it
        // needs no partner.
        let parts = [c(30, 20), c(0, 0)];
        assert_eq!(suppress(&parts, c(30, 20)).0, [false, true]);
        // One part only, and it is small: the total goes too.
        let parts = [c(12, 4), c(0, 0)];
        assert_eq!(suppress(&parts, c(12, 6)), (vec![true, true], true));
    }

    #[test]
    fn no_hidden_part_can_be_worked_out_from_what_is_shown() {
        // Every table of three parts with values and people up to 7: when a
        // non-zero part is hidden, at least one other non-zero part is hidden
        // with it (or the total is), so the sum of the shown never pins it.
        for a in 0..8 {
            for b in 0..8 {
                for d in 0..8 {
                    let parts = [c(a, a), c(b, b), c(d, d)];
                    let total = c(a + b + d, a + b + d);
                    let (hidden, total_hidden) = suppress(&parts, total);
                    if total_hidden {
                        continue;
                    }
                    let unknown = parts
                        .iter()
                        .zip(&hidden)
                        .filter(|(p, h)| **h && p.value != 0)
                        .count();
                    assert_ne!(unknown, 1, "{parts:?} -> {hidden:?}");
                    for (p, h) in parts.iter().zip(&hidden) {
                        assert!(*h || p.people >= MIN_GROUP, "{parts:?} -> {hidden:?}");
                    }
                }
            }
        }
    }

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
