//! The record types of this module, described once (see `crate::schema` for the engine).

use crate::labels::{l, EnumTable};
use crate::schema::{f, req, Kind, ResourceDef};

/// How a course is taught.
pub static TEACHING_MODES: EnumTable = EnumTable {
    labels: &[
        l("lecture", "理论教学", "Lecture"),
        l("practical", "实践教学", "Practical"),
        l("integrated", "理实一体", "Integrated"),
    ],
    aliases: &[
        ("理论", "lecture"),
        ("实践", "practical"),
        ("实训", "practical"),
    ],
};

/// One course an enterprise expert teaches in one term (兼职教师授课): who (a contact person of a
/// partner organisation), for which secondary school, what and how many hours.
pub static ADJUNCT_TEACHING: ResourceDef = ResourceDef {
    name: "adjunct_teaching",
    table: "adjunct_teaching",
    zh: "兼职教师授课",
    en: "Adjunct teaching",
    fields: &[
        req(
            "contact_id",
            "兼职教师",
            "Adjunct teacher",
            Kind::Ref("contacts"),
        ),
        req("term_id", "学期", "Term", Kind::Ref("terms")),
        req("school_id", "二级学院", "School", Kind::Ref("schools")),
        req("course_name", "课程", "Course", Kind::Text { max: 100 }),
        req(
            "mode",
            "授课类型",
            "Teaching mode",
            Kind::Enum(&TEACHING_MODES),
        ),
        req(
            "hours",
            "授课学时",
            "Hours taught",
            Kind::Int { min: 1, max: 2000 },
        ),
        f("remarks", "备注", "Remarks", Kind::Text { max: 500 }),
    ],
    search: &["course_name"],
    order: "id",
    label: "course_name",
    // One row per person, term and course: a re-imported sheet updates its rows.
    import_key: &["contact_id", "term_id", "course_name"],
    unique_together: &[&["contact_id", "term_id", "course_name"]],
    ..ResourceDef::NEW
};
