//! iCalendar (RFC 5545) files for appointments: the `invite.ics` sent with
//! every booking email, so the session lands in the attendee's own calendar
//! and later emails (same UID, higher SEQUENCE) move or cancel it there.

use chrono::{DateTime, Utc};

/// The longest content line, in octets, before it is folded (RFC 5545 3.1).
const MAX_LINE_OCTETS: usize = 75;

/// One appointment as a calendar event.
#[derive(Debug, Clone)]
pub struct CalendarEvent {
    /// Stays the same across every change: `<appointment id>@hearth`.
    pub uid: String,
    /// Raised on every change, so calendars replace the older copy.
    pub sequence: i32,
    /// When the session starts.
    pub start: DateTime<Utc>,
    /// When it ends.
    pub end: DateTime<Utc>,
    /// The event's title.
    pub summary: String,
    /// Its notes.
    pub description: String,
    /// The appointment's page (where the session is joined).
    pub url: String,
    /// Where it happens, if anywhere a calendar can show.
    pub location: Option<String>,
    /// The professional: name and email address.
    pub organizer: (String, String),
    /// The client: name and email address.
    pub attendee: (String, String),
    /// Whether this file cancels the event.
    pub cancelled: bool,
    /// When this version of the event was made.
    pub stamp: DateTime<Utc>,
}

impl CalendarEvent {
    /// `REQUEST`, or `CANCEL` for a cancelled appointment.
    pub fn method(&self) -> &'static str {
        if self.cancelled {
            "CANCEL"
        } else {
            "REQUEST"
        }
    }

    /// The MIME type of the file, with its method as mail clients expect.
    pub fn content_type(&self) -> String {
        format!("text/calendar; method={}; charset=UTF-8", self.method())
    }

    /// The whole file: CRLF line endings, text escaped, long lines folded.
    pub fn to_ics(&self) -> String {
        let mut lines = vec![
            "BEGIN:VCALENDAR".to_owned(),
            "PRODID:-//Hearth//Hearth Booking//EN".to_owned(),
            "VERSION:2.0".to_owned(),
            "CALSCALE:GREGORIAN".to_owned(),
            format!("METHOD:{}", self.method()),
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", escape_text(&self.uid)),
            format!("SEQUENCE:{}", self.sequence.max(0)),
            format!("DTSTAMP:{}", utc(self.stamp)),
            format!("DTSTART:{}", utc(self.start)),
            format!("DTEND:{}", utc(self.end)),
            format!("SUMMARY:{}", escape_text(&self.summary)),
            format!("DESCRIPTION:{}", escape_text(&self.description)),
            format!("URL:{}", uri(&self.url)),
        ];
        if let Some(location) = &self.location {
            lines.push(format!("LOCATION:{}", escape_text(location)));
        }
        // A side whose account is gone has no address: it is left out.
        if !self.organizer.1.is_empty() {
            lines.push(format!(
                "ORGANIZER;CN={}:mailto:{}",
                param_value(&self.organizer.0),
                uri(&self.organizer.1)
            ));
        }
        if !self.attendee.1.is_empty() {
            lines.push(format!(
                "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:{}",
                param_value(&self.attendee.0),
                uri(&self.attendee.1)
            ));
        }
        lines.push(
            if self.cancelled {
                "STATUS:CANCELLED"
            } else {
                "STATUS:CONFIRMED"
            }
            .to_owned(),
        );
        lines.push("TRANSP:OPAQUE".to_owned());
        lines.push("END:VEVENT".to_owned());
        lines.push("END:VCALENDAR".to_owned());
        let mut out = String::new();
        for line in &lines {
            out.push_str(&fold(line));
        }
        out
    }
}

