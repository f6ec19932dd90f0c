//! The records of a college, described once.
//!
//! Each record type is a [`ResourceDef`]: its table, its fields with their kinds and labels, its
//! natural key and which fields hold personal data. From this one description come validation
//! (here), the SQL (in the store), the API routes and the OpenAPI schemas (in web), so adding a
//! field is one edit. Rules that span fields (an enterprise needs a credit code, a student's
//! status moves only along its lifecycle) are in [`check_record`].
//!
//! Why descriptions and not one Rust struct per record: the same fields drive four generated
//! artefacts (SQL, validation, OpenAPI, masking), and for twenty-odd record types the structs
//! would be written four times over. Typed values still parse at the edge: every field kind
//! has one parser below, and nothing unparsed reaches the store.

use crate::ids;
use serde_json::{Map, Value};

/// A validated record: field name to JSON value, every value already normalised.
pub type Record = Map<String, Value>;

/// The key of a record sent out that maps each reference field to the label of the record it
/// points at (`{"class_id": "汽车2301班"}`); read-only, ignored when sent back.
pub const LABELS: &str = "_labels";
/// The same for the English label, present for references whose labels have one (countries).
pub const LABELS_EN: &str = "_labels_en";

/// What a field holds, and so how it is parsed and stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text up to `max` characters.
    Text { max: usize },
    /// An integer within bounds.
    Int { min: i64, max: i64 },
    /// Money as integer fen (1 yuan = 100 fen), never floating point.
    Fen,
    /// `YYYY-MM-DD`.
    Date,
    /// 0 or 1 in storage, `true`/`false` in JSON.
    Flag,
    /// One of a closed list of codes, with their labels in both languages.
    Enum(&'static crate::labels::EnumTable),
    /// The id of a row of another resource.
    Ref(&'static str),
    /// A code that must exist in a reference resource's `column` (regions, countries, industries).
    RefCode {
        resource: &'static str,
        column: &'static str,
    },
    /// A resident ID number with its check digit.
    IdNumber,
    /// A unified social credit code with its check character.
    CreditCode,
    /// A mobile or landline phone number.
    Phone,
    /// A six-digit code of the vocational major catalogue.
    MajorCode,
    /// An e-mail address.
    Email,
    /// An instant, stored as UTC text (`2026-03-02T00:00:00.000Z`); typed without an offset it is
    /// China time (see `booking::parse_instant`).
    Instant,
    /// A fixed-point decimal with `scale` digits after the point (an interview score of 88.5),
    /// stored as an integer count of its smallest unit (885 tenths) and sent and received as a
    /// JSON number (88.5). `min` and `max` are in stored units (0 and 1000 for 0.0 to 100.0).
    /// More digits than `scale` are refused (`precision`), never rounded; a value outside the
    /// bounds is refused (`out_of_range`), never clamped.
    Decimal { scale: u8, min: i64, max: i64 },
}

impl Kind {
    /// Whether storage keeps it as an integer (else text).
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            Kind::Int { .. } | Kind::Fen | Kind::Flag | Kind::Ref(_) | Kind::Decimal { .. }
        )
    }

    /// The integer a value of this kind is stored as: a flag's 0 or 1, a decimal's count of its
    /// smallest unit (88.5 with scale 1 is 885), any other integer as it is. `None` for a null or
    /// a value that is not a number of the kind (validated values always are).
    pub fn stored_int(self, v: &Value) -> Option<i64> {
        match (self, v) {
            (_, Value::Bool(b)) => Some(i64::from(*b)),
            (Kind::Decimal { scale, .. }, Value::Number(n)) => {
                n.as_i64().map_or_else(
                    || {
                        // Through the decimal text, never through a float multiplication that
                        // could land on 884.9999.
                        decimal_units(&n.to_string(), scale).ok()
                    },
                    |i| i.checked_mul(10i64.pow(u32::from(scale))),
                )
            }
            (Kind::Decimal { scale, .. }, Value::String(t)) => decimal_units(t, scale).ok(),
            (_, other) => other.as_i64(),
        }
    }

    /// The JSON value of a stored integer of this kind (the inverse of [`Kind::stored_int`]).
    pub fn from_stored_int(self, n: i64) -> Value {
        match self {
            Kind::Flag => Value::Bool(n != 0),
            Kind::Decimal { scale, .. } => decimal_value(n, scale),
            _ => Value::from(n),
        }
    }
}

/// A decimal held as `units` of 10^-scale as a JSON number: a whole number when it is one (88),
/// else the shortest float that prints as the exact decimal (88.5).
pub fn decimal_value(units: i64, scale: u8) -> Value {
    let div = 10i64.pow(u32::from(scale));
    if units % div == 0 {
        return Value::from(units / div);
    }
    let text = decimal_text(units, scale);
    text.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

/// `units` of 10^-scale as decimal text without trailing zeros: 885 tenths is `88.5`.
pub fn decimal_text(units: i64, scale: u8) -> String {
    let div = 10i64.pow(u32::from(scale));
    let sign = if units < 0 { "-" } else { "" };
    let (whole, frac) = (
        units.unsigned_abs() / div as u64,
        units.unsigned_abs() % div as u64,
    );
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let f = format!("{frac:0width$}", width = usize::from(scale));
    format!("{sign}{whole}.{}", f.trim_end_matches('0'))
}

/// Reads decimal text (`88.5`, `88`, `88.50`, `-1.5`; full-width digits already normalised) as a
/// count of 10^-scale units. `Err("precision")` for more significant digits after the point than
/// `scale`, `Err("invalid")` for anything that is not a plain decimal number (no exponent, no
/// thousands separator, no sign but a leading minus).
pub fn decimal_units(t: &str, scale: u8) -> Result<i64, &'static str> {
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t),
    };
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !digits(whole)
        || !digits(frac)
        || (body.contains('.') && frac.is_empty())
    {
        return Err("invalid");
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > usize::from(scale) {
        return Err("precision");
    }
    let mul = 10i64.pow(u32::from(scale));
    let w: i64 = whole.parse().map_err(|_| "invalid")?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<width$}", width = usize::from(scale))
            .parse()
            .map_err(|_| "invalid")?
    };
    let n = w
        .checked_mul(mul)
        .and_then(|x| x.checked_add(f))
        .ok_or("invalid")?;
    Ok(if neg { -n } else { n })
}

