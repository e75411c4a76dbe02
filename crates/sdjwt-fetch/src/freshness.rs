//! Freshness of a response from its caching header fields (RFC 9111 §4.2), as a private
//! cache computes it.
//!
//! SD-JWT VC §"Retrieving Documents and Resources via HTTP": "the freshness and reuse of
//! retrieved documents and resources is governed by the HTTP caching model [RFC 9111]".
//! This crate never revalidates (no conditional requests), so a response is either fresh for
//! a computed lifetime or not reusable at all.

use crate::resolver::FetchResponse;

/// The caching header field values of a response: what [`FetchResponse::with_cache_headers`]
/// reads. Each is the raw field value; several `Cache-Control` field lines are given joined
/// with `", "` (RFC 9110 §5.3). For `Expires`, `Date` and `Age` the first field line is used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheHeaders<'a> {
    /// `Cache-Control` (RFC 9111 §5.2).
    pub cache_control: Option<&'a str>,
    /// `Expires` (RFC 9111 §5.3).
    pub expires: Option<&'a str>,
    /// `Date` (RFC 9110 §6.6.1).
    pub date: Option<&'a str>,
    /// `Age` (RFC 9111 §5.1).
    pub age: Option<&'a str>,
}

/// RFC 9111 §1.2.2: a delta-seconds value too large to represent is taken as 2^31.
const DELTA_SECONDS_CAP: u64 = 2_147_483_648;

impl FetchResponse {
    /// Sets [`FetchResponse::fresh_until`] and [`FetchResponse::no_store`] from the caching
    /// headers of the response, for a private cache that does not revalidate (RFC 9111 §4.2):
    ///
    /// * `no-store` → [`FetchResponse::no_store`] (never kept);
    /// * `no-cache` (with or without field names), a `max-age` that is not delta-seconds or
    ///   that appears twice with different values, or a `Cache-Control` that is not valid
    ///   list syntax → fresh until `fetched_at` (stale at once: RFC 9111 §4.2.1 encourages
    ///   treating invalid freshness information as stale, and revalidation is not done);
    /// * `max-age=N` → `N` seconds; `s-maxage` is ignored (a shared-cache directive, §5.2.2.10)
    ///   and so are `public`, `private`, `must-revalidate` and unknown directives;
    /// * otherwise `Expires` − `Date` (or − `fetched_at` without a valid `Date`); an `Expires`
    ///   that is not a valid HTTP-date (such as `0`) means already expired (§5.3);
    /// * no `max-age` and no `Expires` → `None`: no explicit lifetime (the cache decides; no
    ///   heuristic freshness is computed here).
    ///
    /// The lifetime is reduced by a valid `Age` (§4.2.3, without clock corrections).
    #[must_use]
    pub fn with_cache_headers(mut self, headers: &CacheHeaders<'_>) -> Self {
        let directives = headers
            .cache_control
            .map(Directives::parse)
            .unwrap_or_default();
        let fetched_at = self.fetched_at;
        self.no_store = directives.no_store;
        let lifetime = if directives.no_store || directives.no_cache || directives.invalid {
            Some(0)
        } else if let Some(max_age) = directives.max_age {
            Some(max_age)
        } else if let Some(expires) = headers.expires {
            match parse_http_date(expires, fetched_at) {
                Some(expires) => {
                    let date = headers
                        .date
                        .and_then(|date| parse_http_date(date, fetched_at))
                        .unwrap_or(fetched_at);
                    Some(expires.saturating_sub(date))
                }
                None => Some(0),
            }
        } else {
            None
        };
        let age = headers.age.and_then(parse_delta_seconds).unwrap_or(0);
        self.fresh_until =
            lifetime.map(|lifetime| fetched_at.saturating_add(lifetime.saturating_sub(age)));
        self
    }
}

/// The `Cache-Control` directives a private, non-revalidating cache acts on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Directives {
    no_store: bool,
    no_cache: bool,
    max_age: Option<u64>,
    /// Syntax error, invalid `max-age`, or conflicting `max-age` values.
    invalid: bool,
}

/// RFC 9110 §5.6.2 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}

