//! SkillBridge's domain: what a college's records are, the rules they obey, and who may see what.
//! No I/O: everything here is a function of its inputs, unit-tested in milliseconds.
//!
//! Where to start reading:
//! - [`schema`]: the records of a college (schools, programs, classes, students, staff, partner
//!   organisations, agreements, ...), each described once, and their validation.
//! - [`access`]: roles with scopes, and the rows each role reaches for each action.
//! - [`ids`]: resident ID numbers, credit codes and phones: parsing, check characters, masking.
//! - [`audit`]: the hash chain of the audit trail.
//! - [`password`]: the password policy.
//! - [`dates`]: how dates and instants are written, on both databases.
//! - [`reference`]: shipped reference data (regions, countries, industries).
//! - [`import`]: the import report and natural keys shared by spreadsheets and the store.
//! - [`booking`]: training-base bookings: conflicts, utilisation, the iCalendar feed.
//! - [`matching`]: stable matching of students to positions (deferred acceptance), its checks.
//! - [`order_class`]: order classes: eligibility, the matching instance from applications,
//!   explanations and refills (over the engine in `matching`).

pub mod access;
pub mod audit;
pub mod booking;
pub mod dates;
pub mod ids;
pub mod import;
pub mod labels;
pub mod matching;
pub mod order_class;
pub mod password;
pub mod reference;
pub mod schema;