/// How a field's value is shown outside the reveal endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pii {
    None,
    /// Masked `5001**********123X`; hidden from enterprise users.
    IdNumber,
    /// Masked `138****5678`; hidden from enterprise users.
    Phone,
    /// Masked after the city; hidden from enterprise users.
    Address,
    /// Masked `l***@example.edu.cn` (the first character and the domain); hidden from
    /// enterprise users.
    Email,
}

/// One field of a record.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Unique across the table (checked before writing, enforced by the database too).
    pub unique: bool,
    pub pii: Pii,
    /// Other header spellings an import accepts for this column, as Chinese forms write them
    /// (`身份证号码`, `证件号码`); the labels and the name are always accepted.
    pub aliases: &'static [&'static str],
    /// Which year an integer field holds, so that `2025级` (a cohort by entry year) and `2025届`
    /// (a cohort by graduation year) are read, never guessed at.
    pub cohort: Cohort,
}

/// The year a cohort spelling names: `2025级` is the entry year, `2025届` the graduation year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cohort {
    /// Not a cohort year: only a plain number.
    None,
    /// The entry year: `2025` or `2025级`; `2025届` is refused as a graduation year.
    Entry,
    /// The graduation year: `2025` or `2025届`; `2025级` is refused as an entry year.
    Graduation,
}

pub(crate) const fn f(name: &'static str, zh: &'static str, en: &'static str, kind: Kind) -> Field {
    Field {
        name,
        zh,
        en,
        kind,
        required: false,
        unique: false,
        pii: Pii::None,
        aliases: &[],
        cohort: Cohort::None,
    }
}
pub(crate) const fn req(
    name: &'static str,
    zh: &'static str,
    en: &'static str,
    kind: Kind,
) -> Field {
    Field {
        name,
        zh,
        en,
        kind,
        required: true,
        unique: false,
        pii: Pii::None,
        aliases: &[],
        cohort: Cohort::None,
    }
}
pub(crate) const fn key(
    name: &'static str,
    zh: &'static str,
    en: &'static str,
    kind: Kind,
) -> Field {
    Field {
        name,
        zh,
        en,
        kind,
        required: true,
        unique: true,
        pii: Pii::None,
        aliases: &[],
        cohort: Cohort::None,
    }
}
pub(crate) const fn pii(
    name: &'static str,
    zh: &'static str,
    en: &'static str,
    kind: Kind,
    p: Pii,
) -> Field {
    Field {
        name,
        zh,
        en,
        kind,
        required: false,
        unique: false,
        pii: p,
        aliases: &[],
        cohort: Cohort::None,
    }
}

/// A record type.
#[derive(Debug)]
pub struct ResourceDef {
    /// The URL segment and the name used in permissions, plural: `students`.
    pub name: &'static str,
    pub table: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// Fields other than `id`, `created_at`, `updated_at` (which every table has).
    pub fields: &'static [Field],
    /// The fields searched by the `q` filter.
    pub search: &'static [&'static str],
    /// Default sort column.
    pub order: &'static str,
    /// The field that names a record when another refers to it; empty: `name` when the record
    /// has one, else the id (see [`ResourceDef::label_field`]).
    pub label: &'static str,
    /// The natural key an import matches rows on (several fields for a composite key); empty when
    /// the record type has no spreadsheet import.
    pub import_key: &'static [&'static str],
    /// The columns by which a reference to this record is written in files, preferred first
    /// (`code`, then `name`); a row whose first key is empty is known by the next.
    pub ref_keys: &'static [&'static str],
    /// Unique keys over several fields, each as its migration writes it (`UNIQUE (a, b)`, the
    /// columns in that order); a single unique field says `unique` on the field instead. A
    /// violation names these fields.
    pub unique_together: &'static [&'static [&'static str]],
    /// Values a new record gets when its file has no such column: `(field, value)`.
    pub import_defaults: &'static [(&'static str, &'static str)],
    /// The rules across this record's fields and the lifecycle of its statuses (`old` is the
    /// stored record on a change). Checked after every field has parsed.
    pub check: fn(&Record, Option<&Record>) -> Vec<FieldError>,
    /// Columns an import reads that are not stored fields: a birth date checked against the ID
    /// number, a program written by its code.
    pub import_columns: &'static [ImportColumn],
    /// References that follow from another reference: a student's program is their class's.
    pub implied: &'static [Implied],
    /// For a reference table of codes that people write by name (regions): how to search it.
    pub place_names: Option<&'static crate::places::PlaceNames>,
    /// Agreements between stored fields that a file must keep (a gender column against the ID
    /// number), checked on import: a roster's columns are typed by hand, a form's are not.
    pub import_checks: &'static [ImportCheck],
    /// The named groups of its fields (least privilege: a role reads and writes per record type
    /// a set of groups, see [`FieldGroup::allows`]). Empty: one group, [`RECORD_GROUP`], with
    /// every field, open to every role that reaches the rows. When declared, every field is in
    /// exactly one group (a registry test checks).
    pub groups: &'static [FieldGroup],
    /// For a reference field, the set of records a write may point at when it is not the
    /// writer's own read scope of the target ([`RefSet::Readable`], the default for every
    /// reference not named here).
    pub ref_sets: &'static [(&'static str, RefSet)],
}

/// A named group of a record type's fields (staff: `identity` name, school, office; `contact`
/// phone, e-mail). Which roles reach it is decided by `allows`, declared with the record by its
/// module; a role reaches a group only where it reaches the rows at all (`access::row_scope`).
#[derive(Debug, Clone, Copy)]
pub struct FieldGroup {
    pub name: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// Its fields; empty in [`RECORD_GROUP`] only, which holds every field.
    pub fields: &'static [&'static str],
    /// Whether `role` reaches the group for `action` (Read covers reveal; Create and Update are
    /// the writes), given that it reaches the rows.
    pub allows: fn(&crate::access::Role, crate::access::Action) -> bool,
    /// Whether `role`, reading the group, sees its personal fields in full rather than masked:
    /// for a relation whose rows are exactly those where the value is meant for the reader (a
    /// student reaches only their own two mentors' rows, and needs their work phone and e-mail).
    pub plain_for: fn(&crate::access::Role) -> bool,
}

fn every_role(_: &crate::access::Role, _: crate::access::Action) -> bool {
    true
}

/// `FieldGroup::plain_for` of a group masked for every role.
pub fn masked_for_all(_: &crate::access::Role) -> bool {
    false
}