impl Directives {
    /// Parses `#cache-directive` (RFC 9111 §5.2): `token [ "=" ( token / quoted-string ) ]`,
    /// comma-separated with optional whitespace. Directive names are case-insensitive; both
    /// argument forms are accepted (§5.2: recipients SHOULD accept both).
    fn parse(value: &str) -> Self {
        let bytes = value.as_bytes();
        let mut directives = Self::default();
        let mut i = 0;
        let at = |i: usize| bytes.get(i).copied();
        loop {
            while matches!(at(i), Some(b' ' | b'\t' | b',')) {
                i += 1;
            }
            if at(i).is_none() {
                break;
            }
            let name_start = i;
            while at(i).is_some_and(is_tchar) {
                i += 1;
            }
            let name = value.get(name_start..i).unwrap_or_default();
            if name.is_empty() {
                directives.invalid = true;
                break;
            }
            let mut argument = None;
            if at(i) == Some(b'=') {
                i += 1;
                if at(i) == Some(b'"') {
                    i += 1;
                    let mut text = String::new();
                    loop {
                        match at(i) {
                            None => {
                                directives.invalid = true;
                                return directives;
                            }
                            Some(b'"') => {
                                i += 1;
                                break;
                            }
                            Some(b'\\') => {
                                if let Some(escaped) = at(i + 1) {
                                    text.push(char::from(escaped));
                                }
                                i += 2;
                            }
                            Some(b) => {
                                text.push(char::from(b));
                                i += 1;
                            }
                        }
                    }
                    argument = Some(text);
                } else {
                    let start = i;
                    while at(i).is_some_and(is_tchar) {
                        i += 1;
                    }
                    if start == i {
                        directives.invalid = true;
                        break;
                    }
                    argument = value.get(start..i).map(str::to_owned);
                }
            }
            while matches!(at(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            if !matches!(at(i), None | Some(b',')) {
                directives.invalid = true;
                break;
            }
            directives.apply(name, argument.as_deref());
        }
        directives
    }

    fn apply(&mut self, name: &str, argument: Option<&str>) {
        if name.eq_ignore_ascii_case("no-store") {
            self.no_store = true;
        } else if name.eq_ignore_ascii_case("no-cache") {
            self.no_cache = true;
        } else if name.eq_ignore_ascii_case("max-age") {
            match argument.and_then(parse_delta_seconds) {
                Some(seconds) => match self.max_age {
                    Some(previous) if previous != seconds => self.invalid = true,
                    _ => self.max_age = Some(seconds),
                },
                None => self.invalid = true,
            }
        }
    }
}

/// RFC 9111 §1.2.2 `delta-seconds = 1*DIGIT`, capped at 2^31.
fn parse_delta_seconds(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(
        text.parse::<u64>()
            .map_or(DELTA_SECONDS_CAP, |v| v.min(DELTA_SECONDS_CAP)),
    )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Parses an HTTP-date (RFC 9110 §5.6.7) in any of its three formats, to Unix time:
///
/// ```text
/// IMF-fixdate  Sun, 06 Nov 1994 08:49:37 GMT
/// rfc850-date  Sunday, 06-Nov-94 08:49:37 GMT
/// asctime      Sun Nov  6 08:49:37 1994
/// ```
///
/// A two-digit rfc850 year more than 50 years after the year of `now` is taken as the most
/// recent such year in the past. Dates before 1970 give 0. The weekday must be a valid name
/// but is not checked against the date.
fn parse_http_date(text: &str, now: u64) -> Option<u64> {
    let text = text.trim_matches([' ', '\t']);
    let (year, month, day, time) = if let Some((weekday, rest)) = text.split_once(", ") {
        let mut parts = rest.split(' ');
        let first = parts.next()?;
        if DAYS.contains(&weekday) {
            // IMF-fixdate.
            let (month, year, time, zone) =
                (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || zone != "GMT" || first.len() != 2 || year.len() != 4 {
                return None;
            }
            (number(year)?, month_number(month)?, number(first)?, time)
        } else if LONG_DAYS.contains(&weekday) {
            // rfc850-date.
            let (time, zone) = (parts.next()?, parts.next()?);
            if parts.next().is_some() || zone != "GMT" {
                return None;
            }
            let mut date = first.split('-');
            let (day, month, yy) = (date.next()?, date.next()?, date.next()?);
            if date.next().is_some() || day.len() != 2 || yy.len() != 2 {
                return None;
            }
            let this_year = civil_from_days(now / 86_400);
            let mut year = this_year - this_year % 100 + number(yy)?;
            if year > this_year + 50 {
                year -= 100;
            }
            (year, month_number(month)?, number(day)?, time)
        } else {
            return None;
        }
    } else {
        // asctime-date: wkday SP date3 SP time-of-day SP year, date3 = month SP ( 2DIGIT / ( SP DIGIT ) ).
        let mut parts = text.split(' ').filter(|part| !part.is_empty());
        let (weekday, month, day, time, year) = (
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
        );
        if parts.next().is_some() || !DAYS.contains(&weekday) || day.len() > 2 || year.len() != 4 {
            return None;
        }
        (number(year)?, month_number(month)?, number(day)?, time)
    };
    let mut hms = time.split(':');
    let (h, m, s) = (hms.next()?, hms.next()?, hms.next()?);
    if hms.next().is_some() || h.len() != 2 || m.len() != 2 || s.len() != 2 {
        return None;
    }
    let (h, m, s) = (number(h)?, number(m)?, number(s)?);
    if h > 23 || m > 59 || s > 60 || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if year < 1970 {
        return Some(0);
    }
    let days = days_from_civil(year, month, day)?;
    Some(days * 86_400 + h * 3600 + m * 60 + s.min(59))
}

fn number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn month_number(text: &str) -> Option<u64> {
    MONTHS
        .iter()
        .position(|m| *m == text)
        .and_then(|i| u64::try_from(i + 1).ok())
}

fn is_leap(year: u64) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`);
/// 0 for earlier dates.
fn days_from_civil(year: u64, month: u64, day: u64) -> Option<u64> {
    if year < 1970 {
        return Some(0);
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).checked_sub(719_468)
}

/// The year of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> u64 {
    let z = days.saturating_add(719_468);
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let year = yoe + era * 400;
    if mp >= 10 { year + 1 } else { year }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Tests: a failure names what broke.

    use super::*;

    /// 2024-06-01T00:00:00Z.
    const NOW: u64 = 1_717_200_000;

    fn freshness(headers: CacheHeaders<'_>) -> (Option<u64>, bool) {
        let response = FetchResponse::new(Vec::new(), None, NOW).with_cache_headers(&headers);
        (response.fresh_until, response.no_store)
    }

    fn cc(value: &str) -> (Option<u64>, bool) {
        freshness(CacheHeaders {
            cache_control: Some(value),
            ..CacheHeaders::default()
        })
    }

    #[test]
    fn cache_control() {
        assert_eq!(cc("max-age=3600"), (Some(NOW + 3600), false));
        assert_eq!(cc("MAX-AGE=60, public"), (Some(NOW + 60), false));
        assert_eq!(cc("private, max-age=\"60\""), (Some(NOW + 60), false));
        assert_eq!(cc("max-age=0"), (Some(NOW), false));
        assert_eq!(cc("s-maxage=600"), (None, false));
        assert_eq!(cc("s-maxage=600, max-age=5"), (Some(NOW + 5), false));
        assert_eq!(cc("no-store"), (Some(NOW), true));
        assert_eq!(cc("max-age=3600, no-store"), (Some(NOW), true));
        assert_eq!(cc("no-cache"), (Some(NOW), false));
        assert_eq!(
            cc("no-cache=\"Set-Cookie, X\", max-age=60"),
            (Some(NOW), false)
        );
        assert_eq!(cc("max-age=60,max-age=60"), (Some(NOW + 60), false));
        assert_eq!(cc("max-age=60, max-age=120"), (Some(NOW), false));
        assert_eq!(cc("max-age=-1"), (Some(NOW), false));
        assert_eq!(cc("max-age=1.5"), (Some(NOW), false));
        assert_eq!(cc("max-age"), (Some(NOW), false));
        assert_eq!(cc("max-age="), (Some(NOW), false));
        assert_eq!(cc("max-age = 60"), (Some(NOW), false));
        assert_eq!(cc("max-age=60 x"), (Some(NOW), false));
        assert_eq!(cc("max-age=\"60"), (Some(NOW), false));
        assert_eq!(cc("=60"), (Some(NOW), false));
        assert_eq!(
            cc("max-age=99999999999999999999999"),
            (Some(NOW + DELTA_SECONDS_CAP), false)
        );
        assert_eq!(cc(""), (None, false));
        assert_eq!(cc(" , ,"), (None, false));
        assert_eq!(cc("immutable, must-revalidate"), (None, false));
        assert_eq!(cc("ext=\"a\\\"b\", max-age=7"), (Some(NOW + 7), false));
    }

    #[test]
    fn expires_date_age() {
        let headers = CacheHeaders {
            expires: Some("Sat, 01 Jun 2024 01:00:00 GMT"),
            ..CacheHeaders::default()
        };
        assert_eq!(freshness(headers), (Some(NOW + 3600), false));
        // Lifetime is Expires - Date, applied from the time of receipt (clock skew).
        let headers = CacheHeaders {
            expires: Some("Sat, 01 Jun 2024 01:00:00 GMT"),
            date: Some("Sat, 01 Jun 2024 00:30:00 GMT"),
            ..CacheHeaders::default()
        };
        assert_eq!(freshness(headers), (Some(NOW + 1800), false));
        // max-age wins over Expires.
        let headers = CacheHeaders {
            cache_control: Some("max-age=10"),
            expires: Some("Sat, 01 Jun 2024 01:00:00 GMT"),
            ..CacheHeaders::default()
        };
        assert_eq!(freshness(headers), (Some(NOW + 10), false));
        // An invalid Expires means already expired.
        let headers = CacheHeaders {
            expires: Some("0"),
            ..CacheHeaders::default()
        };
        assert_eq!(freshness(headers), (Some(NOW), false));
        // Past Expires.
        let headers = CacheHeaders {
            expires: Some("Fri, 31 May 2024 00:00:00 GMT"),
            ..CacheHeaders::default()
        };
        assert_eq!(freshness(headers), (Some(NOW), false));
        // Age reduces the lifetime, never below zero.
        let headers = CacheHeaders {
            cache_control: Some("max-age=100"),
            age: Some("30"),
            ..CacheHeaders::default()
        };
        assert_eq!(freshness(headers), (Some(NOW + 70), false));
        let headers = CacheHeaders {
            cache_control: Some("max-age=100"),
            age: Some("300"),
            ..CacheHeaders::default()
        };
        assert_eq!(freshness(headers), (Some(NOW), false));
        let headers = CacheHeaders {
            cache_control: Some("max-age=100"),
            age: Some("x"),
            ..CacheHeaders::default()
        };
        assert_eq!(freshness(headers), (Some(NOW + 100), false));
        assert_eq!(freshness(CacheHeaders::default()), (None, false));
    }

    #[test]
    fn calendar() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2000, 3, 1), Some(11_017));
        assert_eq!(days_from_civil(2024, 6, 1), Some(NOW / 86_400));
        assert_eq!(civil_from_days(0), 1970);
        assert_eq!(civil_from_days(NOW / 86_400), 2024);
        assert_eq!(civil_from_days(19_722), 2023); // 2023-12-31
        assert_eq!(civil_from_days(19_723), 2024); // 2024-01-01
        assert!(civil_from_days(u64::MAX / 86_400) > 500_000_000_000);
    }

    #[test]
    fn http_dates() {
        // RFC 9110 §5.6.7 example, all three formats: 784111777.
        for text in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(parse_http_date(text, NOW), Some(784_111_777), "{text}");
        }
        assert_eq!(
            parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT", NOW),
            Some(0)
        );
        assert_eq!(
            parse_http_date("Sat, 01 Jun 2024 00:00:00 GMT", NOW),
            Some(NOW)
        );
        assert_eq!(
            parse_http_date("Thu, 29 Feb 2024 12:00:00 GMT", NOW),
            Some(1_709_208_000)
        );
        assert_eq!(
            parse_http_date("Wed, 31 Dec 1969 23:59:59 GMT", NOW),
            Some(0)
        );
        // Two-digit years: 2024 + 50 = 2074 is the latest year taken as in the future.
        assert_eq!(
            parse_http_date("Monday, 01-Jan-74 00:00:00 GMT", NOW),
            parse_http_date("Mon, 01 Jan 2074 00:00:00 GMT", NOW)
        );
        assert_eq!(
            parse_http_date("Monday, 01-Jan-75 00:00:00 GMT", NOW),
            Some(157_766_400)
        );
        for bad in [
            "",
            "0",
            "-1",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Sun, 29 Feb 2023 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT x",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sun Nov  6 08:49:37 94",
            "1994-11-06T08:49:37Z",
        ] {
            assert_eq!(parse_http_date(bad, NOW), None, "{bad}");
        }
    }
}
