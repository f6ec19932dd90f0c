//! National identifiers: resident ID numbers (GB 11643), unified social credit codes (GB 32100),
//! phone numbers, and how each is masked.
//!
//! These parse at the edge: anything that reaches storage has passed through here, so a stored
//! value always has a valid check character. Parsing also normalises what spreadsheets and phones
//! produce: full-width digits and letters, a lowercase `x`, spaces and dashes.

/// Converts full-width ASCII variants (Ｕ+FF01..FF5E) and the ideographic space to ASCII, and trims.
pub fn normalize_text(s: &str) -> String {
    // Most cells have nothing to convert: trim once and copy. (The ideographic space is
    // whitespace to `trim` too, so trimming first gives the same result.)
    if !s
        .chars()
        .any(|c| matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}'))
    {
        return s.trim().to_string();
    }
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect();
    mapped.trim().to_string()
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// Computes the ISO 7064 MOD 11-2 check character of the first 17 digits of an ID number.
pub fn id_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(ID_CHECK[(sum % 11) as usize] as char)
}

/// Parses an 18-character resident ID number: 17 digits, a valid birth date, and the check digit.
pub fn parse_id_number(raw: &str) -> Result<String, &'static str> {
    let s: String = normalize_text(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if s.len() != 18 || !s.is_ascii() {
        return Err("must be 18 characters");
    }
    let (body, check) = s.split_at(17);
    if !body.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the first 17 characters must be digits");
    }
    let birth = &body[6..14];
    if crate::dates::parse_date(&format!("{}-{}-{}", &birth[..4], &birth[4..6], &birth[6..]))
        .is_err()
        || &birth[..4] < "1900"
    {
        return Err("the birth date inside it is not a real date");
    }
    match id_check_char(body) {
        Some(c) if check.starts_with(c) => Ok(s),
        _ => Err("the check digit does not match"),
    }
}

/// `5001**********123X`: the first four and last four characters stay.
pub fn mask_id_number(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

const USCC_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Computes the GB 32100 check character of the first 17 characters of a credit code.
pub fn credit_check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(USCC_WEIGHTS) {
        sum += USCC_CHARS.find(c)? as u32 * w;
    }
    let check = (31 - sum % 31) % 31;
    USCC_CHARS.chars().nth(check as usize)
}

/// Parses an 18-character unified social credit code and checks its check character.
pub fn parse_credit_code(raw: &str) -> Result<String, &'static str> {
    let s = normalize_text(raw).to_ascii_uppercase();
    if s.chars().count() != 18 {
        return Err("must be 18 characters");
    }
    if let Some(bad) = s.chars().find(|c| !USCC_CHARS.contains(*c)) {
        let _ = bad;
        return Err("contains a character not allowed in a credit code (I, O, S, V, Z)");
    }
    let body: String = s.chars().take(17).collect();
    match credit_check_char(&body) {
        Some(c) if s.ends_with(c) => Ok(s),
        _ => Err("the check character does not match"),
    }
}

/// Parses a mainland mobile number (11 digits starting 13–19, `+86` allowed) or a landline
/// with its area code (`023-12345678`). Returns digits only, the landline with one dash.
pub fn parse_phone(raw: &str) -> Result<String, &'static str> {
    let s: String = normalize_text(raw)
        .chars()
        .filter(|c| !matches!(c, ' ' | '(' | ')'))
        .collect();
    let s = s
        .strip_prefix("+86")
        .or_else(|| s.strip_prefix("0086"))
        .unwrap_or(&s)
        .trim_start_matches('-')
        .to_string();
    let digits: String = s.chars().filter(|c| *c != '-').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("must contain only digits");
    }
    let b = digits.as_bytes();
    if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) {
        return Ok(digits);
    }
    // A landline: an area code of 0 and a non-zero digit (`00` is the international prefix, so
    // `0086…` that survived the country-code strip is no area code).
    if b.first() == Some(&b'0') && b.get(1) != Some(&b'0') && (10..=12).contains(&b.len()) {
        // Area codes are 3 digits for the large cities (010, 02x) and 4 elsewhere.
        let area = if b[1] == b'1' || b[1] == b'2' { 3 } else { 4 };
        return Ok(format!("{}-{}", &digits[..area], &digits[area..]));
    }
    Err("is not a mainland mobile (11 digits) or landline with area code")
}

/// `138****5678` for a mobile; a landline keeps its area code and last four digits.
pub fn mask_phone(s: &str) -> String {
    if let Some((area, num)) = s.split_once('-') {
        // Counted in characters: the text masked may be anything a cell held (a formula shown
        // in an import's report), not only a parsed number.
        let keep = num.chars().count().saturating_sub(4);
        let tail: String = num.chars().skip(keep).collect();
        return format!("{area}-{}{tail}", "*".repeat(keep));
    }
    if s.len() == 11 && s.is_ascii() {
        return format!("{}****{}", &s[..3], &s[7..]);
    }
    "*".repeat(s.chars().count())
}