/// `FieldGroup::plain_for` of a work-contact group that a student reads in full: a student's
/// read scope on such records is their own mentors only.
pub fn plain_for_students(role: &crate::access::Role) -> bool {
    matches!(role, crate::access::Role::Student { .. })
}

/// The one group of a record type that declares none: every field, for every role that reaches
/// its rows.
pub const RECORD_GROUP: FieldGroup = FieldGroup {
    name: "record",
    zh: "全部字段",
    en: "All fields",
    fields: &[],
    allows: every_role,
    plain_for: masked_for_all,
};

/// The records a reference field may point at when it is written (create, update, import). A
/// reference outside the set is refused exactly like a reference to a record that does not exist,
/// so a write cannot be used to learn what lies outside the writer's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefSet {
    /// The records of the target the writer may read (the default): a school's staff enrol a
    /// student only in a class of their school; a teacher books only for a class they advise.
    Readable,
    /// Every record of the target: for references whose targets are not held to a scope for a
    /// reason the module states where it declares it.
    Any,
}

/// Two stored columns of an imported row that must agree: `check` answers why they do not.
/// Reported on `fields[0]`, naming both columns.
#[derive(Debug, Clone, Copy)]
pub struct ImportCheck {
    pub fields: [&'static str; 2],
    pub check: fn(&Record) -> Option<String>,
}

/// A column an import reads that is not stored as such. Its `field` gives its header spellings
/// and its parser, like any field's.
#[derive(Debug, Clone, Copy)]
pub enum ImportColumn {
    /// Checked against the record once every field has parsed, then dropped. `check` gets the
    /// parsed value and the record and answers the stored field it contradicts, and why.
    Check {
        field: Field,
        check: fn(&Value, &Record) -> Option<(&'static str, String)>,
    },
    /// Another way to write the reference `target`: the text is looked up in each of `keys` of
    /// the referenced record type and must name exactly one record; when `target` is written
    /// too, the two must agree.
    RefBy {
        field: Field,
        target: &'static str,
        keys: &'static [&'static str],
    },
}

impl ImportColumn {
    pub fn field(&self) -> &Field {
        match self {
            ImportColumn::Check { field, .. } | ImportColumn::RefBy { field, .. } => field,
        }
    }
}

/// A reference implied by another: `field` (a reference) is the `column` of the record that the
/// reference `from` points at. Taken when `field` is not written; an error when it disagrees.
#[derive(Debug, Clone, Copy)]
pub struct Implied {
    pub field: &'static str,
    pub from: &'static str,
    pub column: &'static str,
}

fn no_check(_: &Record, _: Option<&Record>) -> Vec<FieldError> {
    Vec::new()
}

impl ResourceDef {
    /// The defaults of the facts a record type may leave out; every description ends with
    /// `..ResourceDef::NEW`.
    pub const NEW: ResourceDef = ResourceDef {
        name: "",
        table: "",
        zh: "",
        en: "",
        fields: &[],
        search: &[],
        order: "id",
        label: "",
        import_key: &[],
        ref_keys: &["id"],
        unique_together: &[],
        import_defaults: &[],
        check: no_check,
        import_columns: &[],
        implied: &[],
        place_names: None,
        import_checks: &[],
        groups: &[],
        ref_sets: &[],
    };

    /// Its field groups: the declared ones, or [`RECORD_GROUP`] alone.
    pub fn field_groups(&self) -> &'static [FieldGroup] {
        if self.groups.is_empty() {
            std::slice::from_ref(&RECORD_GROUP)
        } else {
            self.groups
        }
    }

    /// The group a field belongs to (`record` when the type declares no groups).
    pub fn group_of(&self, field: &str) -> Option<&'static FieldGroup> {
        self.field_groups()
            .iter()
            .find(|g| g.fields.is_empty() || g.fields.contains(&field))
    }

    /// The set a written reference may point at.
    pub fn ref_set(&self, field: &str) -> RefSet {
        self.ref_sets
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(RefSet::Readable, |(_, s)| *s)
    }

    /// The field shown when a record is referred to from another.
    pub fn label_field(&self) -> &'static str {
        match self.label {
            "" if self.field("name").is_some() => "name",
            "" => "id",
            l => l,
        }
    }

    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The columns that name a record of this type in the `_labels` of records referring to it
    /// (the label, and its English column when the label is a `_zh` column with an `_en`
    /// sibling), sent to whoever reads the referring record even when they may not open this
    /// one. `None` when the record type has no label but its id, or when its label field is
    /// personal: a label is never personal data (a registry test keeps it so; this refuses it
    /// anyway, failing closed).
    pub fn ref_label_columns(&self) -> Option<(&'static str, Option<&'static str>)> {
        let lf = self.label_field();
        let field = self.field(lf)?;
        if field.pii != Pii::None {
            return None;
        }
        let en = lf
            .strip_suffix("_zh")
            .and_then(|base| {
                self.fields
                    .iter()
                    .find(|f| f.name.strip_suffix("_en") == Some(base))
            })
            .filter(|f| f.pii == Pii::None)
            .map(|f| f.name);
        Some((lf, en))
    }

    /// Every column a file of this record type may have: its fields, then its import-only
    /// columns.
    pub fn import_fields(&'static self) -> impl Iterator<Item = &'static Field> {
        self.fields
            .iter()
            .chain(self.import_columns.iter().map(ImportColumn::field))
    }

    /// A field or an import-only column by name.
    pub fn import_field(&'static self, name: &str) -> Option<&'static Field> {
        self.import_fields().find(|f| f.name == name)
    }
    /// Whether `name` can be used to filter or sort (every field, and the implicit columns).
    pub fn has_column(&self, name: &str) -> bool {
        matches!(name, "id" | "created_at" | "updated_at") || self.field(name).is_some()
    }
}

pub use crate::modules::{resource, RESOURCES};

/// A problem with one field: which field, a stable code, and its message in each language
/// (`message_zh`, `message_en`; `message` is the English one, kept for older clients). A page
/// shows the one of its user's language under the field; the two are never glued together.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
    pub message_zh: String,
    pub message_en: String,
}

impl FieldError {
    /// A field error from one message: a message written in both languages as `中文 / English`
    /// is split; an English or a Chinese one alone gets the other language's generic message of
    /// its code ([`code_message`]).
    pub fn new(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        let (zh, en) = in_both_languages(code, &message.into());
        FieldError::bilingual(field, code, zh, en)
    }

