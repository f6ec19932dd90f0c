//! Password policy (ASVS 6 / NIST 800-63B): at least 8 characters, at most 256, any characters
//! (Chinese included, never truncated), no composition rules, and not a common or breached one.

static COMMON: &str = include_str!("../data/common_passwords.txt");

/// Checks a new password. The username must not be the password either.
pub fn check_new_password(password: &str, username: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < 8 {
        return Err("must be at least 8 characters");
    }
    if n > 256 {
        return Err("must be at most 256 characters");
    }
    let lower = password.to_lowercase();
    if lower == username.to_lowercase() {
        return Err("must not be the username");
    }
    if COMMON.lines().any(|l| l == lower) {
        return Err("is a commonly used password; choose another");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert!(check_new_password("password", "x").is_err());
        assert!(
            check_new_password("Password", "x").is_err(),
            "case-insensitive list"
        );
        assert!(check_new_password("12345678", "x").is_err());
        assert!(check_new_password("short", "x").is_err());
        assert!(check_new_password("alice-in-chongqing", "alice-in-chongqing").is_err());
        assert!(
            check_new_password("重庆火锅真好吃啊", "x").is_ok(),
            "8 Chinese characters"
        );
        assert!(check_new_password(&"长".repeat(100), "x").is_ok());
        assert!(check_new_password("correct horse battery staple", "x").is_ok());
    }
}
