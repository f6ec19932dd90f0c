//! The record types of this module, described once (see `crate::schema` for the engine).

use super::rules::{check_advisor, check_startup};
use crate::labels::{l, EnumTable};
use crate::schema::{f, key, req, Field, Kind, ResourceDef};

/// The level of a competition (赛事级别), as the quality report counts awards.
pub static COMPETITION_LEVELS: EnumTable = EnumTable {
    labels: &[
        l("national", "国家级", "National"),
        l("provincial", "省级", "Provincial"),
        l("city", "市级", "City"),
        l("college", "校级", "College"),
    ],
    aliases: &[
        ("国赛", "national"),
        ("全国", "national"),
        ("省赛", "provincial"),
        ("省部级", "provincial"),
        ("市赛", "city"),
        ("地市级", "city"),
        ("校赛", "college"),
        ("院级", "college"),
    ],
};

/// The grade of an award (奖项等级).
pub static AWARD_GRADES: EnumTable = EnumTable {
    labels: &[
        l("first", "一等奖", "First prize"),
        l("second", "二等奖", "Second prize"),
        l("third", "三等奖", "Third prize"),
        l("gold", "金奖", "Gold"),
        l("silver", "银奖", "Silver"),
        l("bronze", "铜奖", "Bronze"),
        l("merit", "优秀奖", "Honourable mention"),
    ],
    aliases: &[
        ("一等", "first"),
        ("二等", "second"),
        ("三等", "third"),
        ("金牌", "gold"),
        ("银牌", "silver"),
        ("铜牌", "bronze"),
        ("优胜奖", "merit"),
    ],
};

/// The stage of a start-up in the incubator (孵化阶段); its lifecycle is `rules::stage_move`.
pub static STARTUP_STAGES: EnumTable = EnumTable {
    labels: &[
        l("idea", "创意", "Idea"),
        l("incubating", "孵化中", "Incubating"),
        l("registered", "已注册公司", "Registered company"),
        l("graduated", "已出孵", "Graduated"),
        l("closed", "已关闭", "Closed"),
    ],
    aliases: &[
        ("创意阶段", "idea"),
        ("在孵", "incubating"),
        ("入孵", "incubating"),
        ("已注册", "registered"),
        ("毕业", "graduated"),
        ("出孵", "graduated"),
        ("终止", "closed"),
        ("注销", "closed"),
    ],
};

/// Where money for a start-up came from (资金类型).
pub static FUNDING_KINDS: EnumTable = EnumTable {
    labels: &[
        l("grant", "政府资助", "Government grant"),
        l("college", "学校资助", "College funding"),
        l("investment", "股权投资", "Equity investment"),
        l("prize", "竞赛奖金", "Competition prize"),
        l("loan", "创业贷款", "Start-up loan"),
    ],
    aliases: &[
        ("政府补贴", "grant"),
        ("扶持资金", "grant"),
        ("天使投资", "investment"),
        ("风险投资", "investment"),
        ("奖金", "prize"),
        ("贷款", "loan"),
    ],
};

/// A founder's role in a start-up.
pub static FOUNDER_ROLES: EnumTable = EnumTable {
    labels: &[
        l("lead", "负责人", "Lead founder"),
        l("cofounder", "联合创始人", "Co-founder"),
        l("member", "团队成员", "Team member"),
    ],
    aliases: &[
        ("项目负责人", "lead"),
        ("法人", "lead"),
        ("合伙人", "cofounder"),
        ("成员", "member"),
    ],
};

/// A competition (one event or track of one edition): 全国职业院校技能大赛 "新能源汽车检测与维修"
/// 赛项, 2025.
pub static COMPETITIONS: ResourceDef = ResourceDef {
    name: "competitions",
    table: "competitions",
    zh: "技能竞赛",
    en: "Competitions",
    fields: &[
        Field {
            aliases: &["赛项编号", "竞赛编号", "赛事编号"],
            ..key("code", "编号", "Code", Kind::Text { max: 40 })
        },
        Field {
            aliases: &["竞赛名称", "赛事名称", "大赛名称"],
            ..req("name", "竞赛名称", "Competition", Kind::Text { max: 100 })
        },
        Field {
            aliases: &["赛项", "赛道", "赛项名称", "比赛项目"],
            ..req("track", "赛项", "Track", Kind::Text { max: 100 })
        },
        Field {
            aliases: &["级别", "竞赛级别", "赛事级别"],
            ..req("level", "级别", "Level", Kind::Enum(&COMPETITION_LEVELS))
        },
        Field {
            aliases: &["年度", "举办年份", "届次年份"],
            ..req(
                "year",
                "年度",
                "Year",
                Kind::Int {
                    min: 2000,
                    max: 2100,
                },
            )
        },
        Field {
            aliases: &["主办方", "主办单位", "组织单位"],
            ..req(
                "organiser",
                "主办单位",
                "Organiser",
                Kind::Text { max: 100 },
            )
        },
        Field {
            aliases: &["说明"],
            ..f("remarks", "备注", "Remarks", Kind::Text { max: 500 })
        },
    ],
    search: &["code", "name", "track", "organiser"],
    order: "year",
    label: "name",
    import_key: &["code"],
    ref_keys: &["code"],
    ..ResourceDef::NEW
};