    /// A field error with its message in both languages.
    pub fn bilingual(
        field: &str,
        code: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        let en = en.into();
        FieldError {
            field: field.to_string(),
            code,
            message: en.clone(),
            message_zh: zh.into(),
            message_en: en,
        }
    }

    /// The same error reported on another field name (`scores[0].interview_score`).
    pub fn on(self, field: String) -> Self {
        FieldError { field, ..self }
    }
}

/// A message of a code in each language, `(zh, en)`: a `中文 / English` text split; a message in
/// one language alone with the other language's generic message of its code ([`code_message`]).
pub fn in_both_languages(code: &str, message: &str) -> (String, String) {
    match message.split_once(" / ") {
        Some((zh, en)) if has_cjk(zh) && !has_cjk(en) => (zh.to_string(), en.to_string()),
        _ if has_cjk(message) => (message.to_string(), code_message(code).1.to_string()),
        _ => (code_message(code).0.to_string(), message.to_string()),
    }
}

/// Whether a message is written in Chinese: more Chinese characters than Latin letters (an
/// English message may quote `2025届`).
fn has_cjk(s: &str) -> bool {
    let cjk = s
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    cjk > s.chars().filter(char::is_ascii_alphabetic).count()
}

/// The generic message of a field error code, `(zh, en)`, for an error whose own message is in
/// one language only. Every code the server sends has a row; an unknown one gets "invalid".
pub fn code_message(code: &str) -> (&'static str, &'static str) {
    match code {
        "required" => ("必填", "is required"),
        "too_long" => ("内容过长", "is too long"),
        "out_of_range" => ("超出允许范围", "is out of range"),
        "precision" => ("小数位数过多", "has too many decimal places"),
        "not_allowed" => ("不是允许的取值", "is not an allowed value"),
        "unknown_field" => ("不是该记录的字段", "is not a field of this record"),
        "not_found" => ("所指记录不存在或无权引用", "names no record you may use"),
        "duplicate" => ("与已有记录重复", "is already taken"),
        "mismatch" => ("与其他字段不一致", "disagrees with another field"),
        "before_start" => ("不能早于开始日期", "must not be before the start"),
        "invalid_date" => ("日期无效", "is not a valid date"),
        "invalid_instant" => ("时间无效", "is not a valid time"),
        "invalid_id_number" => ("身份证号无效", "is not a valid resident ID number"),
        "invalid_credit_code" => ("统一社会信用代码无效", "is not a valid credit code"),
        "invalid_phone" => ("电话号码无效", "is not a valid phone number"),
        "unknown_code" => ("不是已知的代码", "is not a known code"),
        "short_year" => ("请写完整的四位年份", "write the year in full"),
        "graduation_year" => (
            "这是毕业年份（届），此处需要入学年份（级）",
            "is a graduation year; an entry year is wanted",
        ),
        "entry_year" => (
            "这是入学年份（级），此处需要毕业年份（届）",
            "is an entry year; a graduation year is wanted",
        ),
        "invalid_transition" => ("不允许这样变更状态", "this status change is not allowed"),
        "invalid_interval" => ("时间段无效", "is not a valid time span"),
        "weak_password" => ("密码太弱", "the password is too weak"),
        "wrong_password" => ("当前密码不正确", "is not the current password"),
        "same_password" => ("新密码不能与当前密码相同", "is the current password"),
        "not_permitted" => ("无权设置", "you may not set this"),
        "published" => ("录取结果已发布", "already published"),
        "wrong_type" => ("取值类型不对", "has the wrong type"),
        "malformed" => ("请求内容无法读取", "the request body could not be read"),
        // Import reports.
        "duplicate_in_file" => ("文件中重复", "appears twice in the file"),
        "formula" => ("不接受公式，请粘贴为数值", "formulas are not accepted: paste the values"),
        "id_number_as_number" => (
            "身份证号被存成了数字，末几位已丢失；请把该列设为文本后重新输入",
            "stored as a number, so the last digits are lost; format the column as text and enter it again",
        ),
        "long_number" => (
            "超过 15 位的数字被存成了数字，部分位数已丢失；请把该列设为文本后重新输入",
            "a number of more than 15 digits lost digits; format the column as text and enter it again",
        ),
        "cell_error" => ("单元格是 Excel 错误值，请填写数值本身", "the cell holds an Excel error value"),
        "ambiguous" => ("对应多条记录，无法确定", "names more than one record"),
        "contradicts" | "disagrees" => ("与其他列不一致", "disagrees with another column"),
        "out_of_scope" => ("超出您可修改的范围", "outside the records you may change"),
        "unusable" => ("该值不能使用", "this value cannot be used"),
        // Bookings, status changes, batches, header aliases.
        "in_past" => (
            "开始时间已过：只有基地所属部门可以补录过去的预约",
            "starts in the past: only the base's office may record a past booking",
        ),
        "status_by_procedure" => (
            "学籍状态只能通过学籍异动办理",
            "a student's status changes only through a status change request",
        ),
        "invalid_option" => ("不是可选的取值", "is not one of the options"),
        "not_applicable" => ("此类异动不适用", "does not apply to this type of change"),
        "unchanged" => ("与当前相同，没有变化", "is the same as now: nothing would change"),
        "not_batch" => ("不能批量修改", "cannot be changed in a batch"),
        "too_many" => ("数量过多", "too many"),
        "clash" => ("与已有写法冲突", "clashes with an existing spelling"),
        _ => ("输入有误", "is invalid"),
    }
}

/// A value as normalised text, `None` when it is absent or blank.
fn value_text(field: &Field, v: &Value) -> Result<Option<String>, FieldError> {
    Ok(match v {
        Value::Null => None,
        Value::String(s) => {
            let t = ids::normalize_text(s);
            (!t.is_empty()).then_some(t)
        }
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => {
            return Err(FieldError::bilingual(
                field.name,
                "invalid",
                "须为单个值",
                "must be a single value",
            ))
        }
    })
}

/// Whether the API documents the kind's values as JSON strings (`api.rs`, `field_schema`).
pub fn is_string_kind(kind: Kind) -> bool {
    !matches!(
        kind,
        Kind::Int { .. } | Kind::Fen | Kind::Flag | Kind::Ref(_) | Kind::Decimal { .. }
    )
}

