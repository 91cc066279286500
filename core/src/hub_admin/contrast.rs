//! WCAG 2.1 contrast: relative luminance, contrast ratio, and the nearest
//! colour of the same hue that reaches a required ratio.

/// WCAG AA for normal text.
pub const AA: f64 = 4.5;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parses `#rrggbb` (either case).
    pub fn parse(hex: &str) -> Option<Self> {
        let digits = hex.strip_prefix('#')?;
        if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
        Some(Self(byte(0)?, byte(2)?, byte(4)?))
    }

    /// `#rrggbb`, lowercase (as the database stores it).
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance, WCAG 2.1 definition.
    pub fn luminance(self) -> f64 {
        fn channel(c: u8) -> f64 {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }
}

/// The contrast ratio of two colours, from 1 to 21 (order does not matter).
pub fn ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la >= lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The colour closest in lightness to `color`, keeping its hue and
/// saturation, whose contrast against `against` is at least `min`. Steps of
/// half a percent of lightness, trying darker and lighter alike.
pub fn nearest_passing(color: Rgb, against: Rgb, min: f64) -> Option<Rgb> {
    if ratio(color, against) >= min {
        return Some(color);
    }
    let (h, s, l) = to_hsl(color);
    for step in 1..=200 {
        let delta = f64::from(step) * 0.005;
        let candidates = [l - delta, l + delta];
        for lightness in candidates {
            if !(0.0..=1.0).contains(&lightness) {
                continue;
            }
            let candidate = from_hsl(h, s, lightness);
            if ratio(candidate, against) >= min {
                return Some(candidate);
            }
        }
    }
    None
}

fn to_hsl(c: Rgb) -> (f64, f64, f64) {
    let (r, g, b) = (
        f64::from(c.0) / 255.0,
        f64::from(c.1) / 255.0,
        f64::from(c.2) / 255.0,
    );
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let l = (max + min) / 2.0;
    let d = max - min;
    if d == 0.0 {
        return (0.0, 0.0, l);
    }
    let s = d / (1.0 - (2.0 * l - 1.0).abs());
    let h = if max == r {
        60.0 * (((g - b) / d).rem_euclid(6.0))
    } else if max == g {
        60.0 * ((b - r) / d + 2.0)
    } else {
        60.0 * ((r - g) / d + 4.0)
    };
    (h, s, l)
}

fn from_hsl(h: f64, s: f64, l: f64) -> Rgb {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((h / 60.0).rem_euclid(2.0) - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match h {
        h if h < 60.0 => (c, x, 0.0),
        h if h < 120.0 => (x, c, 0.0),
        h if h < 180.0 => (0.0, c, x),
        h if h < 240.0 => (0.0, x, c),
        h if h < 300.0 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    // Clamped to 0..=255 before the cast, so nothing is truncated.
    let to_byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    Rgb(to_byte(r), to_byte(g), to_byte(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHITE: Rgb = Rgb(255, 255, 255);
    const BLACK: Rgb = Rgb(0, 0, 0);

    #[test]
    fn black_on_white_is_21_and_equal_colours_are_1() {
        assert!((ratio(BLACK, WHITE) - 21.0).abs() < 1e-9);
        assert!((ratio(WHITE, BLACK) - 21.0).abs() < 1e-9);
        assert!((ratio(WHITE, WHITE) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn known_pairs_match_published_ratios() {
        // #767676 on white is the classic just-passing grey (4.54:1).
        let grey = Rgb::parse("#767676").unwrap();
        assert!((ratio(grey, WHITE) - 4.54).abs() < 0.01);
        // #777777 just fails (4.48:1).
        assert!(ratio(Rgb::parse("#777777").unwrap(), WHITE) < AA);
        // The default brand colour passes with white text.
        assert!(ratio(Rgb::parse("#1f6f5c").unwrap(), WHITE) >= AA);
    }

    #[test]
    fn parse_accepts_only_six_hex_digits() {
        assert_eq!(Rgb::parse("#A0b1C2"), Some(Rgb(0xa0, 0xb1, 0xc2)));
        assert_eq!(Rgb(0xa0, 0xb1, 0xc2).hex(), "#a0b1c2");
        for bad in ["a0b1c2", "#a0b1c", "#a0b1c2f", "#g0b1c2", "", "#"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_failing_colour_gets_the_nearest_passing_one_of_the_same_hue() {
        let yellow = Rgb::parse("#ffcc00").unwrap();
        assert!(ratio(yellow, WHITE) < AA);
        let fixed = nearest_passing(yellow, WHITE, AA).unwrap();
        assert!(ratio(fixed, WHITE) >= AA);
        // Darker, and still a yellow-orange hue.
        assert!(fixed.luminance() < yellow.luminance());
        let (h0, _, _) = to_hsl(yellow);
        let (h1, _, _) = to_hsl(fixed);
        assert!((h0 - h1).abs() < 3.0, "{h0} vs {h1}");
        // Not more than needed: one step lighter fails again.
        let (h, s, l) = to_hsl(fixed);
        assert!(ratio(from_hsl(h, s, l + 0.01), WHITE) < AA + 0.2);
    }

    #[test]
    fn a_passing_colour_is_its_own_suggestion() {
        let c = Rgb::parse("#1f6f5c").unwrap();
        assert_eq!(nearest_passing(c, WHITE, AA), Some(c));
    }

    #[test]
    fn dark_text_on_a_dark_accent_is_fixed_by_lightening() {
        let text = Rgb::parse("#1d2327").unwrap();
        let accent = Rgb::parse("#4a3a10").unwrap();
        let fixed = nearest_passing(accent, text, AA).unwrap();
        assert!(ratio(fixed, text) >= AA);
        assert!(fixed.luminance() > accent.luminance());
    }

    #[test]
    fn hsl_round_trips() {
        for c in [
            Rgb(31, 111, 92),
            Rgb(244, 185, 66),
            Rgb(10, 10, 10),
            Rgb(200, 30, 220),
        ] {
            let (h, s, l) = to_hsl(c);
            let back = from_hsl(h, s, l);
            assert!(
                (i16::from(back.0) - i16::from(c.0)).abs() <= 1
                    && (i16::from(back.1) - i16::from(c.1)).abs() <= 1
                    && (i16::from(back.2) - i16::from(c.2)).abs() <= 1,
                "{c:?} -> {back:?}"
            );
        }
    }
}
