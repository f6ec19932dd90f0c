//! The parsers of national identifiers and phone numbers (`core::ids`), and their masks, on any
//! text, with properties: whatever parses is in the canonical form (parsing it again gives it
//! back unchanged), a parsed ID number is 18 characters with a real birth date and its check
//! digit, a parsed credit code has its check character, a parsed phone is digits (one dash for a
//! landline), and a mask never panics and hides the middle of an ID number.
#![no_main]

use libfuzzer_sys::fuzz_target;
use skillbridge_core::ids::{
    credit_check_char, id_check_char, mask_address, mask_email, mask_id_number, mask_phone,
    normalize_text, parse_credit_code, parse_id_number, parse_phone,
};
use skillbridge_core::schema::{mask, Pii};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let n = normalize_text(s);
    assert_eq!(normalize_text(&n), n, "normalize_text is idempotent");

    if let Ok(id) = parse_id_number(s) {
        assert_eq!(id.len(), 18);
        assert_eq!(parse_id_number(&id).as_deref(), Ok(id.as_str()));
        let (body, check) = id.split_at(17);
        assert_eq!(id_check_char(body).map(String::from).as_deref(), Some(check));
        let birth = format!("{}-{}-{}", &body[6..10], &body[10..12], &body[12..14]);
        assert!(skillbridge_core::dates::parse_date(&birth).is_ok(), "{birth}");
        let masked = mask_id_number(&id);
        assert_eq!(masked.chars().count(), 18);
        assert_eq!(&masked[4..14], "**********");
    }
    if let Ok(code) = parse_credit_code(s) {
        assert_eq!(code.chars().count(), 18);
        assert_eq!(parse_credit_code(&code).as_deref(), Ok(code.as_str()));
        let body: String = code.chars().take(17).collect();
        assert_eq!(credit_check_char(&body), code.chars().last());
    }
    if let Ok(phone) = parse_phone(s) {
        assert_eq!(parse_phone(&phone).as_deref(), Ok(phone.as_str()));
        assert!(phone.bytes().all(|b| b.is_ascii_digit() || b == b'-'));
        assert!(phone.bytes().filter(|&b| b == b'-').count() <= 1);
        let masked = mask_phone(&phone);
        assert_ne!(masked, phone, "a phone number is masked");
    }
    // Masks take any stored or shown text, parsed or not.
    let _ = (mask_id_number(s), mask_phone(s), mask_email(s), mask_address(s));
    for p in [Pii::None, Pii::IdNumber, Pii::Phone, Pii::Address, Pii::Email] {
        let _ = mask(p, s);
    }
});
