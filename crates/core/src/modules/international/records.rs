//! The record types of the international module, described once (see `crate::schema` for the
//! engine). Partner institutions abroad are `organisations` of kind `foreign` (partners module)
//! and overseas bases are `training_bases` of kind `overseas` (bases module): they are referred
//! to here, not copied.

use crate::labels::{l, EnumTable};
use crate::schema::{f, key, pii, req, Field, Kind, Pii, ResourceDef};

const COUNTRY: Kind = Kind::RefCode {
    resource: "countries",
    column: "alpha2",
};

/// What an international cooperation project does.
pub static PROJECT_KINDS: EnumTable = EnumTable {
    labels: &[
        l("digital_village", "数字乡村", "Digital village"),
        l("training", "技术培训", "Technical training"),
        l("curriculum", "专业与课程共建", "Programs and courses"),
        l("research", "联合研发", "Joint research"),
        l("other", "其他", "Other"),
    ],
    aliases: &[("培训", "training"), ("课程共建", "curriculum")],
};

/// Which way an exchange goes.
pub static DIRECTIONS: EnumTable = EnumTable {
    labels: &[
        l("inbound", "来校交流", "Inbound"),
        l("outbound", "出境交流", "Outbound"),
    ],
    aliases: &[
        ("来华", "inbound"),
        ("来访", "inbound"),
        ("出国", "outbound"),
        ("出访", "outbound"),
    ],
};

/// Who takes part in an exchange.
pub static PARTICIPANT_KINDS: EnumTable = EnumTable {
    labels: &[
        l("student", "本校学生", "Our student"),
        l("staff", "本校教职工", "Our staff member"),
        l("visitor", "外方人员", "Visitor from abroad"),
    ],
    aliases: &[("学生", "student"), ("教师", "staff"), ("外宾", "visitor")],
};

/// An overseas internship or a job abroad.
pub static PLACEMENT_KINDS: EnumTable = EnumTable {
    labels: &[
        l("internship", "境外实习", "Internship abroad"),
        l("employment", "境外就业", "Employment abroad"),
    ],
    aliases: &[("实习", "internship"), ("就业", "employment")],
};

/// How an international student studies at the college.
pub static STUDY_KINDS: EnumTable = EnumTable {
    labels: &[
        l("full_time", "全日制学历留学生", "Full-time degree student"),
        l("short_term", "短期留学生", "Short-term student"),
    ],
    aliases: &[("学历生", "full_time"), ("短期生", "short_term")],
};

/// Who is trained in training delivered abroad.
pub static TRAINEE_KINDS: EnumTable = EnumTable {
    labels: &[
        l("dealer_technicians", "经销商技术人员", "Dealer technicians"),
        l("employees", "企业员工", "Company employees"),
        l("teachers", "教师", "Teachers"),
        l("students", "学生", "Students"),
        l("other", "其他", "Other"),
    ],
    aliases: &[("技术人员", "dealer_technicians"), ("员工", "employees")],
};

/// What was adopted abroad.
pub static ADOPTION_KINDS: EnumTable = EnumTable {
    labels: &[
        l("professional_standard", "专业教学标准", "Program standard"),
        l("curriculum_standard", "课程标准", "Course standard"),
        l("course", "课程", "Course"),
        l("teaching_resource", "教学资源", "Teaching resource"),
    ],
    aliases: &[("专业标准", "professional_standard")],
};

const fn school(zh: &'static str, en: &'static str) -> Field {
    Field {
        aliases: &["学院", "二级学院", "牵头学院"],
        ..req("school_id", zh, en, Kind::Ref("schools"))
    }
}

const fn country() -> Field {
    Field {
        aliases: &["国别", "国家/地区", "国家（地区）"],
        ..req("country_code", "国家", "Country", COUNTRY)
    }
}

const fn start(required: bool) -> Field {
    Field {
        aliases: &["起始日期", "开始时间"],
        required,
        ..f("start_date", "开始日期", "Start date", Kind::Date)
    }
}

const fn end(required: bool) -> Field {
    Field {
        aliases: &["截止日期", "结束时间"],
        required,
        ..f("end_date", "结束日期", "End date", Kind::Date)
    }
}

const REMARKS: Field = Field {
    aliases: &["说明"],
    ..f("remarks", "备注", "Remarks", Kind::Text { max: 500 })
};

/// An international cooperation project (国际合作项目) with a partner institution abroad, such
/// as the Sri Lankan digital-village projects.
pub static INTL_PROJECTS: ResourceDef = ResourceDef {
    name: "intl_projects",
    table: "intl_projects",
    zh: "国际合作项目",
    en: "International projects",
    fields: &[
        Field {
            aliases: &["项目"],
            ..key("name", "项目名称", "Name", Kind::Text { max: 150 })
        },
        req("kind", "项目类型", "Kind", Kind::Enum(&PROJECT_KINDS)),
        Field {
            aliases: &["合作方", "外方合作院校", "合作院校"],
            ..req(
                "org_id",
                "合作机构",
                "Partner institution",
                Kind::Ref("organisations"),
            )
        },
        country(),
        school("牵头学院", "Lead school"),
        start(true),
        end(false),
        REMARKS,
    ],
    search: &["name"],
    order: "start_date",
    ref_keys: &["name"],
    import_key: &["name"],
    check: super::check_dates,
    ..ResourceDef::NEW
};

