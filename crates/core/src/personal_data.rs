//! The registry of personal fields (issue 11, item 4; SECURITY goal 22): for every field a
//! record description marks personal (`Pii` other than `None`), why it is held, on which legal
//! basis under PIPL Art. 13, how long, and who may reveal it.
//!
//! Each module declares the entries of its own fields next to its records
//! (`modules/<name>/personal.rs`, listed in `Module::personal`), so a module that adds a personal
//! field adds its entry in the same folder; [`entries`] collects them from `MODULES`, and
//! [`problems`] (run by a unit test) names every personal field without an entry and every entry
//! that names no personal field. Who may reveal a field is not declared: [`revealers`] asks the
//! access engine (`privacy::may_reveal` and the field groups) for each kind of role, so the
//! registry cannot drift from what the code allows.
//!
//! [`markdown`] renders the registry as the table that `skillbridge privacy-registry --markdown`
//! prints and `SECURITY.md` holds between its markers (a test compares the two).

use crate::access::{may_field, row_scope, Action, Actor, ContactRole, Office, Role, RowScope};
use crate::modules::{Module, MODULES};
use crate::privacy::may_reveal;
use crate::retention::Retention;
use crate::schema::{Field, Pii, ResourceDef};
use serde::Serialize;

/// The legal bases of PIPL Art. 13, paragraph 1, items (1) to (7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// (1) the individual's consent.
    Consent,
    /// (2) necessary to conclude or perform a contract to which the individual is a party, or
    /// for human-resources management under lawful labour rules and collective contracts.
    Contract,
    /// (3) necessary to fulfil a statutory duty or obligation.
    LegalDuty,
    /// (4) necessary to respond to a public health emergency, or to protect life, health and
    /// property in an emergency.
    PublicHealth,
    /// (5) news reporting and supervision by public opinion in the public interest.
    NewsReporting,
    /// (6) personal information the individual published or that was lawfully published.
    Published,
    /// (7) other circumstances provided by laws and administrative regulations.
    OtherLaw,
}

impl LegalBasis {
    /// The item of Art. 13, paragraph 1.
    pub fn item(self) -> u8 {
        match self {
            LegalBasis::Consent => 1,
            LegalBasis::Contract => 2,
            LegalBasis::LegalDuty => 3,
            LegalBasis::PublicHealth => 4,
            LegalBasis::NewsReporting => 5,
            LegalBasis::Published => 6,
            LegalBasis::OtherLaw => 7,
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            LegalBasis::Consent => "取得个人同意",
            LegalBasis::Contract => "订立、履行合同或实施人力资源管理所必需",
            LegalBasis::LegalDuty => "履行法定职责或法定义务所必需",
            LegalBasis::PublicHealth => "应对突发公共卫生事件或紧急情况所必需",
            LegalBasis::NewsReporting => "为公共利益实施新闻报道、舆论监督",
            LegalBasis::Published => "处理已合法公开的个人信息",
            LegalBasis::OtherLaw => "法律、行政法规规定的其他情形",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            LegalBasis::Consent => "consent",
            LegalBasis::Contract => "contract performance or human-resources management",
            LegalBasis::LegalDuty => "statutory duty",
            LegalBasis::PublicHealth => "public health emergency",
            LegalBasis::NewsReporting => "news reporting in the public interest",
            LegalBasis::Published => "lawfully published data",
            LegalBasis::OtherLaw => "other laws and regulations",
        }
    }
    /// `PIPL 第十三条第一款第（三）项` / `PIPL Art. 13(1)(3)`.
    pub fn citation_zh(self) -> String {
        const NUM: [&str; 7] = ["一", "二", "三", "四", "五", "六", "七"];
        format!(
            "《个人信息保护法》第十三条第一款第（{}）项",
            NUM[usize::from(self.item()) - 1]
        )
    }
    pub fn citation_en(self) -> String {
        format!("PIPL Art. 13(1)({})", self.item())
    }
}