/// A UTC date-time in the basic format, e.g. `20260330T090000Z`.
fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value: backslash, semicolon, comma and newlines escaped, other
/// control characters (which TEXT may not hold) dropped.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                // CRLF is one line break.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value such as `CN`: double quotes and control characters
/// removed (a quoted string cannot hold them), quoted when it holds `;`, `:`
/// or `,`.
pub fn param_value(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    if clean.contains([';', ':', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// A URI value (`URL`, `mailto:`): not TEXT-escaped, but never a line break,
/// a space or another control character.
fn uri(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect()
}

/// One content line with its CRLF, folded so that no physical line exceeds
/// 75 octets; a fold never splits a UTF-8 character.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 64 * 3 + 2);
    let mut used = 0;
    // The first line holds 75 octets; each continuation starts with a space.
    let mut limit = MAX_LINE_OCTETS;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > limit {
            out.push_str("\r\n ");
            used = 1;
            limit = MAX_LINE_OCTETS;
        }
        out.push(c);
        used += width;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn event() -> CalendarEvent {
        CalendarEvent {
            uid: "0b0e8a3c-2d1b-4b8e-9f4e-1f6c0f7a0c11@hearth".into(),
            sequence: 2,
            start: Utc.with_ymd_and_hms(2026, 3, 30, 9, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 3, 30, 9, 50, 0).unwrap(),
            summary:
                "Þjónusta: sálfræðiviðtal með Dr Önnu Jónsdóttur, 50 mínútur; myndsímtal í vafranum"
                    .into(),
            description: "Line one\nLine two, with a comma; and a \\ backslash".into(),
            url: "https://acme.hearth.example/appointments/0b0e8a3c".into(),
            location: Some("https://acme.hearth.example/appointments/0b0e8a3c".into()),
            organizer: ("Smith, Ann \"Dr\"".into(), "ann@example.com".into()),
            attendee: ("Jón Jónsson".into(), "jon@example.is".into()),
            cancelled: false,
            stamp: Utc.with_ymd_and_hms(2026, 3, 20, 12, 0, 0).unwrap(),
        }
    }

    fn parse(ics: &str) -> ical::parser::ical::component::IcalCalendar {
        let mut parser = ical::IcalParser::new(ics.as_bytes());
        let calendar = parser
            .next()
            .expect("one calendar")
            .expect("a calendar that parses");
        assert!(parser.next().is_none(), "only one calendar");
        calendar
    }

    fn property<'a>(
        props: &'a [ical::property::Property],
        name: &str,
    ) -> &'a ical::property::Property {
        props
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no {name}"))
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\u{7}g"),
            "a\\\\b\\;c\\,d\\ne\\nfg"
        );
    }

    #[test]
    fn names_in_parameters_are_quoted_when_needed_and_lose_quotes_and_controls() {
        assert_eq!(param_value("Ann Smith"), "Ann Smith");
        assert_eq!(param_value("Smith, Ann"), "\"Smith, Ann\"");
        assert_eq!(param_value("Ann \"Dr\" Smith\r\nX"), "Ann Dr SmithX");
        assert_eq!(param_value("a:b"), "\"a:b\"");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let line = format!("SUMMARY:{}", "Þjónusta með sálfræðingi ".repeat(8));
        let folded = fold(&line);
        assert!(folded.ends_with("\r\n"));
        let physical: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(physical.len() > 3, "{folded}");
        for (i, part) in physical.iter().enumerate() {
            assert!(part.len() <= 75, "line {i} has {} octets", part.len());
            if i > 0 {
                assert!(part.starts_with(' '));
            }
        }
        // Unfolding (drop each CRLF and the one space after it) gives the line back.
        assert_eq!(folded.trim_end_matches("\r\n").replace("\r\n ", ""), line);
    }

    #[test]
    fn a_short_line_is_left_whole() {
        assert_eq!(fold("VERSION:2.0"), "VERSION:2.0\r\n");
    }

    #[test]
    fn the_file_uses_crlf_and_parses_with_its_values_intact() {
        let e = event();
        let ics = e.to_ics();
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF in {ics}");
        assert!(ics.lines().all(|l| l.len() <= 76), "{ics}");

        let calendar = parse(&ics);
        assert_eq!(
            property(&calendar.properties, "METHOD").value.as_deref(),
            Some("REQUEST")
        );
        assert_eq!(
            property(&calendar.properties, "VERSION").value.as_deref(),
            Some("2.0")
        );
        assert_eq!(calendar.events.len(), 1);
        let props = &calendar.events[0].properties;
        assert_eq!(
            property(props, "UID").value.as_deref(),
            Some(e.uid.as_str())
        );
        assert_eq!(property(props, "SEQUENCE").value.as_deref(), Some("2"));
        assert_eq!(
            property(props, "DTSTART").value.as_deref(),
            Some("20260330T090000Z")
        );
        assert_eq!(
            property(props, "DTEND").value.as_deref(),
            Some("20260330T095000Z")
        );
        assert_eq!(
            property(props, "STATUS").value.as_deref(),
            Some("CONFIRMED")
        );
        // The folded Icelandic summary comes back whole (still escaped, as the parser leaves it).
        assert_eq!(
            property(props, "SUMMARY").value.as_deref(),
            Some(escape_text(&e.summary).as_str())
        );
        assert_eq!(
            property(props, "DESCRIPTION").value.as_deref(),
            Some("Line one\\nLine two\\, with a comma\\; and a \\\\ backslash")
        );
        let organizer = property(props, "ORGANIZER");
        assert_eq!(organizer.value.as_deref(), Some("mailto:ann@example.com"));
        let cn = organizer
            .params
            .as_ref()
            .and_then(|ps| ps.iter().find(|(k, _)| k == "CN"))
            .map(|(_, v)| v.join(","));
        assert_eq!(cn.as_deref(), Some("Smith, Ann Dr"));
        let attendee = property(props, "ATTENDEE");
        assert_eq!(attendee.value.as_deref(), Some("mailto:jon@example.is"));
        assert!(attendee.params.as_ref().is_some_and(|ps| ps
            .iter()
            .any(|(k, v)| k == "ROLE" && v == &["REQ-PARTICIPANT"])));
    }

    #[test]
    fn a_cancellation_says_cancel_and_cancelled() {
        let e = CalendarEvent {
            cancelled: true,
            sequence: 3,
            ..event()
        };
        assert_eq!(
            e.content_type(),
            "text/calendar; method=CANCEL; charset=UTF-8"
        );
        let calendar = parse(&e.to_ics());
        assert_eq!(
            property(&calendar.properties, "METHOD").value.as_deref(),
            Some("CANCEL")
        );
        let props = &calendar.events[0].properties;
        assert_eq!(
            property(props, "STATUS").value.as_deref(),
            Some("CANCELLED")
        );
        assert_eq!(property(props, "SEQUENCE").value.as_deref(), Some("3"));
    }
}