/// A team of the college in one competition (参赛队), entered by one school.
pub static COMPETITION_TEAMS: ResourceDef = ResourceDef {
    name: "competition_teams",
    table: "competition_teams",
    zh: "参赛队",
    en: "Competition teams",
    fields: &[
        Field {
            aliases: &["参赛队编号", "队伍编号", "报名编号"],
            ..key(
                "team_no",
                "参赛队编号",
                "Team number",
                Kind::Text { max: 40 },
            )
        },
        Field {
            aliases: &["赛项编号", "竞赛编号", "竞赛"],
            ..req(
                "competition_id",
                "竞赛",
                "Competition",
                Kind::Ref("competitions"),
            )
        },
        Field {
            aliases: &["队名", "队伍名称", "参赛队名称"],
            ..req("name", "参赛队", "Team", Kind::Text { max: 100 })
        },
        Field {
            aliases: &["所在学院", "院系", "学院"],
            ..req("school_id", "二级学院", "School", Kind::Ref("schools"))
        },
        Field {
            aliases: &["说明"],
            ..f("remarks", "备注", "Remarks", Kind::Text { max: 500 })
        },
    ],
    search: &["team_no", "name"],
    order: "id",
    label: "name",
    import_key: &["team_no"],
    ref_keys: &["team_no"],
    ..ResourceDef::NEW
};

/// A student on a team (参赛学生).
pub static COMPETITION_MEMBERS: ResourceDef = ResourceDef {
    name: "competition_members",
    table: "competition_members",
    zh: "参赛学生",
    en: "Team members",
    fields: &[
        Field {
            aliases: &["参赛队编号", "队伍编号"],
            ..req("team_id", "参赛队", "Team", Kind::Ref("competition_teams"))
        },
        Field {
            aliases: &["学号", "学生", "参赛选手", "选手"],
            ..req("student_id", "学生", "Student", Kind::Ref("students"))
        },
        Field {
            aliases: &["分工", "角色"],
            ..f("duty", "分工", "Duty", Kind::Text { max: 100 })
        },
    ],
    order: "id",
    label: "student_id",
    import_key: &["team_id", "student_id"],
    unique_together: &[&["team_id", "student_id"]],
    ..ResourceDef::NEW
};

/// An advisor of a team (指导教师): a college teacher or an enterprise contact, exactly one.
pub static COMPETITION_ADVISORS: ResourceDef = ResourceDef {
    name: "competition_advisors",
    table: "competition_advisors",
    zh: "指导教师",
    en: "Team advisors",
    fields: &[
        Field {
            aliases: &["参赛队编号", "队伍编号"],
            ..req("team_id", "参赛队", "Team", Kind::Ref("competition_teams"))
        },
        Field {
            aliases: &["指导教师工号", "校内指导教师", "教师"],
            ..f(
                "staff_id",
                "校内教师",
                "College teacher",
                Kind::Ref("staff"),
            )
        },
        Field {
            aliases: &["企业指导教师", "企业导师"],
            ..f(
                "contact_id",
                "企业指导教师",
                "Enterprise advisor",
                Kind::Ref("contacts"),
            )
        },
    ],
    order: "id",
    label: "team_id",
    check: check_advisor,
    ..ResourceDef::NEW
};

/// The award a team won (获奖), with the certificate attached to it as a file.
pub static COMPETITION_AWARDS: ResourceDef = ResourceDef {
    name: "competition_awards",
    table: "competition_awards",
    zh: "竞赛获奖",
    en: "Competition awards",
    fields: &[
        Field {
            aliases: &["参赛队编号", "队伍编号"],
            unique: true,
            ..req("team_id", "参赛队", "Team", Kind::Ref("competition_teams"))
        },
        Field {
            aliases: &["获奖等级", "奖项", "奖项等级", "名次"],
            ..req("grade", "奖项等级", "Grade", Kind::Enum(&AWARD_GRADES))
        },
        Field {
            aliases: &["获奖日期", "获奖时间", "颁奖日期"],
            ..req("awarded_on", "获奖日期", "Awarded on", Kind::Date)
        },
        Field {
            aliases: &["证书编号"],
            ..f(
                "certificate_no",
                "证书编号",
                "Certificate number",
                Kind::Text { max: 60 },
            )
        },
    ],
    order: "awarded_on",
    label: "team_id",
    // One award a team: a file's row is the award its team received on that date (a corrected
    // grade updates it). A key of one reference alone is not matched by the import.
    import_key: &["team_id", "awarded_on"],
    ..ResourceDef::NEW
};

