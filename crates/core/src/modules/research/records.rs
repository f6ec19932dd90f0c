//! The record types of the `research` module, described once (see `crate::schema` for the
//! engine): projects, their partners, the money received per year, participants and outcomes.

use crate::labels::{l, EnumTable};
use crate::schema::{f, key, req, Field, Kind, ResourceDef};

/// Horizontal projects are contracted with enterprises (their receipts are technology-service
/// income); vertical projects are funded by government programmes.
pub static PROJECT_KINDS: EnumTable = EnumTable {
    labels: &[
        l("horizontal", "横向项目", "Horizontal (enterprise)"),
        l("vertical", "纵向项目", "Vertical (government-funded)"),
    ],
    aliases: &[("横向", "horizontal"), ("纵向", "vertical")],
};

pub static PROJECT_STATUSES: EnumTable = EnumTable {
    labels: &[
        l("proposed", "申报中", "Proposed"),
        l("active", "在研", "In progress"),
        l("completed", "已结题", "Completed"),
        l("terminated", "已终止", "Terminated"),
    ],
    aliases: &[("结题", "completed"), ("进行中", "active")],
};

pub static PARTNER_ROLES: EnumTable = EnumTable {
    labels: &[
        l("client", "委托方", "Client"),
        l("co_developer", "合作研发方", "Co-developer"),
        l("funder", "资助方", "Funder"),
    ],
    aliases: &[("合作方", "co_developer"), ("甲方", "client")],
};

pub static PARTICIPANT_KINDS: EnumTable = EnumTable {
    labels: &[
        l("staff", "教职工", "Staff"),
        l("student", "学生", "Student"),
    ],
    aliases: &[("教师", "staff")],
};

pub static PARTICIPANT_ROLES: EnumTable = EnumTable {
    labels: &[
        l("lead", "负责人", "Lead"),
        l("core", "核心成员", "Core member"),
        l("member", "参与成员", "Member"),
        l("assistant", "学生助研", "Student assistant"),
    ],
    aliases: &[("项目负责人", "lead"), ("成员", "member")],
};

/// What an outcome is; each kind has its own fields (see `check_outcome`).
pub static OUTCOME_KINDS: EnumTable = EnumTable {
    labels: &[
        l("patent", "专利", "Patent"),
        l("software", "软件著作权", "Software copyright"),
        l("standard", "标准", "Standard"),
        l("product", "产品", "Product"),
        l("paper", "论文", "Paper"),
    ],
    aliases: &[("软著", "software"), ("计算机软件著作权", "software")],
};

/// The three kinds of Chinese patent (专利法 Art. 2).
pub static PATENT_TYPES: EnumTable = EnumTable {
    labels: &[
        l("invention", "发明", "Invention"),
        l("utility", "实用新型", "Utility model"),
        l("design", "外观设计", "Design"),
    ],
    aliases: &[
        ("发明专利", "invention"),
        ("实用新型专利", "utility"),
        ("外观设计专利", "design"),
    ],
};

pub static PATENT_STATUSES: EnumTable = EnumTable {
    labels: &[
        l("filed", "已受理", "Filed"),
        l("published", "已公开", "Published"),
        l("granted", "已授权", "Granted"),
        l("lapsed", "已失效", "Lapsed"),
    ],
    aliases: &[("授权", "granted"), ("受理", "filed")],
};

pub static STANDARD_LEVELS: EnumTable = EnumTable {
    labels: &[
        l("national", "国家标准", "National"),
        l("industry", "行业标准", "Industry"),
        l("local", "地方标准", "Local"),
        l("group", "团体标准", "Group"),
        l("enterprise", "企业标准", "Enterprise"),
    ],
    aliases: &[],
};

/// A research or technology-transfer project (科研项目 / 技术服务项目).
pub static RESEARCH_PROJECTS: ResourceDef = ResourceDef {
    name: "research_projects",
    table: "research_projects",
    zh: "科研项目",
    en: "R&D projects",
    fields: &[
        Field {
            aliases: &["项目号", "合同编号"],
            ..key(
                "project_no",
                "项目编号",
                "Project no.",
                Kind::Text { max: 40 },
            )
        },
        Field {
            aliases: &["项目名", "名称"],
            ..req("title", "项目名称", "Title", Kind::Text { max: 200 })
        },
        Field {
            aliases: &["项目类型", "类别"],
            ..req("kind", "项目类别", "Kind", Kind::Enum(&PROJECT_KINDS))
        },
        Field {
            aliases: &["所在学院", "学院"],
            ..req("school_id", "二级学院", "School", Kind::Ref("schools"))
        },
        Field {
            aliases: &["负责人", "项目负责人工号"],
            ..req("lead_id", "项目负责人", "Lead", Kind::Ref("staff"))
        },
        f("funder", "资助来源", "Funded by", Kind::Text { max: 200 }),
        Field {
            aliases: &["立项日期", "开始时间"],
            ..req("start_date", "开始日期", "Start date", Kind::Date)
        },
        Field {
            aliases: &["结题日期", "结束时间"],
            ..f("end_date", "结束日期", "End date", Kind::Date)
        },
        Field {
            aliases: &["合同金额（分）", "合同经费"],
            ..req("contract_fen", "合同金额", "Contract amount", Kind::Fen)
        },
        Field {
            aliases: &["项目状态"],
            ..req("status", "状态", "Status", Kind::Enum(&PROJECT_STATUSES))
        },
        f("remarks", "备注", "Remarks", Kind::Text { max: 500 }),
    ],
    search: &["project_no", "title"],
    order: "id",
    label: "title",
    import_key: &["project_no"],
    ref_keys: &["project_no", "title"],
    ..ResourceDef::NEW
};