/// The members of a JSON request body whose value is a number or a boolean where the API
/// documents a string (`wrong_type`). [`parse_value`] takes them as text, as spreadsheets need
/// (a student number typed into a numeric cell); a JSON client has no such excuse, and the
/// document it reads says string. Unknown members are left to the write's own checks.
pub fn json_type_errors(def: &ResourceDef, body: &Map<String, Value>) -> Vec<FieldError> {
    body.iter()
        .filter_map(|(name, v)| {
            let f = def.field(name)?;
            let wrong = is_string_kind(f.kind) && matches!(v, Value::Number(_) | Value::Bool(_));
            wrong.then(|| {
                let (zh, en) = code_message("wrong_type");
                FieldError::bilingual(f.name, "wrong_type", zh, en)
            })
        })
        .collect()
}

/// Parses one value of a field; `Ok(Value::Null)` for an absent optional value.
pub fn parse_value(field: &Field, v: &Value) -> Result<Value, FieldError> {
    let bad = |code: &'static str, msg: &str| Err(FieldError::new(field.name, code, msg));
    if let (Kind::Decimal { .. }, Value::Bool(_)) = (field.kind, v) {
        return bad("invalid", "须为数字 / must be a number");
    }
    let Some(t) = value_text(field, v)? else {
        return if field.required {
            bad("required", "is required")
        } else {
            Ok(Value::Null)
        };
    };
    let out = match field.kind {
        Kind::Text { max } => parse_text(field, t, max)?,
        Kind::Int { min, max } => parse_int(field, &t, min, max)?,
        Kind::Decimal { scale, min, max } => parse_decimal(field, &t, scale, min, max)?,
        Kind::Fen => match t.parse::<i64>() {
            Ok(n) if n >= 0 => Value::from(n),
            _ => return bad("invalid", "must be a whole, non-negative number of fen"),
        },
        Kind::Ref(_) => match t.parse::<i64>() {
            Ok(n) if n > 0 => Value::from(n),
            _ => return bad("invalid", "must be the id of an existing record"),
        },
        Kind::Flag => match t.as_str() {
            "true" | "1" | "是" | "yes" => Value::from(true),
            "false" | "0" | "否" | "no" => Value::from(false),
            _ => return bad("invalid", "must be true or false"),
        },
        Kind::Date => match crate::dates::parse_date(&t) {
            Ok(d) => Value::String(crate::dates::format_date(d)),
            Err(m) => return bad("invalid_date", m),
        },
        Kind::Enum(allowed) => {
            if allowed.has(&t) {
                Value::String(t)
            } else {
                return bad(
                    "not_allowed",
                    &format!(
                        "must be one of: {}",
                        allowed.codes().collect::<Vec<_>>().join(", ")
                    ),
                );
            }
        }
        Kind::RefCode { .. } => {
            if t.len() > 8 || !t.chars().all(|c| c.is_ascii_alphanumeric()) {
                return bad("unknown_code", "is not a known code");
            }
            Value::String(t.to_ascii_uppercase())
        }
        Kind::IdNumber => match ids::parse_id_number(&t) {
            Ok(s) => Value::String(s),
            Err(m) => return bad("invalid_id_number", m),
        },
        Kind::CreditCode => match ids::parse_credit_code(&t) {
            Ok(s) => Value::String(s),
            Err(m) => return bad("invalid_credit_code", m),
        },
        Kind::Phone => match ids::parse_phone(&t) {
            Ok(s) => Value::String(s),
            Err(m) => return bad("invalid_phone", m),
        },
        Kind::MajorCode => {
            if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
                Value::String(t)
            } else {
                return bad("invalid", "must be a six-digit national major code");
            }
        }
        Kind::Instant => match crate::modules::bases::booking::parse_instant(&t) {
            Ok(secs) => Value::String(crate::modules::bases::booking::format_instant(secs)),
            Err(m) => return bad("invalid_instant", m),
        },
        Kind::Email => {
            let ok = t.len() <= 254
                && t.split_once('@')
                    .is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !d.starts_with('.'))
                && !t.contains(char::is_whitespace);
            if ok {
                Value::String(t)
            } else {
                return bad("invalid", "is not an e-mail address");
            }
        }
    };
    Ok(out)
}

/// A text field's value: at most `max` characters, no control characters but line breaks.
fn parse_text(field: &Field, t: String, max: usize) -> Result<Value, FieldError> {
    if t.chars().count() > max {
        return Err(FieldError::bilingual(
            field.name,
            "too_long",
            format!("最多 {max} 个字符"),
            format!("must be at most {max} characters"),
        ));
    }
    if t.chars().any(|c| c.is_control() && c != '\n') {
        return Err(FieldError::new(
            field.name,
            "invalid",
            "不能包含控制字符 / must not contain control characters",
        ));
    }
    Ok(Value::String(t))
}

/// An integer field's value within its bounds (a cohort year read from `2025级`).
fn parse_int(field: &Field, t: &str, min: i64, max: i64) -> Result<Value, FieldError> {
    match cohort_year(t, field.cohort)
        .map_err(|(code, msg)| FieldError::new(field.name, code, msg))?
        .parse::<i64>()
    {
        Ok(n) if (min..=max).contains(&n) => Ok(Value::from(n)),
        Ok(_) => Err(FieldError::bilingual(
            field.name,
            "out_of_range",
            format!("须在 {min} 到 {max} 之间"),
            format!("must be between {min} and {max}"),
        )),
        Err(_) => Err(FieldError::new(
            field.name,
            "invalid",
            "须为整数 / must be a whole number",
        )),
    }
}

/// A decimal field's text as its JSON number, within range and precision (neither clamped nor
/// rounded).
fn parse_decimal(
    field: &Field,
    t: &str,
    scale: u8,
    min: i64,
    max: i64,
) -> Result<Value, FieldError> {
    let range = || {
        FieldError::bilingual(
            field.name,
            "out_of_range",
            format!(
                "须在 {} 到 {} 之间",
                decimal_text(min, scale),
                decimal_text(max, scale)
            ),
            format!(
                "must be between {} and {}",
                decimal_text(min, scale),
                decimal_text(max, scale)
            ),
        )
    };
    match decimal_units(t, scale) {
        Ok(n) if (min..=max).contains(&n) => Ok(decimal_value(n, scale)),
        Ok(_) => Err(range()),
        Err("precision") => Err(FieldError::bilingual(
            field.name,
            "precision",
            format!("最多 {scale} 位小数"),
            format!("at most {scale} decimal place(s)"),
        )),
        // A number too long for 64 bits is out of range, not malformed.
        Err(_)
            if t.trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit()) =>
        {
            Err(range())
        }
        Err(_) => Err(FieldError::new(
            field.name,
            "invalid",
            "须为数字 / must be a number",
        )),
    }
}

