//! The record types of this module, described once (see `crate::schema` for the engine).

use crate::labels::{l, EnumTable};
use crate::schema::{f, key, req, Field, Kind, ResourceDef};

pub static ORDER_CLASS_STATUS: EnumTable = EnumTable {
    labels: &[
        l("draft", "草拟", "Draft"),
        l("open", "报名中", "Open"),
        l("closed", "报名截止", "Closed"),
        l("allocated", "已分配", "Allocated"),
        l("published", "已发布", "Published"),
    ],
    aliases: &[],
};

pub static APPLICATION_STATUS: EnumTable = EnumTable {
    labels: &[
        l("submitted", "已报名", "Submitted"),
        l("withdrawn", "已撤回", "Withdrawn"),
    ],
    aliases: &[("报名", "submitted"), ("撤回", "withdrawn")],
};

pub static RUN_STATUS: EnumTable = EnumTable {
    labels: &[
        l("draft", "草稿", "Draft"),
        l("published", "已发布", "Published"),
    ],
    aliases: &[],
};

pub static OFFER_STATUS: EnumTable = EnumTable {
    labels: &[
        l("offered", "待确认", "Offered"),
        l("accepted", "已接受", "Accepted"),
        l("declined", "已放弃", "Declined"),
        l("superseded", "已更新", "Superseded"),
    ],
    aliases: &[],
};

pub static ORDER_CLASSES: ResourceDef = ResourceDef {
    name: "order_classes",
    table: "order_classes",
    zh: "订单班",
    en: "Order classes",
    fields: &[
        key("name", "名称", "Name", Kind::Text { max: 100 }),
        req("org_id", "订单企业", "Sponsor", Kind::Ref("organisations")),
        req("seats", "名额", "Seats", Kind::Int { min: 1, max: 2000 }),
        req(
            "entry_years",
            "面向年级",
            "Cohorts (entry years)",
            Kind::Text { max: 60 },
        ),
        f(
            "requirements",
            "技能与课程要求",
            "Required skills and courses",
            Kind::Text { max: 2000 },
        ),
        req("opens_on", "报名开始", "Applications open", Kind::Date),
        req("closes_on", "报名截止", "Applications close", Kind::Date),
        f(
            "min_grade",
            "最低平均成绩",
            "Minimum grade average",
            Kind::Int { min: 0, max: 100 },
        ),
        req(
            "interview_required",
            "需要面试",
            "Interview required",
            Kind::Flag,
        ),
        req("status", "状态", "Status", Kind::Enum(&ORDER_CLASS_STATUS)),
    ],
    search: &["name"],
    order: "name",
    ref_keys: &["name"],
    check: super::check_order_class,
    ..ResourceDef::NEW
};

pub static ORDER_CLASS_PROGRAMS: ResourceDef = ResourceDef {
    name: "order_class_programs",
    table: "order_class_programs",
    zh: "订单班面向专业",
    en: "Order class target programs",
    fields: &[
        req(
            "order_class_id",
            "订单班",
            "Order class",
            Kind::Ref("order_classes"),
        ),
        req("program_id", "专业", "Program", Kind::Ref("programs")),
    ],
    search: &[],
    order: "id",
    unique_together: &[&["order_class_id", "program_id"]],
    ..ResourceDef::NEW
};

pub static ORDER_APPLICATIONS: ResourceDef = ResourceDef {
    name: "order_applications",
    table: "order_applications",
    zh: "订单班报名",
    en: "Order class applications",
    fields: &[
        Field {
            aliases: &["学号", "学生学号"],
            ..req("student_id", "学生", "Student", Kind::Ref("students"))
        },
        Field {
            aliases: &["订单班名称"],
            ..req(
                "order_class_id",
                "订单班",
                "Order class",
                Kind::Ref("order_classes"),
            )
        },
        Field {
            aliases: &["志愿", "志愿序号"],
            ..req(
                "student_rank",
                "志愿顺序",
                "Student's rank",
                Kind::Int { min: 1, max: 20 },
            )
        },
        Field {
            aliases: &["平均分"],
            ..f(
                "grade_average",
                "平均成绩",
                "Grade average",
                Kind::Int { min: 0, max: 100 },
            )
        },
        Field {
            aliases: &["面试分数"],
            ..f(
                "interview_score",
                "面试成绩",
                "Interview score",
                // 0.0 to 100.0 in tenths: one decimal (88.5), stored as 885.
                Kind::Decimal {
                    scale: 1,
                    min: 0,
                    max: 1000,
                },
            )
        },
        Field {
            aliases: &["企业排名"],
            ..f(
                "enterprise_rank",
                "企业排序",
                "Enterprise rank",
                Kind::Int {
                    min: 1,
                    max: 100_000,
                },
            )
        },
        req(
            "status",
            "报名状态",
            "Status",
            Kind::Enum(&APPLICATION_STATUS),
        ),
    ],
    search: &[],
    order: "id",
    // One application per student and order class.
    import_key: &["student_id", "order_class_id"],
    import_defaults: &[("status", "submitted")],
    unique_together: &[&["student_id", "order_class_id"]],
    ..ResourceDef::NEW
};

pub static ALLOCATION_RUNS: ResourceDef = ResourceDef {
    name: "allocation_runs",
    table: "allocation_runs",
    zh: "录取分配",
    en: "Allocation runs",
    fields: &[
        req("run_by", "执行人", "Run by", Kind::Text { max: 100 }),
        req("seed", "随机种子", "Tie-break seed", Kind::Text { max: 20 }),
        req(
            "order_class_ids",
            "参与订单班",
            "Order classes included",
            Kind::Text { max: 4000 },
        ),
        req(
            "instance_json",
            "输入快照",
            "Instance (snapshot)",
            Kind::Text { max: 50_000_000 },
        ),
        req(
            "result_json",
            "结果快照",
            "Result (snapshot)",
            Kind::Text { max: 50_000_000 },
        ),
        req("status", "状态", "Status", Kind::Enum(&RUN_STATUS)),
        req(
            "refill_round",
            "补录轮次",
            "Refill round",
            Kind::Int { min: 0, max: 1000 },
        ),
        f(
            "refills_id",
            "补录自",
            "Refills run",
            Kind::Ref("allocation_runs"),
        ),
        f("published_at", "发布时间", "Published at", Kind::Instant),
        f("respond_by", "确认截止", "Respond by", Kind::Date),
    ],
    search: &["run_by"],
    order: "id",
    ..ResourceDef::NEW
};

pub static ORDER_OFFERS: ResourceDef = ResourceDef {
    name: "order_offers",
    table: "order_offers",
    zh: "订单班录取",
    en: "Order class offers",
    fields: &[
        req(
            "allocation_run_id",
            "分配批次",
            "Allocation run",
            Kind::Ref("allocation_runs"),
        ),
        req("student_id", "学生", "Student", Kind::Ref("students")),
        req(
            "order_class_id",
            "订单班",
            "Order class",
            Kind::Ref("order_classes"),
        ),
        f(
            "choice",
            "志愿序号",
            "Choice number",
            Kind::Int { min: 1, max: 20 },
        ),
        req("status", "状态", "Status", Kind::Enum(&OFFER_STATUS)),
        f("decided_at", "确认时间", "Decided at", Kind::Instant),
    ],
    search: &[],
    order: "id",
    ..ResourceDef::NEW
};