/// The words of a retention rule in both languages (the rules are `crate::retention`'s).
pub fn retention_words(r: Retention) -> (&'static str, &'static str) {
    match r {
        Retention::WhileRecordExists => (
            "随记录保存，记录删除时一并彻底删除",
            "kept while the record exists, securely deleted with it",
        ),
        Retention::AnonymiseAfterGraduation => (
            "在校期间保存，毕业后按配置年限匿名化",
            "kept while studying, anonymised the configured years after graduation",
        ),
        Retention::SessionLifetime => (
            "随会话保存，会话结束即删除",
            "kept for the session's lifetime",
        ),
        Retention::AuditThenArchive => (
            "至少保存180天，之后归档",
            "kept at least 180 days, then archived",
        ),
    }
}

/// What a module declares for one of its personal fields.
#[derive(Debug, Clone, Copy)]
pub struct PersonalField {
    /// The record type (`students`) and its field (`id_number`).
    pub resource: &'static str,
    pub field: &'static str,
    /// Why the college holds it.
    pub purpose_zh: &'static str,
    pub purpose_en: &'static str,
    pub basis: LegalBasis,
    pub retention: Retention,
}

/// Records that concern a student through one of the student's own fields rather than a
/// reference to them, declared by the module that owns `resource` (`Module::subject_links`):
/// the records of `resource` whose `field` equals the student's `student_field` (the bookings
/// of their class). Subject access includes them.
#[derive(Debug, Clone, Copy)]
pub struct SubjectLink {
    pub resource: &'static str,
    pub field: &'static str,
    pub student_field: &'static str,
}

/// A kind of role that may reveal a field, and the rows it may reveal it on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revealer {
    /// The role's name in the audit trail (`admin`, `staff`...).
    pub role: &'static str,
    pub zh: String,
    pub en: String,
    /// Which rows: `all`, `school`, `teacher`, `mentor`, `org`, `student`.
    pub rows: &'static str,
}

/// One line of the registry: a personal field with its declaration and who may reveal it.
#[derive(Debug, Clone, Serialize)]
pub struct RegistryEntry {
    pub module: &'static str,
    pub resource: &'static str,
    pub resource_zh: &'static str,
    pub resource_en: &'static str,
    pub field: &'static str,
    pub field_zh: &'static str,
    pub field_en: &'static str,
    /// `id_number`, `phone`, `address`, `email`.
    pub class: &'static str,
    pub purpose_zh: &'static str,
    pub purpose_en: &'static str,
    pub basis: LegalBasis,
    pub basis_zh: String,
    pub basis_en: String,
    pub retention: &'static str,
    pub retention_zh: &'static str,
    pub retention_en: &'static str,
    pub revealers: Vec<Revealer>,
}

/// The class of a personal field, as the API names it.
pub fn pii_class(p: Pii) -> &'static str {
    match p {
        Pii::None => "none",
        Pii::IdNumber => "id_number",
        Pii::Phone => "phone",
        Pii::Address => "address",
        Pii::Email => "email",
    }
}

fn retention_code(r: Retention) -> &'static str {
    match r {
        Retention::WhileRecordExists => "while_record_exists",
        Retention::AnonymiseAfterGraduation => "anonymise_after_graduation",
        Retention::SessionLifetime => "session_lifetime",
        Retention::AuditThenArchive => "audit_then_archive",
    }
}

fn office_words(o: Office) -> (&'static str, &'static str) {
    match o {
        Office::AcademicAffairs => ("教务处", "Academic affairs"),
        Office::StudentAffairs => ("学生处", "Student affairs"),
        Office::Employment => ("招生就业处", "Employment office"),
        Office::Cooperation => ("校企合作处", "Cooperation office"),
        Office::International => ("国际交流处", "International office"),
        Office::Other => ("其他部门", "Other office"),
    }
}

/// One role of each kind the access engine distinguishes, with its words: every office
/// college-wide and for one school, and each enterprise relation. The ids are placeholders: a
/// scope's kind, not its row, is what the registry states.
fn role_kinds() -> Vec<(Role, String, String)> {
    let mut v = vec![
        (Role::Admin, "系统管理员".into(), "Administrator".into()),
        (Role::Leader, "校领导".into(), "College leader".into()),
    ];
    for o in crate::access::OFFICES {
        let (zh, en) = office_words(*o);
        v.push((
            Role::Staff {
                office: *o,
                school_id: None,
            },
            format!("{zh}（全校）"),
            format!("{en} (college-wide)"),
        ));
        v.push((
            Role::Staff {
                office: *o,
                school_id: Some(1),
            },
            format!("{zh}（二级学院）"),
            format!("{en} (one school)"),
        ));
    }
    v.push((
        Role::Teacher { staff_id: 1 },
        "教师".into(),
        "Teacher".into(),
    ));
    for (relation, zh, en) in [
        (ContactRole::Contact, "企业联系人", "Enterprise contact"),
        (ContactRole::Mentor, "企业导师", "Enterprise mentor"),
        (ContactRole::Hr, "企业人事", "Enterprise HR"),
    ] {
        v.push((
            Role::Enterprise {
                org_id: 1,
                contact_id: 1,
                relation,
            },
            zh.into(),
            en.into(),
        ));
    }
    v.push((
        Role::Student { student_id: 1 },
        "学生".into(),
        "Student".into(),
    ));
    v
}