/// An e-mail address keeps the first character of its local part and its domain; the rest of
/// the local part becomes three stars, whatever its length (which would be a hint).
pub fn mask_email(s: &str) -> String {
    match s.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "*".repeat(s.chars().count().max(3)),
    }
}

/// An address keeps its first six characters (province and city) and hides the rest.
pub fn mask_address(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let keep = chars.len().min(6);
    let head: String = chars[..keep].iter().collect();
    if chars.len() > keep {
        format!("{head}****")
    } else {
        head
    }
}

/// Builds a valid ID number from a 6-digit region, a birth date `YYYYMMDD` and a 3-digit sequence.
/// Used by tests and the demo generator.
pub fn make_id_number(region: &str, birth: &str, seq: u32) -> String {
    let body = format!("{region}{birth}{:03}", seq % 1000);
    let check = id_check_char(&body).expect("17 digits");
    format!("{body}{check}")
}

/// Builds a valid credit code from its first 17 characters. Used by tests and the demo generator.
pub fn make_credit_code(first17: &str) -> String {
    let check = credit_check_char(first17).expect("17 valid characters");
    format!("{first17}{check}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_number_check_digit_from_the_standard_example() {
        // GB 11643-1999 appendix example.
        assert_eq!(
            parse_id_number("11010519491231002X").unwrap(),
            "11010519491231002X"
        );
        assert_eq!(
            parse_id_number("11010519491231002x").unwrap(),
            "11010519491231002X"
        );
        assert_eq!(
            parse_id_number("１１０１０５１９４９１２３１００２Ｘ").unwrap(),
            "11010519491231002X"
        );
        assert_eq!(
            parse_id_number("110105194912310021"),
            Err("the check digit does not match")
        );
        assert!(parse_id_number("1101051949123100").is_err());
        assert!(parse_id_number("11010519491331002X").is_err(), "month 13");
    }

    #[test]
    fn generated_id_numbers_validate() {
        for seq in 0..200 {
            let id = make_id_number("500101", "20050917", seq);
            assert_eq!(parse_id_number(&id).unwrap(), id);
        }
    }

    #[test]
    fn credit_code_check_character() {
        assert_eq!(
            parse_credit_code("911100007109312317").unwrap(),
            "911100007109312317"
        );
        assert!(parse_credit_code("911100007109312318").is_err());
        let code = make_credit_code("91500000MA5U0RTU1");
        assert_eq!(parse_credit_code(&code).unwrap(), code);
        let mut wrong = code.clone();
        let last = wrong.pop().unwrap();
        wrong.push(if last == '0' { '1' } else { '0' });
        assert_eq!(
            parse_credit_code(&wrong),
            Err("the check character does not match")
        );
        assert!(
            parse_credit_code("91500000MA5U0RTUI0").is_err(),
            "I is not allowed"
        );
        assert_eq!(
            parse_credit_code("914403001922038216").unwrap(),
            "914403001922038216"
        ); // 华为技术有限公司, published
    }

    #[test]
    fn phones_parse_and_mask() {
        assert_eq!(parse_phone("138 1234 5678").unwrap(), "13812345678");
        assert_eq!(parse_phone("+8613812345678").unwrap(), "13812345678");
        assert_eq!(parse_phone("023-68001234").unwrap(), "023-68001234");
        assert_eq!(parse_phone("02368001234").unwrap(), "023-68001234");
        assert!(parse_phone("12812345678").is_err());
        assert!(parse_phone("1381234567a").is_err());
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("023-68001234"), "023-****1234");
    }

    /// Found by the `ids` fuzz target (fuzz/): the mask of a landline cut the text after the
    /// dash at a byte offset, which panicked inside a multi-byte character. An import reaches it
    /// with a formula such as `=A1-中中` (a defined name) in a phone column, shown masked in the report.
    #[test]
    fn phone_mask_takes_any_text_after_a_dash() {
        assert_eq!(
            mask_phone("\0\0\0\0\0\0\0-\0(\u{37e}1\u{10}\u{10}"),
            "\0\0\0\0\0\0\0-**\u{37e}1\u{10}\u{10}"
        );
        assert_eq!(mask_phone("=A1-中中"), "=A1-中中");
        assert_eq!(mask_phone("=A1-\"中中\"x"), "=A1-*中中\"x");
    }

    #[test]
    fn id_mask_keeps_four_and_four() {
        assert_eq!(mask_id_number("50010119491231123X"), "5001**********123X");
        assert_eq!(
            mask_address("重庆市沙坪坝区大学城东路1号"),
            "重庆市沙坪坝****"
        );
    }

    #[test]
    fn email_mask_keeps_the_first_character_and_the_domain() {
        assert_eq!(mask_email("liwei@cqvc.edu.cn"), "l***@cqvc.edu.cn");
        assert_eq!(mask_email("a@b.cn"), "a***@b.cn");
        // The length of the local part is not shown.
        assert_eq!(
            mask_email("zhangsanfeng2026@cqvc.edu.cn"),
            "z***@cqvc.edu.cn"
        );
        assert!(!mask_email("not-an-address").contains("not"));
    }
}