/// An exchange program (交流项目), in or out, with a partner abroad; its people are
/// [`EXCHANGE_PARTICIPANTS`].
pub static EXCHANGE_PROGRAMS: ResourceDef = ResourceDef {
    name: "exchange_programs",
    table: "exchange_programs",
    zh: "交流项目",
    en: "Exchange programs",
    fields: &[
        Field {
            aliases: &["交流项目"],
            ..key("name", "项目名称", "Name", Kind::Text { max: 150 })
        },
        Field {
            aliases: &["交流类型"],
            ..req("direction", "方向", "Direction", Kind::Enum(&DIRECTIONS))
        },
        Field {
            aliases: &["合作方", "合作院校"],
            ..req(
                "org_id",
                "合作机构",
                "Partner institution",
                Kind::Ref("organisations"),
            )
        },
        country(),
        school("组织学院", "Organising school"),
        start(true),
        end(true),
        REMARKS,
    ],
    search: &["name"],
    order: "start_date",
    ref_keys: &["name"],
    import_key: &["name"],
    check: super::check_dates,
    ..ResourceDef::NEW
};

/// One person of an exchange program: a student or staff member of the college (in or out, as
/// the program goes), or a visitor from abroad. Without dates, the program's dates apply.
pub static EXCHANGE_PARTICIPANTS: ResourceDef = ResourceDef {
    name: "exchange_participants",
    table: "exchange_participants",
    zh: "交流人员",
    en: "Exchange participants",
    fields: &[
        req(
            "program_id",
            "交流项目",
            "Exchange program",
            Kind::Ref("exchange_programs"),
        ),
        req(
            "kind",
            "人员类别",
            "Participant kind",
            Kind::Enum(&PARTICIPANT_KINDS),
        ),
        f("student_id", "学生", "Student", Kind::Ref("students")),
        f("staff_id", "教职工", "Staff member", Kind::Ref("staff")),
        f(
            "visitor_name",
            "外方人员姓名",
            "Visitor's name",
            Kind::Text { max: 100 },
        ),
        start(false),
        end(false),
        REMARKS,
    ],
    search: &["visitor_name"],
    order: "id",
    check: super::check_participant,
    ..ResourceDef::NEW
};

/// A student's internship or job abroad (境外实习就业).
pub static OVERSEAS_PLACEMENTS: ResourceDef = ResourceDef {
    name: "overseas_placements",
    table: "overseas_placements",
    zh: "境外实习就业",
    en: "Internships and jobs abroad",
    fields: &[
        req("student_id", "学生", "Student", Kind::Ref("students")),
        req("kind", "类别", "Kind", Kind::Enum(&PLACEMENT_KINDS)),
        Field {
            aliases: &["实习单位", "就业单位", "用人单位"],
            ..req("org_id", "单位", "Organisation", Kind::Ref("organisations"))
        },
        country(),
        Field {
            aliases: &["职位", "实习岗位"],
            ..req("post", "岗位", "Post", Kind::Text { max: 100 })
        },
        start(true),
        end(false),
        REMARKS,
    ],
    search: &["post"],
    order: "start_date",
    import_key: &["student_id", "org_id", "post"],
    unique_together: &[&["student_id", "org_id", "post"]],
    check: super::check_dates,
    ..ResourceDef::NEW
};

/// A foreign expert (外籍专家) staying at the college.
pub static FOREIGN_EXPERTS: ResourceDef = ResourceDef {
    name: "foreign_experts",
    table: "foreign_experts",
    zh: "外籍专家",
    en: "Foreign experts",
    fields: &[
        Field {
            aliases: &["专家姓名"],
            ..req("name", "姓名", "Name", Kind::Text { max: 100 })
        },
        country(),
        Field {
            aliases: &["派出单位", "所在单位"],
            ..f(
                "org_id",
                "所属机构",
                "Home institution",
                Kind::Ref("organisations"),
            )
        },
        school("聘用学院", "Host school"),
        Field {
            aliases: &["专业领域", "研究方向"],
            ..f("expertise", "专长", "Expertise", Kind::Text { max: 100 })
        },
        Field {
            aliases: &["来校日期", "抵校日期"],
            ..start(true)
        },
        Field {
            aliases: &["离校日期"],
            ..end(true)
        },
        Field {
            aliases: &["手机", "联系电话", "在华联系电话"],
            ..pii("phone", "手机号", "Phone", Kind::Phone, Pii::Phone)
        },
        Field {
            aliases: &["电子邮件", "邮箱"],
            ..pii("email", "电子邮箱", "E-mail", Kind::Email, Pii::Email)
        },
        REMARKS,
    ],
    search: &["name", "expertise"],
    order: "start_date",
    import_key: &["name", "start_date"],
    unique_together: &[&["name", "start_date"]],
    check: super::check_dates,
    ..ResourceDef::NEW
};

