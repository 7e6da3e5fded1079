//! Times as RFC 3339 text (UTC), the one formatter: it never returns an
//! empty string (a time the format cannot hold, outside years 0–9999, is
//! written as Unix seconds).

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// `t` as RFC 3339.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339)
        .unwrap_or_else(|_| format!("@{}", t.unix_timestamp()))
}

/// Unix seconds as RFC 3339.
pub fn rfc3339_unix(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix).map_or_else(|_| format!("@{unix}"), rfc3339)
}

/// Now, as RFC 3339.
pub fn now() -> String {
    rfc3339(OffsetDateTime::now_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_empty() {
        assert_eq!(rfc3339_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_unix(i64::MAX), format!("@{}", i64::MAX));
        let last = OffsetDateTime::from_unix_timestamp(253_402_300_799).unwrap();
        assert_eq!(rfc3339(last), "9999-12-31T23:59:59Z");
    }
}
