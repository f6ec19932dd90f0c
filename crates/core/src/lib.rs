//! SkillBridge's domain: what a college's records are, the rules they obey, and who may see what.
//! No I/O: everything here is a function of its inputs, unit-tested in milliseconds.
//!
//! Where to start reading:
//! - [`modules`]: the modules, each declared once in its own folder: its record types (fields,
//!   labels of coded values, natural keys, cross-field checks), its permissions and its row-scope
//!   rules for every role, its menu entries. The registries are assembled from the module list.
//! - [`schema`]: the record engine: field kinds, parsing, validation, presentation and masking.
//! - [`access`]: roles with scopes, actors, and the union of a user's scopes (the rules
//!   themselves are the modules').
//! - [`ids`]: resident ID numbers, credit codes and phones: parsing, check characters, masking.
//! - [`audit`]: the hash chain of the audit trail.
//! - [`password`]: the password policy.
//! - [`dates`]: how dates and instants are written, on both databases.
//! - [`places`]: place names to division codes (`重庆市万州区` to `500101`), for imports.
//! - [`reference`]: shipped reference data (regions, countries, industries).
//! - [`batch`]: batch work on lists: which fields a batch may set, what it may create per row.
//! - [`import`]: the import report and natural keys shared by spreadsheets and the store.
//! - `modules::bases::booking`: training-base bookings: conflicts, utilisation, the iCalendar feed.
//! - [`matching`]: stable matching of students to positions (deferred acceptance), its checks.
//! - `modules::order_classes::rules`: order classes: eligibility, the matching instance from
//!   applications, explanations and refills (over the engine in `matching`).

pub mod access;
pub mod audit;
pub mod batch;
pub mod dates;
pub mod ids;
pub mod import;
pub mod labels;
pub mod matching;
pub mod modules;
pub mod password;
pub mod personal_data;
pub mod places;
pub mod privacy;
pub mod reference;
pub mod retention;
pub mod schema;
