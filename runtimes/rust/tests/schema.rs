//! JSON Schema semantics: exact numbers, code-point lengths, ECMA-262 patterns, formats, JSON
//! equality, deserialisation with JSON Schema's types, and CloudEvents time.

use std::cmp::Ordering;

use specgen_runtime::schema::{self, Num, Path};
use specgen_runtime::Timestamp;

fn number(text: &str) -> serde_json::Number {
    text.parse().expect("a JSON number")
}

#[test]
fn numbers_compare_exactly_across_integers_and_floats() {
    assert_eq!(
        schema::compare(Num::Int(1), Num::Float(1.0)),
        Ordering::Equal
    );
    let above = schema::compare(
        Num::Int(9_007_199_254_740_993),
        Num::Float(9_007_199_254_740_992.0),
    );
    assert_eq!(above, Ordering::Greater);
    assert_eq!(
        schema::compare(Num::Float(0.5), Num::Int(1)),
        Ordering::Less
    );
    let root = Path::ROOT;
    assert!(schema::exclusive_minimum(&number("0"), Num::Int(0), &root).is_err());
    assert!(schema::maximum(&number("10.0"), Num::Int(10), &root).is_ok());
}

#[test]
fn multiple_of_is_exact_for_decimals() {
    let root = Path::ROOT;
    assert!(schema::multiple_of(&number("0.0075"), Num::Float(0.0001), &root).is_ok());
    assert!(schema::multiple_of(&number("0.3"), Num::Float(0.1), &root).is_ok());
    assert!(schema::multiple_of(&number("19.99"), Num::Float(0.01), &root).is_ok());
    assert!(schema::multiple_of(&number("0.0075"), Num::Float(0.001), &root).is_err());
    assert!(schema::multiple_of(&7_u32, Num::Int(2), &root).is_err());
}

#[test]
fn lengths_count_code_points_and_errors_name_the_path() {
    let root = Path::ROOT;
    let items = root.key("items");
    let first = items.index(0);
    assert!(schema::max_length("\u{1f600}\u{1f600}", 2, &first).is_ok());
    let error = schema::min_length("ab", 3, &first.key("name")).expect_err("too short");
    assert_eq!(
        error.to_string(),
        "items.0.name: must have at least 3 characters"
    );
}

#[test]
fn patterns_have_ecma_262_meaning() {
    static DIGITS: schema::Pattern = schema::Pattern::new("^\\d+$");
    static ANY: schema::Pattern = schema::Pattern::new("^.$");
    let root = Path::ROOT;
    assert!(schema::pattern("123", &DIGITS, &root).is_ok());
    assert!(
        schema::pattern("\u{665}", &DIGITS, &root).is_err(),
        "\\d is ASCII only"
    );
    assert!(
        schema::pattern("\u{2028}", &ANY, &root).is_err(),
        ". excludes line terminators"
    );
    assert_eq!(DIGITS.source(), "^\\d+$");
}

#[test]
fn formats_follow_the_python_runtime() {
    let root = Path::ROOT;
    for (value, format, ok) in [
        ("2016-12-31T23:59:60Z", "date-time", true),
        ("2016-12-31 23:59:59", "date-time", false),
        ("2024-02-29", "date", true),
        ("2023-02-29", "date", false),
        ("12:00:00+01:00", "time", true),
        ("8c9f0f5e-5b33-4c1f-9a3b-0c8f2f1e6d7a", "uuid", true),
        ("https://example.com/a?b", "uri", true),
        ("no scheme", "uri", false),
        ("256.1.1.1", "ipv4", false),
        ("::1", "ipv6", true),
        ("anything", "unknown-format", true),
    ] {
        assert_eq!(
            schema::format(value, format, &root).is_ok(),
            ok,
            "{value} as {format}"
        );
    }
}

#[test]
fn literals_and_unique_items_use_json_equality() {
    static ALLOWED: schema::Literals = schema::Literals::new("[1, \"a\", {\"k\": [true]}]");
    let root = Path::ROOT;
    assert!(schema::literal(&serde_json::json!(1.0), &ALLOWED, &root).is_ok());
    assert!(schema::literal(&serde_json::json!({"k": [true]}), &ALLOWED, &root).is_ok());
    assert!(schema::literal(&serde_json::json!(2), &ALLOWED, &root).is_err());
    assert!(schema::unique_items(&[number("1"), number("1.0")], &root).is_err());
    assert!(schema::literal_str("b", &["a", "b"], &root).is_ok());
}

#[test]
fn integers_may_be_written_as_integral_floats_but_never_null() {
    assert_eq!(schema::from_slice::<u32>(b"7.0").ok(), Some(7));
    assert!(schema::from_slice::<u32>(b"7.5").is_err());
    assert!(schema::from_slice::<u32>(b"-1").is_err());
    assert!(schema::from_slice::<i64>(b"true").is_err());
    assert!(schema::from_slice::<u32>(b"null").is_err());
    assert_eq!(schema::from_slice::<Option<u32>>(b"null").ok(), Some(None));
    assert!(
        schema::from_slice::<u32>(b"1 2").is_err(),
        "one value, nothing after it"
    );
}

#[test]
fn timestamps_are_utc_with_microseconds() {
    let t = Timestamp::parse("2026-01-02T05:04:05.1234567+02:00").expect("RFC 3339");
    assert_eq!(t.to_string(), "2026-01-02T03:04:05.123456Z");
    assert_eq!(
        Timestamp::parse("1970-01-01T00:00:00Z").map(|t| t.unix_micros()),
        Some(0)
    );
    assert_eq!(
        Timestamp::from_unix_micros(-1).to_string(),
        "1969-12-31T23:59:59.999999Z"
    );
    assert!(Timestamp::parse("2023-02-29T00:00:00Z").is_none());
    assert!(Timestamp::parse("2026-01-02T03:04:05").is_none());
}
