//! The record types of this module, described once (see `crate::schema` for the engine).

use crate::labels::{l, EnumTable};
use crate::schema::{f, key, req, Field, Kind, RefSet, ResourceDef};

pub static BASE_KINDS: EnumTable = EnumTable {
    labels: &[
        l("campus", "校内实训基地", "On campus"),
        l(
            "school_in_factory",
            "校中厂",
            "Factory in the college (school-in-factory)",
        ),
        l(
            "factory_in_school",
            "厂中校",
            "College in the factory (factory-in-school)",
        ),
        l("enterprise", "校外企业实训基地", "In an enterprise"),
        l("overseas", "海外实训基地", "Overseas"),
    ],
    aliases: &[
        ("校内", "campus"),
        ("校外", "enterprise"),
        ("海外", "overseas"),
        ("境外", "overseas"),
    ],
};

pub static BASE_STATUS: EnumTable = EnumTable {
    labels: &[
        l("planning", "建设中", "Being built"),
        l("active", "运行中", "In use"),
        l("suspended", "暂停使用", "Suspended"),
        l("closed", "已撤销", "Closed"),
    ],
    aliases: &[],
};

pub static EQUIPMENT_STATUS: EnumTable = EnumTable {
    labels: &[
        l("in_service", "在用", "In service"),
        l("repair", "维修中", "Under repair"),
        l("idle", "闲置", "Idle"),
        l("scrapped", "已报废", "Scrapped"),
    ],
    aliases: &[
        ("维修", "repair"),
        ("报废", "scrapped"),
        ("正常", "in_service"),
    ],
};

pub static BOOKING_KINDS: EnumTable = EnumTable {
    labels: &[
        l("base", "整个基地", "Whole base"),
        l("workstations", "工位", "Workstations"),
        l("equipment", "设备", "Equipment"),
    ],
    aliases: &[],
};

pub static BOOKING_STATUS: EnumTable = EnumTable {
    labels: &[
        l("active", "有效", "Active"),
        l("cancelled", "已取消", "Cancelled"),
    ],
    aliases: &[("取消", "cancelled")],
};

pub static TRAINING_BASES: ResourceDef = ResourceDef {
    name: "training_bases",
    table: "training_bases",
    zh: "实训基地",
    en: "Training bases",
    fields: &[
        key("name", "基地名称", "Name", Kind::Text { max: 100 }),
        req("kind", "基地类型", "Kind", Kind::Enum(&BASE_KINDS)),
        req(
            "school_id",
            "管理学院",
            "Managing school",
            Kind::Ref("schools"),
        ),
        f(
            "partner_org_id",
            "共建单位",
            "Co-building partner",
            Kind::Ref("organisations"),
        ),
        f(
            "country_code",
            "国家",
            "Country",
            Kind::RefCode {
                resource: "countries",
                column: "alpha2",
            },
        ),
        f("address", "地址", "Address", Kind::Text { max: 200 }),
        f(
            "investment_fen",
            "投资额（分）",
            "Investment (fen)",
            Kind::Fen,
        ),
        f(
            "area_m2",
            "面积（平方米）",
            "Area (m²)",
            Kind::Int {
                min: 0,
                max: 10_000_000,
            },
        ),
        req(
            "workstations",
            "工位数",
            "Workstations",
            Kind::Int {
                min: 0,
                max: 100_000,
            },
        ),
        req("status", "状态", "Status", Kind::Enum(&BASE_STATUS)),
    ],
    search: &["name", "address"],
    order: "name",
    ref_keys: &["name"],
    check: super::check_base,
    ..ResourceDef::NEW
};

pub static BASE_PROGRAMS: ResourceDef = ResourceDef {
    name: "base_programs",
    table: "base_programs",
    zh: "基地服务专业",
    en: "Programs served by bases",
    fields: &[
        req(
            "base_id",
            "实训基地",
            "Training base",
            Kind::Ref("training_bases"),
        ),
        req("program_id", "专业", "Program", Kind::Ref("programs")),
    ],
    search: &[],
    order: "id",
    unique_together: &[&["base_id", "program_id"]],
    ..ResourceDef::NEW
};

pub static EQUIPMENT: ResourceDef = ResourceDef {
    name: "equipment",
    table: "equipment",
    zh: "设备台账",
    en: "Equipment register",
    fields: &[
        Field {
            aliases: &["资产号", "设备编号", "固定资产编号"],
            ..key(
                "asset_no",
                "资产编号",
                "Asset number",
                Kind::Text { max: 40 },
            )
        },
        Field {
            aliases: &["资产名称"],
            ..req("name", "设备名称", "Name", Kind::Text { max: 100 })
        },
        Field {
            aliases: &["型号", "规格"],
            ..f("model", "规格型号", "Model", Kind::Text { max: 100 })
        },
        f("value_fen", "价值（分）", "Value (fen)", Kind::Fen),
        Field {
            aliases: &["购买日期", "购入日期"],
            ..f("purchase_date", "购置日期", "Purchase date", Kind::Date)
        },
        Field {
            aliases: &["设备状态", "使用状态"],
            ..req("status", "状态", "Status", Kind::Enum(&EQUIPMENT_STATUS))
        },
        Field {
            aliases: &["存放位置", "放置地点"],
            ..f("location", "存放地点", "Location", Kind::Text { max: 200 })
        },
        Field {
            aliases: &["实训基地", "基地名称"],
            ..req(
                "base_id",
                "所属基地",
                "Training base",
                Kind::Ref("training_bases"),
            )
        },
    ],
    search: &["asset_no", "name", "model"],
    order: "asset_no",
    ref_keys: &["asset_no"],
    import_key: &["asset_no"],
    import_defaults: &[("status", "in_service")],
    ..ResourceDef::NEW
};

pub static BOOKINGS: ResourceDef = ResourceDef {
    name: "bookings",
    table: "bookings",
    zh: "实训预约",
    en: "Bookings",
    fields: &[
        req(
            "base_id",
            "实训基地",
            "Training base",
            Kind::Ref("training_bases"),
        ),
        req(
            "kind",
            "预约对象",
            "What is booked",
            Kind::Enum(&BOOKING_KINDS),
        ),
        f(
            "workstations",
            "工位数",
            "Workstations",
            Kind::Int {
                min: 1,
                max: 100_000,
            },
        ),
        f("equipment_id", "设备", "Equipment", Kind::Ref("equipment")),
        f("course_name", "课程", "Course", Kind::Text { max: 100 }),
        f("class_id", "班级", "Class", Kind::Ref("classes")),
        f(
            "staff_id",
            "预约人",
            "Booked by (staff)",
            Kind::Ref("staff"),
        ),
        req("start_at", "开始时间", "Start", Kind::Instant),
        req("end_at", "结束时间", "End", Kind::Instant),
        f("purpose", "用途", "Purpose", Kind::Text { max: 200 }),
        req("status", "状态", "Status", Kind::Enum(&BOOKING_STATUS)),
    ],
    search: &["course_name", "purpose"],
    order: "start_at",
    check: super::check_booking,
    // Teachers teach across schools: a school's academic affairs books its base for a teacher
    // of any school. (A teacher's own bookings name themselves: their write scope.) The class
    // booked for stays held to the writer's read scope: a teacher books for the classes they
    // advise, a school's office for its school's classes.
    ref_sets: &[("staff_id", RefSet::Any)],
    ..ResourceDef::NEW
};
