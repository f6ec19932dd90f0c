//! Inputs the `ids` fuzz target (fuzz/fuzz_targets/ids.rs) found, kept as regression tests: the
//! same properties, on the minimised inputs.

use skillbridge_core::ids::{mask_phone, normalize_text, parse_phone};

/// Whatever parses as a phone parses again to itself, is digits with at most one dash, and is
/// masked.
fn phone_properties(s: &str) {
    let n = normalize_text(s);
    assert_eq!(normalize_text(&n), n, "normalize_text is idempotent");
    if let Ok(phone) = parse_phone(s) {
        assert_eq!(parse_phone(&phone).as_deref(), Ok(phone.as_str()), "{s:?}");
        assert!(phone.bytes().all(|b| b.is_ascii_digit() || b == b'-'));
        assert!(phone.bytes().filter(|&b| b == b'-').count() <= 1);
        assert_ne!(
            mask_phone(&phone),
            phone,
            "a phone number is masked: {phone:?}"
        );
    }
}

#[test]
fn vertical_tabs_before_a_landline_number() {
    // crash-1ef5c70d3f5a588d06efb52d695b0e3fea924675 (seed 20261207).
    let s = format!("{}00-86800834", "\u{b}".repeat(32));
    phone_properties(&s);
}

#[test]
fn an_area_code_never_starts_with_the_international_prefix() {
    assert!(parse_phone("00-86800834").is_err());
    assert!(parse_phone("0086800834").is_err());
    // Real landlines and the country code still parse.
    assert_eq!(parse_phone("023-6865 1234").as_deref(), Ok("023-68651234"));
    assert_eq!(
        parse_phone("0086 023 68651234").as_deref(),
        Ok("023-68651234")
    );
    assert_eq!(
        parse_phone("+86 138 0000 1234").as_deref(),
        Ok("13800001234")
    );
}