fn rows_code(s: RowScope) -> &'static str {
    match s {
        RowScope::All => "all",
        RowScope::School(_) => "school",
        RowScope::Teacher(_) => "teacher",
        RowScope::Mentor(_) => "mentor",
        RowScope::Org(_) => "org",
        RowScope::Student(_) => "student",
    }
}

/// The words of a reveal scope's rows.
pub fn rows_words(code: &str) -> (&'static str, &'static str) {
    match code {
        "all" => ("全部", "all rows"),
        "school" => ("本学院", "own school"),
        "teacher" => ("所带班级与学生", "own classes and mentees"),
        "mentor" => ("所带学生", "own mentees"),
        "org" => ("本单位", "own organisation"),
        _ => ("本人", "themselves"),
    }
}

/// The kinds of role that may reveal `field` of `def`, computed from the access engine: the
/// role reaches the record type for `Reveal` ([`may_reveal`]) and the field's group
/// ([`may_field`]), which is exactly what the store's reveal checks.
pub fn revealers(def: &ResourceDef, field: &Field) -> Vec<Revealer> {
    role_kinds()
        .into_iter()
        .filter_map(|(role, zh, en)| {
            let scope = row_scope(&role, Action::Reveal, def.name)?;
            let actor = Actor {
                user_id: Some(1),
                username: "registry".into(),
                roles: vec![role.clone()],
            };
            (may_reveal(&actor, def, field) && may_field(&actor, Action::Reveal, def, field.name))
                .then(|| Revealer {
                    role: role.name(),
                    zh,
                    en,
                    rows: rows_code(scope),
                })
        })
        .collect()
}