/// A partner organisation of a project: an enterprise, a university or a foreign institution.
pub static RESEARCH_PARTNERS: ResourceDef = ResourceDef {
    name: "research_partners",
    table: "research_partners",
    zh: "项目合作单位",
    en: "Project partners",
    fields: &[
        req(
            "project_id",
            "科研项目",
            "Project",
            Kind::Ref("research_projects"),
        ),
        req(
            "org_id",
            "合作单位",
            "Organisation",
            Kind::Ref("organisations"),
        ),
        req("role", "合作角色", "Role", Kind::Enum(&PARTNER_ROLES)),
    ],
    search: &[],
    order: "id",
    unique_together: &[&["project_id", "org_id"]],
    ..ResourceDef::NEW
};

/// Money received on a project in one calendar year (到账经费), in fen.
pub static RESEARCH_RECEIPTS: ResourceDef = ResourceDef {
    name: "research_receipts",
    table: "research_receipts",
    zh: "到账经费",
    en: "Money received",
    fields: &[
        req(
            "project_id",
            "科研项目",
            "Project",
            Kind::Ref("research_projects"),
        ),
        req(
            "year",
            "年度",
            "Year",
            Kind::Int {
                min: 2000,
                max: 2100,
            },
        ),
        req("amount_fen", "到账金额", "Amount received", Kind::Fen),
        f("remarks", "备注", "Remarks", Kind::Text { max: 500 }),
    ],
    search: &[],
    order: "year",
    unique_together: &[&["project_id", "year"]],
    ..ResourceDef::NEW
};

/// A member of a project team: a staff member or a student, with a role.
pub static RESEARCH_PARTICIPANTS: ResourceDef = ResourceDef {
    name: "research_participants",
    table: "research_participants",
    zh: "项目成员",
    en: "Project participants",
    fields: &[
        req(
            "project_id",
            "科研项目",
            "Project",
            Kind::Ref("research_projects"),
        ),
        req("kind", "成员类型", "Kind", Kind::Enum(&PARTICIPANT_KINDS)),
        f("staff_id", "教职工", "Staff member", Kind::Ref("staff")),
        f("student_id", "学生", "Student", Kind::Ref("students")),
        req("role", "角色", "Role", Kind::Enum(&PARTICIPANT_ROLES)),
    ],
    search: &[],
    order: "id",
    check: super::check_participant,
    ..ResourceDef::NEW
};

/// An outcome of a project: a patent, software copyright, standard, product or paper, with the
/// fields of its kind (see `check_outcome`).
pub static RESEARCH_OUTCOMES: ResourceDef = ResourceDef {
    name: "research_outcomes",
    table: "research_outcomes",
    zh: "科研成果",
    en: "R&D outcomes",
    fields: &[
        req(
            "project_id",
            "科研项目",
            "Project",
            Kind::Ref("research_projects"),
        ),
        req("kind", "成果类型", "Kind", Kind::Enum(&OUTCOME_KINDS)),
        req("title", "成果名称", "Title", Kind::Text { max: 200 }),
        f(
            "number",
            "专利号/登记号/标准号",
            "Patent, registration or standard no.",
            Kind::Text { max: 40 },
        ),
        f(
            "patent_type",
            "专利类型",
            "Patent type",
            Kind::Enum(&PATENT_TYPES),
        ),
        f(
            "patent_status",
            "专利状态",
            "Patent status",
            Kind::Enum(&PATENT_STATUSES),
        ),
        f(
            "standard_level",
            "标准级别",
            "Standard level",
            Kind::Enum(&STANDARD_LEVELS),
        ),
        f("venue", "发表期刊", "Journal", Kind::Text { max: 200 }),
        f("dated", "日期", "Date", Kind::Date),
    ],
    search: &["title", "number"],
    order: "id",
    label: "title",
    check: super::check_outcome,
    ..ResourceDef::NEW
};
