//! The record types of this module, described once (see `crate::schema` for the engine).

use crate::labels::{l, EnumTable};
use crate::schema::{f, req, Field, Kind, ResourceDef};

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
        Field {
            aliases: &["兼职教师姓名", "教师姓名", "授课教师", "企业导师"],
            ..req(
                "contact_id",
                "兼职教师",
                "Adjunct teacher",
                Kind::Ref("contacts"),
            )
        },
        Field {
            aliases: &["授课学期", "学年学期", "开课学期"],
            ..req("term_id", "学期", "Term", Kind::Ref("terms"))
        },
        Field {
            aliases: &["开课学院", "所在学院", "院系", "学院"],
            ..req("school_id", "二级学院", "School", Kind::Ref("schools"))
        },
        Field {
            aliases: &["课程名称", "授课课程", "课程名"],
            ..req("course_name", "课程", "Course", Kind::Text { max: 100 })
        },
        Field {
            aliases: &["授课方式", "教学类型", "课程类型"],
            ..req(
                "mode",
                "授课类型",
                "Teaching mode",
                Kind::Enum(&TEACHING_MODES),
            )
        },
        Field {
            aliases: &["学时", "课时", "授课课时", "总学时"],
            ..req(
                "hours",
                "授课学时",
                "Hours taught",
                Kind::Int { min: 1, max: 2000 },
            )
        },
        Field {
            aliases: &["说明"],
            ..f("remarks", "备注", "Remarks", Kind::Text { max: 500 })
        },
    ],
    search: &["course_name"],
    order: "id",
    label: "course_name",
    // One row per person, term and course: a re-imported sheet updates its rows.
    import_key: &["contact_id", "term_id", "course_name"],
    unique_together: &[&["contact_id", "term_id", "course_name"]],
    ..ResourceDef::NEW
};