/// The year in a cohort spelling: `2025级` is an entry year, `2025届` a graduation year (either
/// with a space before the character). A plain number is returned as it is; a two-digit year
/// (`25级`) is refused rather than guessed at, and a year of the other kind is refused naming it.
pub fn cohort_year(t: &str, cohort: Cohort) -> Result<&str, (&'static str, String)> {
    if cohort == Cohort::None {
        return Ok(t);
    }
    let (year, entry) = if let Some(y) = t.strip_suffix('级') {
        (y.trim_end(), true)
    } else if let Some(y) = t.strip_suffix('届') {
        (y.trim_end(), false)
    } else {
        return Ok(t);
    };
    if year.is_empty() || !year.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(t); // not a cohort spelling: the number parser says why
    }
    if year.len() != 4 {
        let c = if entry { '级' } else { '届' };
        return Err((
            "short_year",
            format!(
                "write the year in full (for example 2025{c}): a {}-digit year is not guessed at",
                year.len()
            ),
        ));
    }
    match (cohort, entry) {
        (Cohort::Entry, true) | (Cohort::Graduation, false) => Ok(year),
        (Cohort::Entry, false) => Err((
            "graduation_year",
            format!(
                "{t} is a graduation year; this column wants the entry year ({year}级 or {year})"
            ),
        )),
        _ => Err((
            "entry_year",
            format!(
                "{t} is an entry year; this column wants the graduation year ({year}届 or {year})"
            ),
        )),
    }
}

/// Whether `v` is the masked form of `old` (a masked value sent back means "unchanged").
pub fn is_mask_of(field: &Field, v: &Value, old: &Value) -> bool {
    match (v.as_str(), old.as_str()) {
        (Some(v), Some(old)) if v.contains('*') => mask(field.pii, old) == v,
        _ => false,
    }
}

/// The masked form of a personal value.
pub fn mask(p: Pii, v: &str) -> String {
    match p {
        Pii::None => v.to_string(),
        Pii::IdNumber => ids::mask_id_number(v),
        Pii::Phone => ids::mask_phone(v),
        Pii::Email => ids::mask_email(v),
        Pii::Address => {
            if v.len() == 6 && v.bytes().all(|b| b.is_ascii_digit()) {
                // A region code keeps its province and city digits.
                format!("{}**", &v[..4])
            } else {
                ids::mask_address(v)
            }
        }
    }
}

/// Validates a new record (`old` is `None`) or a change to one (`old` is the stored record and
/// `input` holds only the changed fields). Returns the complete record to store, or every
/// problem found: unknown fields, each field's parse, then the rules across fields.
pub fn validate(
    def: &ResourceDef,
    input: &Map<String, Value>,
    old: Option<&Record>,
) -> Result<Record, Vec<FieldError>> {
    let mut errors = Vec::new();
    for k in input.keys() {
        if def.field(k).is_none()
            && !matches!(
                k.as_str(),
                "id" | "created_at" | "updated_at" | LABELS | LABELS_EN
            )
        {
            errors.push(FieldError::new(
                k,
                "unknown_field",
                "is not a field of this record",
            ));
        }
    }
    let mut rec = Record::new();
    for field in def.fields {
        let given = input.get(field.name);
        let old_v = old.and_then(|o| o.get(field.name));
        let value = match (given, old_v) {
            (None, Some(o)) => Ok(o.clone()),
            (Some(v), Some(o)) if field.pii != Pii::None && is_mask_of(field, v, o) => {
                Ok(o.clone())
            }
            (Some(v), _) => parse_value(field, v),
            (None, None) => parse_value(field, &Value::Null),
        };
        match value {
            Ok(v) => {
                rec.insert(field.name.to_string(), v);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        errors.extend(check_record(def, &rec, old));
    }
    if errors.is_empty() {
        Ok(rec)
    } else {
        Err(errors)
    }
}

/// A text field's value, if any.
pub fn text<'a>(r: &'a Record, k: &str) -> Option<&'a str> {
    r.get(k).and_then(Value::as_str)
}

/// Rules across fields of one record: the dates of any record with a start and an end, then the
/// record type's own rules (`ResourceDef::check`, declared by its module).
pub fn check_record(def: &ResourceDef, rec: &Record, old: Option<&Record>) -> Vec<FieldError> {
    let mut e = Vec::new();
    if let (Some(start), Some(end)) = (text(rec, "start_date"), text(rec, "end_date")) {
        if end < start {
            e.push(FieldError::new(
                "end_date",
                "before_start",
                "must not be before the start date",
            ));
        }
    }
    e.extend((def.check)(rec, old));
    e
}

/// Whether a field holds a value (present and not null).
pub fn has(r: &Record, k: &str) -> bool {
    r.get(k).is_some_and(|v| !v.is_null())
}

/// Removes the fields of groups the actor may not read (least privilege: removed, not masked).
/// Full exports, which are not masked, pass through here too.
pub fn keep_readable(actor: &crate::access::Actor, def: &ResourceDef, mut rec: Record) -> Record {
    let groups = crate::access::actor_groups(actor, crate::access::Action::Read, def);
    for g in def.field_groups() {
        if !groups.contains(&g.name) {
            if g.fields.is_empty() {
                for f in def.fields {
                    rec.remove(f.name);
                }
            }
            for f in g.fields {
                rec.remove(*f);
            }
        }
    }
    rec
}

/// Whether one of the actor's roles reads this field's group and sees it in full
/// (`FieldGroup::plain_for`).
fn plain_to(actor: &crate::access::Actor, def: &ResourceDef, field: &str) -> bool {
    let Some(g) = def.group_of(field) else {
        return false;
    };
    actor.roles.iter().any(|r| {
        (g.plain_for)(r)
            && crate::access::field_groups(r, crate::access::Action::Read, def).contains(&g.name)
    })
}

