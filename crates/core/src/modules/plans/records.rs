//! The record types of joint talent-cultivation plans (see `crate::schema` for the engine).

use crate::labels::{l, EnumTable};
use crate::schema::{f, req, Field, Kind, ResourceDef};

/// Where a plan is in its approval.
pub static PLAN_STATUSES: EnumTable = EnumTable {
    labels: &[
        l("draft", "草稿", "Draft"),
        l("in_review", "审核中", "In review"),
        l("co_signed", "已会签", "Co-signed"),
        l("approved", "已批准", "Approved"),
    ],
    aliases: &[
        ("草拟", "draft"),
        ("待审核", "in_review"),
        ("已审批", "approved"),
    ],
};

/// The course types of the national guidance on plans.
pub static COURSE_TYPES: EnumTable = EnumTable {
    labels: &[
        l("public", "公共基础", "Public foundation"),
        l("foundation", "专业基础", "Professional foundation"),
        l("core", "专业核心", "Professional core"),
        l("extension", "专业拓展", "Professional extension"),
        l("practice", "实践", "Practice"),
    ],
    aliases: &[
        ("公共基础课", "public"),
        ("专业基础课", "foundation"),
        ("专业核心课", "core"),
        ("专业拓展课", "extension"),
        ("实践课", "practice"),
        ("集中实践", "practice"),
    ],
};

/// Whether a course must be taken.
pub static COURSE_NATURES: EnumTable = EnumTable {
    labels: &[
        l("compulsory", "必修", "Compulsory"),
        l("elective", "选修", "Elective"),
    ],
    aliases: &[("必修课", "compulsory"), ("选修课", "elective")],
};

/// One version of the talent-cultivation plan (人才培养方案) of a program for an entry cohort.
/// Its status moves only through the approval procedure; an approved version is frozen.
pub static PLANS: ResourceDef = ResourceDef {
    name: "plans",
    table: "plans",
    zh: "人才培养方案",
    en: "Cultivation plans",
    fields: &[
        req("program_id", "专业", "Program", Kind::Ref("programs")),
        Field {
            aliases: &["年级", "入学年份"],
            ..req(
                "cohort_year",
                "入学年级",
                "Entry cohort",
                Kind::Int {
                    min: 2000,
                    max: 2100,
                },
            )
        },
        req(
            "version",
            "版本号",
            "Version",
            Kind::Int { min: 1, max: 99 },
        ),
        req("title", "方案名称", "Title", Kind::Text { max: 100 }),
        Field {
            aliases: &["专业负责人"],
            ..req(
                "lead_staff_id",
                "专业带头人",
                "Program lead",
                Kind::Ref("staff"),
            )
        },
        req("status", "状态", "Status", Kind::Enum(&PLAN_STATUSES)),
        f(
            "parent_id",
            "上一版本",
            "Previous version",
            Kind::Ref("plans"),
        ),
        f(
            "exception_reason",
            "例外说明",
            "Exception notes",
            Kind::Text { max: 1000 },
        ),
        f(
            "approved_by",
            "批准人",
            "Approved by",
            Kind::Text { max: 100 },
        ),
        f("approved_at", "批准时间", "Approved at", Kind::Instant),
        f("remarks", "备注", "Remarks", Kind::Text { max: 500 }),
    ],
    search: &["title"],
    order: "id",
    label: "title",
    unique_together: &[&["program_id", "cohort_year", "version"]],
    check: super::check_plan,
    ..ResourceDef::NEW
};

/// One course of a plan version. Its course code is its identity across versions (the diff and
/// the teaching resources link courses by program and course code).
pub static PLAN_COURSES: ResourceDef = ResourceDef {
    name: "plan_courses",
    table: "plan_courses",
    zh: "方案课程",
    en: "Plan courses",
    fields: &[
        req("plan_id", "人才培养方案", "Plan", Kind::Ref("plans")),
        Field {
            aliases: &["开课学期"],
            ..req("semester", "学期", "Semester", Kind::Int { min: 1, max: 6 })
        },
        Field {
            aliases: &["课程编码", "课程号"],
            ..req(
                "course_code",
                "课程代码",
                "Course code",
                Kind::Text { max: 20 },
            )
        },
        Field {
            aliases: &["课程"],
            ..req(
                "course_name",
                "课程名称",
                "Course name",
                Kind::Text { max: 100 },
            )
        },
        req(
            "theory_hours",
            "理论学时",
            "Theory hours",
            Kind::Int { min: 0, max: 2000 },
        ),
        req(
            "practice_hours",
            "实践学时",
            "Practice hours",
            Kind::Int { min: 0, max: 2000 },
        ),
        req(
            "credits",
            "学分",
            "Credits",
            Kind::Decimal {
                scale: 1,
                min: 0,
                max: 1000,
            },
        ),
        Field {
            aliases: &["课程性质类别"],
            ..req(
                "course_type",
                "课程类型",
                "Course type",
                Kind::Enum(&COURSE_TYPES),
            )
        },
        Field {
            aliases: &["必修/选修", "修读性质"],
            ..req(
                "nature",
                "课程性质",
                "Compulsory or elective",
                Kind::Enum(&COURSE_NATURES),
            )
        },
        Field {
            aliases: &["合作企业", "共建企业"],
            ..f(
                "org_id",
                "共建企业",
                "Co-developing enterprise",
                Kind::Ref("organisations"),
            )
        },
        f(
            "frontier_tags",
            "前沿内容标签",
            "Cutting-edge tags",
            Kind::Text { max: 200 },
        ),
        f(
            "skill_tags",
            "技能标签",
            "Skill tags",
            Kind::Text { max: 300 },
        ),
    ],
    search: &["course_code", "course_name"],
    order: "semester",
    label: "course_name",
    unique_together: &[&["plan_id", "course_code"]],
    ..ResourceDef::NEW
};

/// An enterprise contact who co-signs a plan version (企业会签人).
pub static PLAN_SIGNATORIES: ResourceDef = ResourceDef {
    name: "plan_signatories",
    table: "plan_signatories",
    zh: "方案会签人",
    en: "Plan signatories",
    fields: &[
        req("plan_id", "人才培养方案", "Plan", Kind::Ref("plans")),
        req(
            "contact_id",
            "企业会签人",
            "Enterprise signatory",
            Kind::Ref("contacts"),
        ),
        f("signed_at", "会签时间", "Signed at", Kind::Instant),
    ],
    order: "id",
    unique_together: &[&["plan_id", "contact_id"]],
    check: super::check_signatory,
    ..ResourceDef::NEW
};
