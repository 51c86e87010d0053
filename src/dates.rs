//! Dates and times as Quire stores and reads them: "now" as RFC 3339 UTC text, today's date,
//! YYYY-MM-DD dates typed by people, and calendar months added the way review cadences mean them.
//! Every layer uses these (the library, assessments, reports, the team sync), so they live at
//! the bottom, beside `error`.

use crate::error::{Error, Result};
use time::{Date, OffsetDateTime};

/// Now, as stored in the library (RFC 3339, UTC).
pub fn now_text() -> String {
    OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

/// Today's date (UTC).
pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// `date` plus whole months, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29).
pub fn add_months(date: Date, months: u32) -> Date {
    let total = date.year() * 12 + (date.month() as i32 - 1) + months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = time::Month::try_from(month0 as u8 + 1).unwrap_or(time::Month::January);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

/// Parses a YYYY-MM-DD date given by a user.
pub fn parse_date(s: &str) -> Result<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &fmt).map_err(|_| Error::invalid("dates.date_write_yyyy_mm", format!("{s:?} is not a date; write it as YYYY-MM-DD, e.g. 2027-01-31")))
}

/// The date at the start of `s` (a date, or a timestamp such as `now_text` writes), if any.
pub fn date_prefix(s: &str) -> Option<Date> {
    parse_date(s.get(..10).unwrap_or(s)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, dd: u8) -> Date {
        Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), dd).unwrap()
    }

    #[test]
    fn months_are_added_calendar_wise() {
        assert_eq!(add_months(d(2026, 1, 31), 1), d(2026, 2, 28));
        assert_eq!(add_months(d(2028, 1, 31), 1), d(2028, 2, 29));
        assert_eq!(add_months(d(2026, 11, 23), 12), d(2027, 11, 23));
        assert_eq!(add_months(d(2026, 12, 1), 1), d(2027, 1, 1));
    }

    #[test]
    fn dates_are_read_as_people_type_them() {
        assert_eq!(parse_date(" 2027-01-31 ").unwrap(), d(2027, 1, 31));
        let err = parse_date("31/01/2027").unwrap_err().to_string();
        assert!(err.contains("YYYY-MM-DD"), "{err}");
        assert!(parse_date("2027-02-30").is_err());
        assert_eq!(date_prefix("2026-12-02T13:00:00Z"), Some(d(2026, 12, 2)));
        assert_eq!(date_prefix("soon"), None);
    }

    #[test]
    fn now_is_rfc3339_utc() {
        let now = now_text();
        assert!(now.ends_with('Z') && now.len() >= 20, "{now}");
        assert_eq!(date_prefix(&now), Some(today()));
    }
}
