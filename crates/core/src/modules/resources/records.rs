//! The record types of the `resources` module, described once (see `crate::schema` for the
//! engine): digital teaching resources, their authors and the courses that use them.

use crate::labels::{l, EnumTable};
use crate::schema::{f, key, req, Field, Kind, ResourceDef};

/// The kinds of digital teaching resource; the last two are the new-form textbooks (新形态教材).
pub static RESOURCE_KINDS: EnumTable = EnumTable {
    labels: &[
        l("courseware", "课件", "Courseware"),
        l("online_course", "在线开放课程", "Online course"),
        l("simulation", "虚拟仿真资源", "Virtual simulation resource"),
        l("loose_leaf", "活页式教材", "Loose-leaf textbook"),
        l("workbook", "工作手册式教材", "Workbook textbook"),
    ],
    aliases: &[
        ("在线课程", "online_course"),
        ("虚拟仿真", "simulation"),
        ("活页式", "loose_leaf"),
        ("工作手册式", "workbook"),
    ],
};

/// Under which terms a resource may be used.
pub static LICENCES: EnumTable = EnumTable {
    labels: &[
        l("campus", "校内使用", "Campus use only"),
        l("all_rights", "保留所有权利", "All rights reserved"),
        l("cc_by", "CC BY 4.0", "CC BY 4.0"),
        l("cc_by_nc", "CC BY-NC 4.0", "CC BY-NC 4.0"),
        l("cc_by_nc_sa", "CC BY-NC-SA 4.0", "CC BY-NC-SA 4.0"),
    ],
    aliases: &[("仅限校内", "campus"), ("版权所有", "all_rights")],
};

pub static AUTHOR_KINDS: EnumTable = EnumTable {
    labels: &[
        l("staff", "校内教师", "College staff"),
        l("enterprise", "企业人员", "Enterprise co-author"),
    ],
    aliases: &[("教师", "staff"), ("企业", "enterprise")],
};

pub static AUTHOR_ROLES: EnumTable = EnumTable {
    labels: &[
        l("chief", "主编", "Chief author"),
        l("author", "参编", "Co-author"),
        l("reviewer", "审定", "Reviewer"),
    ],
    aliases: &[("主持人", "chief"), ("编者", "author")],
};

/// A digital teaching resource (数字化教学资源). Views and downloads are counted by the server
/// (table `resource_usage`, not a field: nobody writes them); enrolled learners are entered.
pub static TEACHING_RESOURCES: ResourceDef = ResourceDef {
    name: "teaching_resources",
    table: "teaching_resources",
    zh: "教学资源",
    en: "Teaching resources",
    fields: &[
        Field {
            aliases: &["编号", "资源号"],
            ..key(
                "resource_no",
                "资源编号",
                "Resource no.",
                Kind::Text { max: 40 },
            )
        },
        Field {
            aliases: &["名称", "资源名"],
            ..req("title", "资源名称", "Title", Kind::Text { max: 200 })
        },
        Field {
            aliases: &["类型", "资源形式"],
            ..req("kind", "资源类型", "Kind", Kind::Enum(&RESOURCE_KINDS))
        },
        Field {
            aliases: &["所在学院", "学院"],
            ..req("school_id", "二级学院", "School", Kind::Ref("schools"))
        },
        Field {
            aliases: &["负责人"],
            ..req("lead_id", "资源负责人", "Lead", Kind::Ref("staff"))
        },
        Field {
            aliases: &["合作企业", "共建单位"],
            ..f(
                "partner_org_id",
                "合作开发企业",
                "Co-developing enterprise",
                Kind::Ref("organisations"),
            )
        },
        Field {
            aliases: &["许可", "授权方式"],
            ..req("licence", "使用许可", "Licence", Kind::Enum(&LICENCES))
        },
        Field {
            aliases: &["网址", "链接", "平台地址"],
            ..f("link", "访问地址", "Link", Kind::Text { max: 500 })
        },
        Field {
            aliases: &["上线日期", "出版日期"],
            ..f("published_on", "发布日期", "Published on", Kind::Date)
        },
        Field {
            aliases: &["学习人数", "选课人数"],
            ..f(
                "learners",
                "选课学习人数",
                "Enrolled learners",
                Kind::Int {
                    min: 0,
                    max: 100_000_000,
                },
            )
        },
        f("remarks", "备注", "Remarks", Kind::Text { max: 500 }),
    ],
    search: &["resource_no", "title"],
    order: "id",
    label: "title",
    import_key: &["resource_no"],
    ref_keys: &["resource_no", "title"],
    check: super::check_resource,
    ..ResourceDef::NEW
};

/// An author of a resource: a college staff member or an enterprise co-author (a contact of a
/// partner organisation).
pub static RESOURCE_AUTHORS: ResourceDef = ResourceDef {
    name: "resource_authors",
    table: "resource_authors",
    zh: "资源作者",
    en: "Resource authors",
    fields: &[
        req(
            "resource_id",
            "教学资源",
            "Resource",
            Kind::Ref("teaching_resources"),
        ),
        req("kind", "作者类型", "Kind", Kind::Enum(&AUTHOR_KINDS)),
        f("staff_id", "校内作者", "Staff author", Kind::Ref("staff")),
        f(
            "contact_id",
            "企业作者",
            "Enterprise co-author",
            Kind::Ref("contacts"),
        ),
        req("role", "角色", "Role", Kind::Enum(&AUTHOR_ROLES)),
    ],
    search: &[],
    order: "id",
    check: super::check_author,
    ..ResourceDef::NEW
};

/// A course that uses a resource, named as the talent-cultivation plans name it: the program and
/// the course code (with the course name as written), so that it links to the plans' courses
/// without depending on that module.
pub static RESOURCE_COURSES: ResourceDef = ResourceDef {
    name: "resource_courses",
    table: "resource_courses",
    zh: "资源使用课程",
    en: "Courses using a resource",
    fields: &[
        req(
            "resource_id",
            "教学资源",
            "Resource",
            Kind::Ref("teaching_resources"),
        ),
        req("program_id", "专业", "Program", Kind::Ref("programs")),
        req(
            "course_code",
            "课程代码",
            "Course code",
            Kind::Text { max: 20 },
        ),
        req(
            "course_name",
            "课程名称",
            "Course name",
            Kind::Text { max: 100 },
        ),
    ],
    search: &["course_code", "course_name"],
    order: "id",
    label: "course_name",
    unique_together: &[&["resource_id", "program_id", "course_code"]],
    ..ResourceDef::NEW
};