/// What an actor is shown of a record: fields of groups the actor may not read removed
/// ([`keep_readable`]); personal fields masked; for external (enterprise) users, left out
/// altogether (PIPL: the minimum necessary). A group's `plain_for` roles see its personal fields
/// in full (a student, their own mentors' work phone and e-mail).
pub fn present(actor: &crate::access::Actor, def: &ResourceDef, rec: Record) -> Record {
    let mut rec = keep_readable(actor, def, rec);
    let external = actor.external_only();
    for f in def.fields.iter().filter(|f| f.pii != Pii::None) {
        if external {
            rec.remove(f.name);
        } else if plain_to(actor, def, f.name) {
            continue;
        } else if let Some(s) = rec.get(f.name).and_then(Value::as_str) {
            let m = mask(f.pii, s);
            rec.insert(f.name.to_string(), Value::String(m));
        }
    }
    rec
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modules::college::*;
    use crate::modules::partners::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn a_json_body_gives_strings_to_string_fields() {
        // Found by schemathesis (negative data): `{"name": 0}` was stored as the text "0".
        let body = obj(json!({"name": 0, "student_no": true, "gender": "1",
            "class_id": 3, "id_number": 110105200001011234_i64, "no_such_field": 1}));
        let errs = json_type_errors(&STUDENTS, &body);
        let mut named: Vec<(&str, &str)> =
            errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
        named.sort_unstable();
        assert_eq!(
            named,
            [
                ("id_number", "wrong_type"),
                ("name", "wrong_type"),
                ("student_no", "wrong_type")
            ]
        );
        assert!(errs
            .iter()
            .all(|e| !e.message_zh.is_empty() && !e.message_en.is_empty()));
        let fine = obj(json!({"name": "张三", "class_id": 3, "gender": null}));
        assert!(json_type_errors(&STUDENTS, &fine).is_empty());
    }

    #[test]
    fn a_student_reads_their_mentors_work_contact_in_full_and_others_masked() {
        use crate::access::{Actor, Office, Role};
        let staff =
            obj(json!({"name": "周老师", "phone": "13900001111", "email": "zhou@example.edu.cn"}));
        let actor = |role| Actor {
            user_id: Some(1),
            username: "u".into(),
            roles: vec![role],
        };
        let student = present(
            &actor(Role::Student { student_id: 7 }),
            &STAFF,
            staff.clone(),
        );
        assert_eq!(student["phone"], json!("13900001111"));
        assert_eq!(student["email"], json!("zhou@example.edu.cn"));
        let office = actor(Role::Staff {
            office: Office::AcademicAffairs,
            school_id: None,
        });
        let seen = present(&office, &STAFF, staff.clone());
        assert_ne!(seen["phone"], json!("13900001111"));
        assert_ne!(seen["email"], json!("zhou@example.edu.cn"));
        let teacher = present(&actor(Role::Teacher { staff_id: 3 }), &STAFF, staff);
        assert!(teacher.get("phone").is_none() && teacher.get("email").is_none());
    }

    #[test]
    fn every_ref_points_at_a_known_resource() {
        for r in RESOURCES {
            for f in r.fields {
                if let Kind::Ref(t) | Kind::RefCode { resource: t, .. } = f.kind {
                    assert!(resource(t).is_some(), "{}.{} -> {t}", r.name, f.name);
                }
            }
            assert!(r.has_column(r.order));
        }
    }

    #[test]
    fn student_validation_reports_every_field() {
        let input = obj(json!({
            "student_no": "2024001", "name": "", "gender": "3",
            "id_number": "500101200509170011", "phone": "123", "program_id": "x",
            "entry_year": 2024, "status": "enrolled", "nickname": "x"
        }));
        let errs = validate(&STUDENTS, &input, None).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "nickname",
                "name",
                "gender",
                "id_number",
                "phone",
                "program_id"
            ]
        );
    }

    #[test]
    fn masked_value_sent_back_means_unchanged() {
        let id = crate::ids::make_id_number("500101", "20050917", 1);
        let old = obj(json!({
            "student_no": "2024001", "name": "张三", "gender": "1", "id_number": id,
            "program_id": 1, "entry_year": 2024, "status": "enrolled", "phone": "13812345678"
        }));
        let old = validate(&STUDENTS, &old, None).unwrap();
        let patch = obj(
            json!({"id_number": crate::ids::mask_id_number(&id), "phone": "138****5678", "name": "张三丰"}),
        );
        let new = validate(&STUDENTS, &patch, Some(&old)).unwrap();
        assert_eq!(new["id_number"], json!(id));
        assert_eq!(new["phone"], json!("13812345678"));
        assert_eq!(new["name"], json!("张三丰"));
    }

    #[test]
    fn organisation_kinds_need_the_right_identifiers() {
        let e = validate(
            &ORGANISATIONS,
            &obj(json!({"kind": "enterprise", "name": "某公司"})),
            None,
        )
        .unwrap_err();
        assert_eq!(e[0].field, "credit_code");
        let e = validate(
            &ORGANISATIONS,
            &obj(json!({"kind": "foreign", "name": "Univ"})),
            None,
        )
        .unwrap_err();
        assert_eq!(e[0].field, "country_code");
        assert!(validate(
            &ORGANISATIONS,
            &obj(json!({"kind": "foreign", "name": "Univ", "country_code": "lk"})),
            None
        )
        .is_ok());
    }

    #[test]
    fn cohort_spellings_are_read_never_guessed() {
        let entry = STUDENTS.field("entry_year").unwrap();
        let p = |v: &str| parse_value(entry, &json!(v));
        assert_eq!(p("2025级").unwrap(), json!(2025));
        assert_eq!(p("2025 级").unwrap(), json!(2025));
        assert_eq!(p("2025").unwrap(), json!(2025));
        let e = p("2025届").unwrap_err();
        assert_eq!(e.code, "graduation_year");
        assert!(
            e.message.contains("2025届 is a graduation year"),
            "{}",
            e.message
        );
        assert_eq!(p("25级").unwrap_err().code, "short_year");
        assert_eq!(p("二〇二五级").unwrap_err().code, "invalid");
        // A field that is no cohort year takes no suffix.
        assert!(cohort_year("2025级", Cohort::None).is_ok_and(|t| t == "2025级"));
        assert_eq!(cohort_year("2025届", Cohort::Graduation), Ok("2025"));
        assert_eq!(
            cohort_year("2025级", Cohort::Graduation).unwrap_err().0,
            "entry_year"
        );
    }

    #[test]
    fn import_columns_and_implied_references_point_at_real_fields() {
        for r in RESOURCES {
            for c in r.import_columns {
                assert!(
                    r.field(c.field().name).is_none(),
                    "{}: {} is a stored field",
                    r.name,
                    c.field().name
                );
                if let ImportColumn::RefBy { target, keys, .. } = c {
                    let Some(Kind::Ref(t)) = r.field(target).map(|f| f.kind) else {
                        panic!("{}: {target} is not a reference", r.name)
                    };
                    let t = resource(t).unwrap();
                    assert!(
                        keys.iter().all(|k| t.field(k).is_some()),
                        "{}: keys of {target}",
                        r.name
                    );
                }
            }
            for c in r.import_checks {
                assert!(
                    c.fields.iter().all(|f| r.field(f).is_some()),
                    "{}: {:?}",
                    r.name,
                    c.fields
                );
            }
            for i in r.implied {
                let Some(Kind::Ref(t)) = r.field(i.from).map(|f| f.kind) else {
                    panic!("{}: {} is not a reference", r.name, i.from)
                };
                assert_eq!(
                    r.field(i.field).map(|f| f.kind),
                    resource(t).unwrap().field(i.column).map(|f| f.kind)
                );
            }
        }
    }

    #[test]
    fn decimals_take_their_precision_and_range_and_nothing_else() {
        let score = crate::modules::order_classes::ORDER_APPLICATIONS
            .field("interview_score")
            .unwrap();
        assert_eq!(
            score.kind,
            Kind::Decimal {
                scale: 1,
                min: 0,
                max: 1000
            }
        );
        let p = |v: Value| parse_value(score, &v);
        assert_eq!(p(json!(88.5)).unwrap(), json!(88.5));
        assert_eq!(p(json!("88.5")).unwrap(), json!(88.5));
        assert_eq!(p(json!("88.50")).unwrap(), json!(88.5));
        assert_eq!(p(json!(100)).unwrap(), json!(100));
        assert_eq!(p(json!("0")).unwrap(), json!(0));
        assert_eq!(p(Value::Null).unwrap(), Value::Null);
        let e = p(json!(88.55)).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("interview_score", "precision"));
        assert!(e.message_zh.contains("1 位小数") && e.message_en.contains("1 decimal"));
        let e = p(json!(150)).unwrap_err();
        assert_eq!(
            e.code, "out_of_range",
            "150 is refused, never clamped to 100"
        );
        assert_eq!(e.message_zh, "须在 0 到 100 之间");
        assert_eq!(e.message_en, "must be between 0 and 100");
        assert_eq!(p(json!(100.1)).unwrap_err().code, "out_of_range");
        assert_eq!(p(json!(-0.5)).unwrap_err().code, "out_of_range");
        assert_eq!(
            p(json!("99999999999999999999")).unwrap_err().code,
            "out_of_range"
        );
        for bad in [
            json!("abc"),
            json!("8 8"),
            json!("1e2"),
            json!("88."),
            json!(".5"),
            json!(true),
        ] {
            assert_eq!(p(bad.clone()).unwrap_err().code, "invalid", "{bad}");
        }
        // Stored as integer tenths, read back as the same number.
        let k = score.kind;
        assert_eq!(k.stored_int(&json!(88.5)), Some(885));
        assert_eq!(k.stored_int(&json!(0.1)), Some(1));
        assert_eq!(k.stored_int(&json!(100)), Some(1000));
        assert_eq!(k.from_stored_int(885), json!(88.5));
        assert_eq!(k.from_stored_int(1000), json!(100));
        for n in 0..=1000 {
            assert_eq!(k.stored_int(&k.from_stored_int(n)), Some(n));
        }
        assert_eq!(decimal_text(-15, 1), "-1.5");
        assert_eq!(decimal_text(1005, 2), "10.05");
    }

    #[test]
    fn every_field_error_code_has_both_languages() {
        let e = FieldError::new("x", "out_of_range", "must be between 1 and 2");
        assert_eq!(
            (e.message_zh.as_str(), e.message_en.as_str()),
            ("超出允许范围", "must be between 1 and 2")
        );
        let e = FieldError::new("x", "published", "已发布 / already published");
        assert_eq!(
            (e.message_zh.as_str(), e.message_en.as_str()),
            ("已发布", "already published")
        );
        let e = FieldError::new("x", "mismatch", "与身份证号不符");
        assert_eq!(e.message_en, "disagrees with another field");
        assert_eq!(e.message, e.message_en);
        assert_eq!(code_message("no such code").0, "输入有误");
    }

    #[test]
    fn label_fields_are_never_personal() {
        // The label of a referenced record goes to every reader of a record that refers to it,
        // even one who may not open the referenced record: it must never be personal data.
        for r in RESOURCES {
            let lf = r.label_field();
            if let Some(f) = r.field(lf) {
                assert_eq!(f.pii, Pii::None, "{}.{lf} is a personal label", r.name);
                assert_eq!(r.ref_label_columns().map(|c| c.0), Some(lf), "{}", r.name);
            } else {
                assert_eq!(lf, "id", "{}: label {lf} is not a field", r.name);
                assert!(r.ref_label_columns().is_none());
            }
        }
        // Every record type that others refer to has a label other than its id.
        for r in RESOURCES {
            for f in r.fields {
                if let Kind::Ref(t) | Kind::RefCode { resource: t, .. } = f.kind {
                    if t == "allocation_runs" {
                        continue; // a run refers to the run it refills; shown by its round
                    }
                    assert!(resource(t).unwrap().ref_label_columns().is_some(), "{t}");
                }
            }
        }
        assert_eq!(
            crate::modules::reference::COUNTRIES.ref_label_columns(),
            Some(("name_zh", Some("name_en")))
        );
        // Refused even if a description ever declared one.
        static PERSONAL: ResourceDef = ResourceDef {
            name: "t",
            fields: &[pii("phone", "电话", "Phone", Kind::Phone, Pii::Phone)],
            label: "phone",
            ..ResourceDef::NEW
        };
        assert!(PERSONAL.ref_label_columns().is_none());
    }

    #[test]
    fn dates_in_order() {
        let e = validate(
            &ACADEMIC_YEARS,
            &obj(
                json!({"name": "2025-2026", "start_date": "2026-07-01", "end_date": "2025-09-01"}),
            ),
            None,
        )
        .unwrap_err();
        assert_eq!(e[0].code, "before_start");
    }
}