/// Every declaration of `modules`, paired with its record type and field; declarations that
/// name none are left out (see [`problems`]).
fn resolved(
    modules: &[&'static Module],
) -> Vec<(
    &'static Module,
    &'static ResourceDef,
    &'static Field,
    &'static PersonalField,
)> {
    let mut out = Vec::new();
    for m in modules {
        for p in m.personal {
            let def = modules
                .iter()
                .flat_map(|m| m.records.iter().copied())
                .find(|d| d.name == p.resource);
            if let Some((def, f)) = def.and_then(|d| Some((d, d.field(p.field)?))) {
                out.push((*m, def, f, p));
            }
        }
    }
    out
}

/// What is wrong with the registry of `modules`: every personal field without an entry (or with
/// an entry in another module than the one that declares its record), every entry that names
/// no personal field, and every field with two entries. Empty when the registry is complete.
pub fn problems(modules: &[&'static Module]) -> Vec<String> {
    let mut out = Vec::new();
    for m in modules {
        for def in m.records {
            for f in def.fields.iter().filter(|f| f.pii != Pii::None) {
                let entries: Vec<&PersonalField> = m
                    .personal
                    .iter()
                    .filter(|p| p.resource == def.name && p.field == f.name)
                    .collect();
                match entries.len() {
                    0 => out.push(format!(
                        "personal field {}.{} (module {}) has no entry in the privacy registry: \
                         declare its purpose, legal basis and retention in \
                         crates/core/src/modules/{}/personal.rs",
                        def.name, f.name, m.name, m.name
                    )),
                    1 => {}
                    n => out.push(format!(
                        "personal field {}.{} has {n} entries in the privacy registry",
                        def.name, f.name
                    )),
                }
            }
        }
        for p in m.personal {
            let own = m
                .records
                .iter()
                .find(|d| d.name == p.resource)
                .and_then(|d| d.field(p.field));
            match own {
                None => out.push(format!(
                    "privacy registry entry {}.{} (module {}) names no field of the module's \
                     record types",
                    p.resource, p.field, m.name
                )),
                Some(f) if f.pii == Pii::None => out.push(format!(
                    "privacy registry entry {}.{} (module {}) names a field that is not personal \
                     (its Pii is None)",
                    p.resource, p.field, m.name
                )),
                Some(_) => {}
            }
            if p.purpose_zh.trim().is_empty() || p.purpose_en.trim().is_empty() {
                out.push(format!(
                    "privacy registry entry {}.{} has no purpose in both languages",
                    p.resource, p.field
                ));
            }
        }
    }
    out
}

/// The registry: every entry of every module, in module and field order.
pub fn entries() -> Vec<RegistryEntry> {
    let mut v: Vec<RegistryEntry> = resolved(MODULES)
        .into_iter()
        .map(|(m, def, f, p)| {
            let (rzh, ren) = retention_words(p.retention);
            RegistryEntry {
                module: m.name,
                resource: def.name,
                resource_zh: def.zh,
                resource_en: def.en,
                field: f.name,
                field_zh: f.zh,
                field_en: f.en,
                class: pii_class(f.pii),
                purpose_zh: p.purpose_zh,
                purpose_en: p.purpose_en,
                basis: p.basis,
                basis_zh: format!("{}：{}", p.basis.citation_zh(), p.basis.zh()),
                basis_en: format!("{}: {}", p.basis.citation_en(), p.basis.en()),
                retention: retention_code(p.retention),
                retention_zh: rzh,
                retention_en: ren,
                revealers: revealers(def, f),
            }
        })
        .collect();
    // Field order within a record type, whatever order the module listed its entries in.
    let pos = |e: &RegistryEntry| {
        let ri = crate::modules::RESOURCES
            .iter()
            .position(|d| d.name == e.resource)
            .unwrap_or(usize::MAX);
        let fi = crate::modules::resource(e.resource)
            .and_then(|d| d.fields.iter().position(|f| f.name == e.field))
            .unwrap_or(usize::MAX);
        (ri, fi)
    };
    v.sort_by_key(pos);
    v
}

/// The registry as a Markdown table, in both languages (what `SECURITY.md` holds).
pub fn markdown() -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = String::from(
        "| 记录 / Record | 字段 / Field | 目的 / Purpose | 合法性基础 / Legal basis | 保存期限 / Retention | 可查看完整值 / Who may reveal |\n\
         |---|---|---|---|---|---|\n",
    );
    for e in entries() {
        let who = if e.revealers.is_empty() {
            "无 / nobody".to_string()
        } else {
            e.revealers
                .iter()
                .map(|r| {
                    let (zh, en) = rows_words(r.rows);
                    format!("{}（{zh}） / {} ({en})", r.zh, r.en)
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        out.push_str(&format!(
            "| {} / {} | {} / {} (`{}.{}`) | {} / {} | {} / {} | {} / {} | {} |\n",
            cell(e.resource_zh),
            cell(e.resource_en),
            cell(e.field_zh),
            cell(e.field_en),
            e.resource,
            e.field,
            cell(e.purpose_zh),
            cell(e.purpose_en),
            cell(&e.basis_zh),
            cell(&e.basis_en),
            cell(e.retention_zh),
            cell(e.retention_en),
            cell(&who),
        ));
    }
    out
}

/// The markers between which `SECURITY.md` holds [`markdown`]'s output.
pub const MARKDOWN_BEGIN: &str =
    "<!-- privacy-registry: begin (generated by `skillbridge privacy-registry --markdown`) -->";
pub const MARKDOWN_END: &str = "<!-- privacy-registry: end -->";

/// The text between the markers of a document (`SECURITY.md`), without the line breaks that
/// frame it; `None` when a marker is missing.
pub fn between_markers(doc: &str) -> Option<&str> {
    let start = doc.find(MARKDOWN_BEGIN)? + MARKDOWN_BEGIN.len();
    let end = start + doc[start..].find(MARKDOWN_END)?;
    Some(doc[start..end].trim_matches('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modules::RESOURCES;

    #[test]
    fn every_personal_field_has_exactly_one_entry_and_every_entry_a_personal_field() {
        let problems = problems(MODULES);
        assert!(
            problems.is_empty(),
            "the privacy registry is incomplete:\n{}",
            problems.join("\n")
        );
        let personal = RESOURCES
            .iter()
            .flat_map(|d| d.fields.iter().filter(|f| f.pii != Pii::None))
            .count();
        assert!(personal >= 8, "only {personal} personal fields?");
        assert_eq!(entries().len(), personal);
    }

    /// The check itself fails on a field without an entry and on an entry without a field: a
    /// module with a personal field and a stray entry.
    #[test]
    fn the_completeness_check_names_a_missing_and_a_stray_entry() {
        use crate::schema::{Kind, ResourceDef};
        static DEF: ResourceDef = ResourceDef {
            name: "pets",
            table: "pets",
            zh: "宠物",
            en: "Pets",
            fields: &[crate::schema::pii(
                "owner_phone",
                "主人电话",
                "Owner's phone",
                Kind::Phone,
                Pii::Phone,
            )],
            ..ResourceDef::NEW
        };
        static M: Module = Module {
            name: "pets",
            zh: "宠物",
            en: "Pets",
            records: &[&DEF],
            permissions: &[],
            scope: |_, _, _| None,
            menu: &[],
            subject_links: &[],
            personal: &[PersonalField {
                resource: "pets",
                field: "name",
                purpose_zh: "称呼",
                purpose_en: "naming",
                basis: LegalBasis::Consent,
                retention: Retention::WhileRecordExists,
            }],
        };
        let p = problems(&[&M]);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains("pets.owner_phone") && p[0].contains("no entry"));
        assert!(p[1].contains("pets.name") && p[1].contains("names no field"));
    }

    #[test]
    fn revealers_follow_the_access_engine() {
        let e = entries();
        let id = e
            .iter()
            .find(|e| e.resource == "students" && e.field == "id_number")
            .unwrap();
        let roles: Vec<&str> = id.revealers.iter().map(|r| r.role).collect();
        assert!(roles.contains(&"admin"), "{roles:?}");
        // Enterprise users never reveal, and nobody reveals without a reveal scope.
        for e in &e {
            assert!(
                e.revealers.iter().all(|r| r.role != "enterprise"),
                "{}.{}",
                e.resource,
                e.field
            );
            let def = crate::modules::resource(e.resource).unwrap();
            for r in &e.revealers {
                assert!(role_kinds().iter().any(|(role, zh, _)| *zh == r.zh
                    && row_scope(role, Action::Reveal, def.name).is_some()));
            }
        }
        // A leader reads everything and reveals nothing.
        assert!(id.revealers.iter().all(|r| r.role != "leader"));
    }

    #[test]
    fn subject_links_name_a_field_and_the_students_field_of_the_same_kind() {
        let students = crate::modules::resource("students").unwrap();
        let mut n = 0;
        for m in MODULES {
            for l in m.subject_links {
                let def = m.records.iter().find(|d| d.name == l.resource);
                let f = def.and_then(|d| d.field(l.field));
                let sf = students.field(l.student_field);
                assert!(
                    f.is_some() && sf.is_some() && f.map(|f| f.kind) == sf.map(|f| f.kind),
                    "module {}: subject link {}.{} = students.{}",
                    m.name,
                    l.resource,
                    l.field,
                    l.student_field
                );
                n += 1;
            }
        }
        assert!(n >= 1);
    }

    #[test]
    fn the_legal_bases_cite_their_item() {
        assert_eq!(LegalBasis::LegalDuty.citation_en(), "PIPL Art. 13(1)(3)");
        assert_eq!(
            LegalBasis::Contract.citation_zh(),
            "《个人信息保护法》第十三条第一款第（二）项"
        );
    }

    /// `SECURITY.md` holds the registry as `skillbridge privacy-registry --markdown` prints it.
    #[test]
    fn security_md_holds_the_current_registry() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../SECURITY.md");
        let doc = std::fs::read_to_string(path).expect("SECURITY.md at the repository root");
        let held = between_markers(&doc).expect("SECURITY.md has the privacy-registry markers");
        let now = markdown();
        assert_eq!(
            held.trim(),
            now.trim(),
            "SECURITY.md's privacy registry is out of date: run \
             `skillbridge privacy-registry --markdown` and paste its output between the markers"
        );
    }
}