/// An international student (留学生) studying one of the college's programs.
pub static INTERNATIONAL_STUDENTS: ResourceDef = ResourceDef {
    name: "international_students",
    table: "international_students",
    zh: "留学生",
    en: "International students",
    fields: &[
        Field {
            aliases: &["学生姓名"],
            ..req("name", "姓名", "Name", Kind::Text { max: 100 })
        },
        country(),
        Field {
            aliases: &["就读专业"],
            ..req("program_id", "专业", "Program", Kind::Ref("programs"))
        },
        req("kind", "类别", "Kind", Kind::Enum(&STUDY_KINDS)),
        Field {
            aliases: &["入学日期"],
            ..start(true)
        },
        Field {
            aliases: &["离校日期", "毕业日期"],
            ..end(false)
        },
        Field {
            aliases: &["手机", "联系电话", "在华联系电话"],
            ..pii("phone", "手机号", "Phone", Kind::Phone, Pii::Phone)
        },
        Field {
            aliases: &["电子邮件", "邮箱"],
            ..pii("email", "电子邮箱", "E-mail", Kind::Email, Pii::Email)
        },
        REMARKS,
    ],
    search: &["name"],
    order: "start_date",
    import_key: &["name", "country_code", "start_date"],
    unique_together: &[&["name", "country_code", "start_date"]],
    check: super::check_dates,
    ..ResourceDef::NEW
};

/// Training delivered abroad (境外培训), counted in person-days: at an overseas base or with a
/// partner, for dealer technicians, employees, teachers or students.
pub static TRAINING_ABROAD: ResourceDef = ResourceDef {
    name: "training_abroad",
    table: "training_abroad",
    zh: "境外培训",
    en: "Training abroad",
    fields: &[
        Field {
            aliases: &["培训名称", "培训项目"],
            ..req("title", "培训项目名称", "Title", Kind::Text { max: 150 })
        },
        Field {
            aliases: &["海外基地", "实训基地"],
            ..f(
                "base_id",
                "境外基地",
                "Overseas base",
                Kind::Ref("training_bases"),
            )
        },
        Field {
            aliases: &["合作方"],
            ..f("org_id", "合作机构", "Partner", Kind::Ref("organisations"))
        },
        country(),
        school("承办学院", "Delivering school"),
        req(
            "trainee_kind",
            "培训对象",
            "Trainee group",
            Kind::Enum(&TRAINEE_KINDS),
        ),
        Field {
            aliases: &["培训人数", "人数"],
            ..req(
                "trainees",
                "培训人数",
                "Number trained",
                Kind::Int {
                    min: 1,
                    max: 100_000,
                },
            )
        },
        start(true),
        end(true),
        Field {
            aliases: &["人日", "培训人日"],
            ..req(
                "person_days",
                "培训人日数",
                "Person-days",
                Kind::Int {
                    min: 1,
                    max: 10_000_000,
                },
            )
        },
        REMARKS,
    ],
    search: &["title"],
    order: "start_date",
    import_key: &["title", "start_date"],
    unique_together: &[&["title", "start_date"]],
    check: super::check_training,
    ..ResourceDef::NEW
};

/// A standard, curriculum or course of the college adopted by an institution abroad
/// (标准、课程境外采用).
pub static STANDARDS_ABROAD: ResourceDef = ResourceDef {
    name: "standards_abroad",
    table: "standards_abroad",
    zh: "标准课程境外采用",
    en: "Standards adopted abroad",
    fields: &[
        Field {
            aliases: &["标准名称", "课程名称"],
            ..req("title", "名称", "Title", Kind::Text { max: 200 })
        },
        req("kind", "类别", "Kind", Kind::Enum(&ADOPTION_KINDS)),
        country(),
        Field {
            aliases: &["采用单位", "使用单位"],
            ..req(
                "org_id",
                "采用机构",
                "Adopting institution",
                Kind::Ref("organisations"),
            )
        },
        school("开发学院", "Developing school"),
        Field {
            aliases: &["采用年份", "年度"],
            ..req(
                "year",
                "采用年份",
                "Year adopted",
                Kind::Int {
                    min: 2000,
                    max: 2100,
                },
            )
        },
        REMARKS,
    ],
    search: &["title"],
    order: "year",
    import_key: &["title", "country_code"],
    unique_together: &[&["title", "country_code"]],
    ..ResourceDef::NEW
};