/// A start-up project of the college's incubator (创新创业孵化项目), with its outcome once it
/// registers a company.
pub static STARTUPS: ResourceDef = ResourceDef {
    name: "startups",
    table: "startups",
    zh: "创业项目",
    en: "Start-ups",
    fields: &[
        Field {
            aliases: &["项目名称", "创业项目名称"],
            ..key("name", "项目名称", "Project", Kind::Text { max: 100 })
        },
        Field {
            aliases: &["所在学院", "院系", "学院"],
            ..req("school_id", "二级学院", "School", Kind::Ref("schools"))
        },
        Field {
            aliases: &["孵化阶段", "项目阶段", "状态"],
            ..req("stage", "阶段", "Stage", Kind::Enum(&STARTUP_STAGES))
        },
        Field {
            aliases: &["入孵日期", "入驻日期"],
            ..f("entered_on", "入孵日期", "Entered on", Kind::Date)
        },
        Field {
            aliases: &["项目简介", "简介"],
            ..f("summary", "项目简介", "Summary", Kind::Text { max: 500 })
        },
        Field {
            aliases: &["公司名称", "注册公司名称", "企业名称"],
            ..f(
                "company_name",
                "注册公司",
                "Registered company",
                Kind::Text { max: 100 },
            )
        },
        Field {
            aliases: &["统一社会信用代码", "信用代码"],
            ..f(
                "credit_code",
                "统一社会信用代码",
                "Credit code",
                Kind::CreditCode,
            )
        },
        Field {
            aliases: &["带动就业人数", "带动就业", "就业岗位"],
            ..f(
                "jobs_created",
                "带动就业",
                "Jobs created",
                Kind::Int {
                    min: 0,
                    max: 100_000,
                },
            )
        },
        Field {
            aliases: &["营业收入", "年营业额", "营收"],
            ..f("revenue_fen", "营业收入", "Revenue", Kind::Fen)
        },
    ],
    search: &["name", "company_name"],
    order: "id",
    label: "name",
    import_key: &["name"],
    ref_keys: &["name"],
    check: check_startup,
    ..ResourceDef::NEW
};

/// Money a start-up received (资金): a grant, an investment, a prize or a loan.
pub static STARTUP_FUNDING: ResourceDef = ResourceDef {
    name: "startup_funding",
    table: "startup_funding",
    zh: "创业资金",
    en: "Start-up funding",
    fields: &[
        Field {
            aliases: &["项目名称", "创业项目"],
            ..req("startup_id", "创业项目", "Start-up", Kind::Ref("startups"))
        },
        Field {
            aliases: &["资金类型", "类别"],
            ..req("kind", "类型", "Kind", Kind::Enum(&FUNDING_KINDS))
        },
        Field {
            aliases: &["资金来源", "出资方", "资助单位"],
            ..req("source", "来源", "Source", Kind::Text { max: 100 })
        },
        Field {
            aliases: &["金额", "资助金额", "投资金额"],
            ..req("amount_fen", "金额", "Amount", Kind::Fen)
        },
        Field {
            aliases: &["到账日期", "日期"],
            ..req("received_on", "到账日期", "Received on", Kind::Date)
        },
    ],
    order: "received_on",
    label: "source",
    ..ResourceDef::NEW
};

/// A student founder of a start-up, with their role (创业学生).
pub static STARTUP_FOUNDERS: ResourceDef = ResourceDef {
    name: "startup_founders",
    table: "startup_founders",
    zh: "创业学生",
    en: "Founders",
    fields: &[
        Field {
            aliases: &["项目名称", "创业项目"],
            ..req("startup_id", "创业项目", "Start-up", Kind::Ref("startups"))
        },
        Field {
            aliases: &["学号", "学生"],
            ..req("student_id", "学生", "Student", Kind::Ref("students"))
        },
        Field {
            aliases: &["角色", "职务"],
            ..req("role", "角色", "Role", Kind::Enum(&FOUNDER_ROLES))
        },
        // What the founder does (also what makes a template's example row recognisable: a
        // record whose only example values are codes would have a real first row taken for it).
        Field {
            aliases: &["职责", "负责内容"],
            ..f("duty", "分工", "Duty", Kind::Text { max: 100 })
        },
    ],
    order: "id",
    label: "student_id",
    import_key: &["startup_id", "student_id"],
    unique_together: &[&["startup_id", "student_id"]],
    ..ResourceDef::NEW
};

/// A mentor of a start-up (创业导师): a college teacher or an enterprise contact, exactly one.
pub static STARTUP_MENTORS: ResourceDef = ResourceDef {
    name: "startup_mentors",
    table: "startup_mentors",
    zh: "创业导师",
    en: "Start-up mentors",
    fields: &[
        Field {
            aliases: &["项目名称", "创业项目"],
            ..req("startup_id", "创业项目", "Start-up", Kind::Ref("startups"))
        },
        Field {
            aliases: &["校内导师", "教师"],
            ..f(
                "staff_id",
                "校内教师",
                "College teacher",
                Kind::Ref("staff"),
            )
        },
        Field {
            aliases: &["企业导师"],
            ..f(
                "contact_id",
                "企业导师",
                "Enterprise mentor",
                Kind::Ref("contacts"),
            )
        },
    ],
    order: "id",
    label: "startup_id",
    check: check_advisor,
    ..ResourceDef::NEW
};
