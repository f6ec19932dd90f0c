//! The records of a college, described once.
//!
//! Each record type is a [`ResourceDef`]: its table, its fields with their kinds and labels, its
//! natural key and which fields hold personal data. From this one description come validation
//! (here), the SQL (in the store), the API routes and the OpenAPI schemas (in web), so adding a
//! field is one edit. Rules that span fields (an enterprise needs a credit code, a student's
//! status moves only along its lifecycle) are in [`check_record`].
//!
//! Why descriptions and not one Rust struct per record: the same fields drive four generated
//! artefacts (SQL, validation, OpenAPI, masking), and for twenty-odd record types the structs
//! would be written four times over. Typed values still parse at the edge: every field kind
//! has one parser below, and nothing unparsed reaches the store.

use crate::ids;
use serde_json::{Map, Value};

/// A validated record: field name to JSON value, every value already normalised.
pub type Record = Map<String, Value>;

/// What a field holds, and so how it is parsed and stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text up to `max` characters.
    Text { max: usize },
    /// An integer within bounds.
    Int { min: i64, max: i64 },
    /// Money as integer fen (1 yuan = 100 fen), never floating point.
    Fen,
    /// `YYYY-MM-DD`.
    Date,
    /// 0 or 1 in storage, `true`/`false` in JSON.
    Flag,
    /// One of a closed list of codes.
    Enum(&'static [&'static str]),
    /// The id of a row of another resource.
    Ref(&'static str),
    /// A code that must exist in a reference resource's `column` (regions, countries, industries).
    RefCode {
        resource: &'static str,
        column: &'static str,
    },
    /// A resident ID number with its check digit.
    IdNumber,
    /// A unified social credit code with its check character.
    CreditCode,
    /// A mobile or landline phone number.
    Phone,
    /// A six-digit code of the vocational major catalogue.
    MajorCode,
    /// An e-mail address.
    Email,
    /// An instant, stored as UTC text (`2026-03-02T00:00:00.000Z`); typed without an offset it is
    /// China time (see `booking::parse_instant`).
    Instant,
}

impl Kind {
    /// Whether storage keeps it as an integer (else text).
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            Kind::Int { .. } | Kind::Fen | Kind::Flag | Kind::Ref(_)
        )
    }
}

/// How a field's value is shown outside the reveal endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pii {
    None,
    /// Masked `5001**********123X`; hidden from enterprise users.
    IdNumber,
    /// Masked `138****5678`; hidden from enterprise users.
    Phone,
    /// Masked after the city; hidden from enterprise users.
    Address,
}

/// One field of a record.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Unique across the table (checked before writing, enforced by the database too).
    pub unique: bool,
    pub pii: Pii,
}

const fn f(name: &'static str, zh: &'static str, en: &'static str, kind: Kind) -> Field {
    Field {
        name,
        zh,
        en,
        kind,
        required: false,
        unique: false,
        pii: Pii::None,
    }
}
const fn req(name: &'static str, zh: &'static str, en: &'static str, kind: Kind) -> Field {
    Field {
        name,
        zh,
        en,
        kind,
        required: true,
        unique: false,
        pii: Pii::None,
    }
}
const fn key(name: &'static str, zh: &'static str, en: &'static str, kind: Kind) -> Field {
    Field {
        name,
        zh,
        en,
        kind,
        required: true,
        unique: true,
        pii: Pii::None,
    }
}
const fn pii(name: &'static str, zh: &'static str, en: &'static str, kind: Kind, p: Pii) -> Field {
    Field {
        name,
        zh,
        en,
        kind,
        required: false,
        unique: false,
        pii: p,
    }
}

/// A record type.
#[derive(Debug)]
pub struct ResourceDef {
    /// The URL segment and the name used in permissions, plural: `students`.
    pub name: &'static str,
    pub table: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// Fields other than `id`, `created_at`, `updated_at` (which every table has).
    pub fields: &'static [Field],
    /// The fields searched by the `q` filter.
    pub search: &'static [&'static str],
    /// Default sort column.
    pub order: &'static str,
}

impl ResourceDef {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
    /// Whether `name` can be used to filter or sort (every field, and the implicit columns).
    pub fn has_column(&self, name: &str) -> bool {
        matches!(name, "id" | "created_at" | "updated_at") || self.field(name).is_some()
    }
}

pub const GENDERS: &[&str] = &["1", "2", "0", "9"]; // GB/T 2261.1: male, female, unknown, unstated
pub const STUDENT_STATUS: &[&str] = &["enrolled", "suspended", "withdrawn", "graduated"];
pub const ORG_KINDS: &[&str] = &["enterprise", "government", "school", "foreign"];
pub const ORG_SIZES: &[&str] = &["large", "medium", "small", "micro"];
pub const OWNERSHIP: &[&str] = &[
    "state",
    "collective",
    "private",
    "foreign",
    "joint",
    "other",
];
pub const AGREEMENT_KINDS: &[&str] = &[
    "framework",
    "industry_college",
    "order_class",
    "training_base",
    "internship",
    "apprenticeship",
    "rnd",
    "overseas",
    "other",
];
pub const AGREEMENT_STATUS: &[&str] = &["draft", "active", "expired", "terminated"];
pub const CONTACT_KINDS: &[&str] = &["contact", "mentor", "hr"];
pub const MENTOR_KINDS: &[&str] = &["teacher", "enterprise"];
pub const TITLES: &[&str] = &[
    "professor",
    "associate_professor",
    "lecturer",
    "assistant",
    "senior_engineer",
    "engineer",
    "none",
];
pub const CIRCLE: &[&str] = &["in", "out", "partial"];
pub const INDUSTRY_LEVELS: &[&str] = &["section", "division"];
pub const REGION_LEVELS: &[&str] = &["province", "city", "county"];

pub static SCHOOLS: ResourceDef = ResourceDef {
    name: "schools",
    table: "schools",
    zh: "二级学院",
    en: "Secondary schools",
    fields: &[
        key("code", "代码", "Code", Kind::Text { max: 20 }),
        req("name", "名称", "Name", Kind::Text { max: 100 }),
        f(
            "name_en",
            "英文名称",
            "English name",
            Kind::Text { max: 200 },
        ),
    ],
    search: &["code", "name", "name_en"],
    order: "code",
};

pub static PROGRAMS: ResourceDef = ResourceDef {
    name: "programs",
    table: "programs",
    zh: "专业",
    en: "Programs",
    fields: &[
        key("code", "专业代码", "Program code", Kind::Text { max: 20 }),
        req(
            "major_code",
            "国家专业代码",
            "National major code",
            Kind::MajorCode,
        ),
        req("name", "名称", "Name", Kind::Text { max: 100 }),
        req("school_id", "二级学院", "School", Kind::Ref("schools")),
        req(
            "duration_years",
            "学制",
            "Length (years)",
            Kind::Int { min: 1, max: 6 },
        ),
    ],
    search: &["code", "major_code", "name"],
    order: "code",
};

pub static ACADEMIC_YEARS: ResourceDef = ResourceDef {
    name: "academic_years",
    table: "academic_years",
    zh: "学年",
    en: "Academic years",
    fields: &[
        key("name", "学年", "Name", Kind::Text { max: 20 }),
        req("start_date", "开始日期", "Start date", Kind::Date),
        req("end_date", "结束日期", "End date", Kind::Date),
    ],
    search: &["name"],
    order: "start_date",
};

pub static TERMS: ResourceDef = ResourceDef {
    name: "terms",
    table: "terms",
    zh: "学期",
    en: "Terms",
    fields: &[
        req(
            "academic_year_id",
            "学年",
            "Academic year",
            Kind::Ref("academic_years"),
        ),
        key("name", "学期", "Name", Kind::Text { max: 40 }),
        req("seq", "序号", "Number", Kind::Int { min: 1, max: 4 }),
        req("start_date", "开始日期", "Start date", Kind::Date),
        req("end_date", "结束日期", "End date", Kind::Date),
    ],
    search: &["name"],
    order: "start_date",
};

pub static CLASSES: ResourceDef = ResourceDef {
    name: "classes",
    table: "classes",
    zh: "行政班",
    en: "Classes",
    fields: &[
        key("name", "班级名称", "Name", Kind::Text { max: 60 }),
        req("program_id", "专业", "Program", Kind::Ref("programs")),
        req(
            "entry_year",
            "入学年份",
            "Entry year",
            Kind::Int {
                min: 1990,
                max: 2100,
            },
        ),
        f("adviser_id", "班主任", "Class adviser", Kind::Ref("staff")),
    ],
    search: &["name"],
    order: "name",
};

pub static STUDENTS: ResourceDef = ResourceDef {
    name: "students",
    table: "students",
    zh: "学生",
    en: "Students",
    fields: &[
        key(
            "student_no",
            "学号",
            "Student number",
            Kind::Text { max: 20 },
        ),
        req("name", "姓名", "Name", Kind::Text { max: 50 }),
        req("gender", "性别", "Gender", Kind::Enum(GENDERS)),
        Field {
            required: true,
            unique: true,
            ..pii(
                "id_number",
                "身份证号",
                "Resident ID number",
                Kind::IdNumber,
                Pii::IdNumber,
            )
        },
        pii("phone", "手机号", "Phone", Kind::Phone, Pii::Phone),
        pii(
            "home_region",
            "生源地",
            "Home region",
            Kind::RefCode {
                resource: "regions",
                column: "code",
            },
            Pii::Address,
        ),
        pii(
            "address",
            "家庭住址",
            "Home address",
            Kind::Text { max: 200 },
            Pii::Address,
        ),
        req("program_id", "专业", "Program", Kind::Ref("programs")),
        f("class_id", "班级", "Class", Kind::Ref("classes")),
        req(
            "entry_year",
            "入学年份",
            "Entry year",
            Kind::Int {
                min: 1990,
                max: 2100,
            },
        ),
        req("status", "学籍状态", "Status", Kind::Enum(STUDENT_STATUS)),
    ],
    search: &["student_no", "name"],
    order: "student_no",
};

pub static STAFF: ResourceDef = ResourceDef {
    name: "staff",
    table: "staff",
    zh: "教职工",
    en: "Staff",
    fields: &[
        key("staff_no", "工号", "Staff number", Kind::Text { max: 20 }),
        req("name", "姓名", "Name", Kind::Text { max: 50 }),
        req("gender", "性别", "Gender", Kind::Enum(GENDERS)),
        f("title", "职称", "Title", Kind::Enum(TITLES)),
        req("dual_qualified", "双师型", "Dual-qualified", Kind::Flag),
        f("school_id", "二级学院", "School", Kind::Ref("schools")),
        f("office", "部门", "Office", Kind::Text { max: 60 }),
        pii("phone", "手机号", "Phone", Kind::Phone, Pii::Phone),
        f("email", "电子邮箱", "E-mail", Kind::Email),
    ],
    search: &["staff_no", "name"],
    order: "staff_no",
};

pub static ORGANISATIONS: ResourceDef = ResourceDef {
    name: "organisations",
    table: "organisations",
    zh: "合作单位",
    en: "Partner organisations",
    fields: &[
        req("kind", "类型", "Kind", Kind::Enum(ORG_KINDS)),
        key("name", "名称", "Name", Kind::Text { max: 200 }),
        f(
            "name_en",
            "英文名称",
            "English name",
            Kind::Text { max: 300 },
        ),
        Field {
            unique: true,
            ..f(
                "credit_code",
                "统一社会信用代码",
                "Unified social credit code",
                Kind::CreditCode,
            )
        },
        f(
            "industry_code",
            "行业",
            "Industry (GB/T 4754)",
            Kind::RefCode {
                resource: "industries",
                column: "code",
            },
        ),
        f(
            "region_code",
            "所在地区",
            "Region",
            Kind::RefCode {
                resource: "regions",
                column: "code",
            },
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
        f("size", "规模", "Size", Kind::Enum(ORG_SIZES)),
        f("ownership", "性质", "Ownership", Kind::Enum(OWNERSHIP)),
        f(
            "headcount",
            "职工人数",
            "Staff headcount",
            Kind::Int {
                min: 0,
                max: 10_000_000,
            },
        ),
        f("address", "地址", "Address", Kind::Text { max: 200 }),
    ],
    search: &["name", "name_en", "credit_code"],
    order: "name",
};

pub static AGREEMENTS: ResourceDef = ResourceDef {
    name: "agreements",
    table: "agreements",
    zh: "合作协议",
    en: "Cooperation agreements",
    fields: &[
        key(
            "agreement_no",
            "协议编号",
            "Agreement number",
            Kind::Text { max: 40 },
        ),
        req("org_id", "合作单位", "Partner", Kind::Ref("organisations")),
        req("kind", "协议类型", "Kind", Kind::Enum(AGREEMENT_KINDS)),
        req("title", "协议名称", "Title", Kind::Text { max: 200 }),
        req("start_date", "开始日期", "Start date", Kind::Date),
        f("end_date", "结束日期", "End date", Kind::Date),
        req("status", "状态", "Status", Kind::Enum(AGREEMENT_STATUS)),
        f("amount_fen", "金额（分）", "Amount (fen)", Kind::Fen),
        f("documents", "附件", "Documents", Kind::Text { max: 2000 }),
    ],
    search: &["agreement_no", "title"],
    order: "start_date",
};

pub static CONTACTS: ResourceDef = ResourceDef {
    name: "contacts",
    table: "contacts",
    zh: "外部联系人",
    en: "External contacts",
    fields: &[
        req(
            "org_id",
            "所属单位",
            "Organisation",
            Kind::Ref("organisations"),
        ),
        req("name", "姓名", "Name", Kind::Text { max: 50 }),
        req("kind", "角色", "Role", Kind::Enum(CONTACT_KINDS)),
        f("position", "职务", "Position", Kind::Text { max: 100 }),
        pii("phone", "电话", "Phone", Kind::Phone, Pii::Phone),
        f("email", "电子邮箱", "E-mail", Kind::Email),
    ],
    search: &["name", "position"],
    order: "name",
};

pub static MENTORS: ResourceDef = ResourceDef {
    name: "mentors",
    table: "mentors",
    zh: "导师分配",
    en: "Mentor assignments",
    fields: &[
        req("student_id", "学生", "Student", Kind::Ref("students")),
        req("kind", "导师类型", "Mentor kind", Kind::Enum(MENTOR_KINDS)),
        f("staff_id", "校内导师", "College mentor", Kind::Ref("staff")),
        f(
            "contact_id",
            "企业导师",
            "Enterprise mentor",
            Kind::Ref("contacts"),
        ),
        req("start_date", "开始日期", "Start date", Kind::Date),
        f("end_date", "结束日期", "End date", Kind::Date),
    ],
    search: &[],
    order: "id",
};

pub static REGIONS: ResourceDef = ResourceDef {
    name: "regions",
    table: "regions",
    zh: "行政区划",
    en: "Administrative divisions",
    fields: &[
        key("code", "区划代码", "Code", Kind::Text { max: 6 }),
        req("name", "名称", "Name", Kind::Text { max: 60 }),
        req("level", "级别", "Level", Kind::Enum(REGION_LEVELS)),
        f(
            "parent_code",
            "上级代码",
            "Parent code",
            Kind::Text { max: 6 },
        ),
        f(
            "in_circle",
            "成渝地区双城经济圈",
            "In the Chengdu–Chongqing Economic Circle",
            Kind::Enum(CIRCLE),
        ),
    ],
    search: &["code", "name"],
    order: "code",
};

pub static COUNTRIES: ResourceDef = ResourceDef {
    name: "countries",
    table: "countries",
    zh: "国家和地区",
    en: "Countries",
    fields: &[
        key("alpha2", "二位代码", "ISO alpha-2", Kind::Text { max: 2 }),
        req("alpha3", "三位代码", "ISO alpha-3", Kind::Text { max: 3 }),
        req("numeric", "数字代码", "ISO numeric", Kind::Text { max: 3 }),
        req(
            "name_zh",
            "中文名称",
            "Chinese name",
            Kind::Text { max: 60 },
        ),
        req(
            "name_en",
            "英文名称",
            "English name",
            Kind::Text { max: 100 },
        ),
        req(
            "belt_and_road",
            "一带一路",
            "Belt and Road partner",
            Kind::Flag,
        ),
    ],
    search: &["alpha2", "name_zh", "name_en"],
    order: "alpha2",
};

pub static INDUSTRIES: ResourceDef = ResourceDef {
    name: "industries",
    table: "industries",
    zh: "国民经济行业分类",
    en: "Industries (GB/T 4754-2017)",
    fields: &[
        key("code", "代码", "Code", Kind::Text { max: 4 }),
        req("level", "层级", "Level", Kind::Enum(INDUSTRY_LEVELS)),
        req("section", "门类", "Section", Kind::Text { max: 1 }),
        req(
            "name_zh",
            "中文名称",
            "Chinese name",
            Kind::Text { max: 100 },
        ),
        req(
            "name_en",
            "英文名称",
            "English name",
            Kind::Text { max: 200 },
        ),
    ],
    search: &["code", "name_zh", "name_en"],
    order: "code",
};

pub static KEY_INDUSTRIES: ResourceDef = ResourceDef {
    name: "key_industries",
    table: "key_industries",
    zh: "重点服务产业",
    en: "Key industries",
    fields: &[
        Field {
            unique: true,
            ..req(
                "industry_code",
                "行业代码",
                "Industry code",
                Kind::RefCode {
                    resource: "industries",
                    column: "code",
                },
            )
        },
        req("label", "产业名称", "Label", Kind::Text { max: 60 }),
    ],
    search: &["label"],
    order: "industry_code",
};

// Training bases, equipment and bookings (issue 4).
pub const BASE_KINDS: &[&str] = &[
    "campus",
    "school_in_factory",
    "factory_in_school",
    "enterprise",
    "overseas",
];
pub const BASE_STATUS: &[&str] = &["planning", "active", "suspended", "closed"];
pub const EQUIPMENT_STATUS: &[&str] = &["in_service", "repair", "idle", "scrapped"];
pub const BOOKING_KINDS: &[&str] = &["base", "workstations", "equipment"];
pub const BOOKING_STATUS: &[&str] = &["active", "cancelled"];

pub static TRAINING_BASES: ResourceDef = ResourceDef {
    name: "training_bases",
    table: "training_bases",
    zh: "实训基地",
    en: "Training bases",
    fields: &[
        key("name", "基地名称", "Name", Kind::Text { max: 100 }),
        req("kind", "基地类型", "Kind", Kind::Enum(BASE_KINDS)),
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
        req("status", "状态", "Status", Kind::Enum(BASE_STATUS)),
    ],
    search: &["name", "address"],
    order: "name",
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
};

pub static EQUIPMENT: ResourceDef = ResourceDef {
    name: "equipment",
    table: "equipment",
    zh: "设备台账",
    en: "Equipment register",
    fields: &[
        key(
            "asset_no",
            "资产编号",
            "Asset number",
            Kind::Text { max: 40 },
        ),
        req("name", "设备名称", "Name", Kind::Text { max: 100 }),
        f("model", "规格型号", "Model", Kind::Text { max: 100 }),
        f("value_fen", "价值（分）", "Value (fen)", Kind::Fen),
        f("purchase_date", "购置日期", "Purchase date", Kind::Date),
        req("status", "状态", "Status", Kind::Enum(EQUIPMENT_STATUS)),
        f("location", "存放地点", "Location", Kind::Text { max: 200 }),
        req(
            "base_id",
            "所属基地",
            "Training base",
            Kind::Ref("training_bases"),
        ),
    ],
    search: &["asset_no", "name", "model"],
    order: "asset_no",
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
            Kind::Enum(BOOKING_KINDS),
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
        req("status", "状态", "Status", Kind::Enum(BOOKING_STATUS)),
    ],
    search: &["course_name", "purpose"],
    order: "start_at",
};

// Order classes (订单班) and their allocation by stable matching: see `order_class.rs`.
pub const ORDER_CLASS_STATUS: &[&str] = &["draft", "open", "closed", "allocated", "published"];
pub const APPLICATION_STATUS: &[&str] = &["submitted", "withdrawn"];
pub const RUN_STATUS: &[&str] = &["draft", "published"];
pub const OFFER_STATUS: &[&str] = &["offered", "accepted", "declined", "superseded"];

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
        req("status", "状态", "Status", Kind::Enum(ORDER_CLASS_STATUS)),
    ],
    search: &["name"],
    order: "name",
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
};

pub static ORDER_APPLICATIONS: ResourceDef = ResourceDef {
    name: "order_applications",
    table: "order_applications",
    zh: "订单班报名",
    en: "Order class applications",
    fields: &[
        req("student_id", "学生", "Student", Kind::Ref("students")),
        req(
            "order_class_id",
            "订单班",
            "Order class",
            Kind::Ref("order_classes"),
        ),
        req(
            "student_rank",
            "志愿顺序",
            "Student's rank",
            Kind::Int { min: 1, max: 20 },
        ),
        f(
            "grade_average",
            "平均成绩",
            "Grade average",
            Kind::Int { min: 0, max: 100 },
        ),
        f(
            "interview_score",
            "面试成绩",
            "Interview score",
            Kind::Int { min: 0, max: 100 },
        ),
        f(
            "enterprise_rank",
            "企业排序",
            "Enterprise rank",
            Kind::Int {
                min: 1,
                max: 100_000,
            },
        ),
        req(
            "status",
            "报名状态",
            "Status",
            Kind::Enum(APPLICATION_STATUS),
        ),
    ],
    search: &[],
    order: "id",
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
        req("status", "状态", "Status", Kind::Enum(RUN_STATUS)),
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
        f(
            "published_at",
            "发布时间",
            "Published at",
            Kind::Text { max: 30 },
        ),
        f("respond_by", "确认截止", "Respond by", Kind::Date),
    ],
    search: &["run_by"],
    order: "id",
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
        req("status", "状态", "Status", Kind::Enum(OFFER_STATUS)),
        f(
            "decided_at",
            "确认时间",
            "Decided at",
            Kind::Text { max: 30 },
        ),
    ],
    search: &[],
    order: "id",
};

/// Every resource served by the generic record API, in dependency order (referenced first).
pub static RESOURCES: &[&ResourceDef] = &[
    &REGIONS,
    &COUNTRIES,
    &INDUSTRIES,
    &KEY_INDUSTRIES,
    &SCHOOLS,
    &PROGRAMS,
    &ACADEMIC_YEARS,
    &TERMS,
    &STAFF,
    &CLASSES,
    &STUDENTS,
    &ORGANISATIONS,
    &AGREEMENTS,
    &CONTACTS,
    &MENTORS,
    &TRAINING_BASES,
    &BASE_PROGRAMS,
    &EQUIPMENT,
    &BOOKINGS,
    // Order classes (issue 4)
    &ORDER_CLASSES,
    &ORDER_CLASS_PROGRAMS,
    &ORDER_APPLICATIONS,
    &ALLOCATION_RUNS,
    &ORDER_OFFERS,
];

pub fn resource(name: &str) -> Option<&'static ResourceDef> {
    RESOURCES.iter().copied().find(|r| r.name == name)
}

/// A problem with one field: which field, a stable code and a message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_string(),
            code,
            message: message.into(),
        }
    }
}

/// A value as normalised text, `None` when it is absent or blank.
fn value_text(field: &Field, v: &Value) -> Result<Option<String>, FieldError> {
    Ok(match v {
        Value::Null => None,
        Value::String(s) => {
            let t = ids::normalize_text(s);
            (!t.is_empty()).then_some(t)
        }
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => {
            return Err(FieldError::new(
                field.name,
                "invalid",
                "must be a single value",
            ))
        }
    })
}

/// Parses one value of a field; `Ok(Value::Null)` for an absent optional value.
pub fn parse_value(field: &Field, v: &Value) -> Result<Value, FieldError> {
    let bad = |code: &'static str, msg: &str| Err(FieldError::new(field.name, code, msg));
    let Some(t) = value_text(field, v)? else {
        return if field.required {
            bad("required", "is required")
        } else {
            Ok(Value::Null)
        };
    };
    let out = match field.kind {
        Kind::Text { max } => {
            if t.chars().count() > max {
                return bad("too_long", &format!("must be at most {max} characters"));
            }
            if t.chars().any(|c| c.is_control() && c != '\n') {
                return bad("invalid", "must not contain control characters");
            }
            Value::String(t)
        }
        Kind::Int { min, max } => match t.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Value::from(n),
            Ok(_) => return bad("out_of_range", &format!("must be between {min} and {max}")),
            Err(_) => return bad("invalid", "must be a whole number"),
        },
        Kind::Fen => match t.parse::<i64>() {
            Ok(n) if n >= 0 => Value::from(n),
            _ => return bad("invalid", "must be a whole, non-negative number of fen"),
        },
        Kind::Ref(_) => match t.parse::<i64>() {
            Ok(n) if n > 0 => Value::from(n),
            _ => return bad("invalid", "must be the id of an existing record"),
        },
        Kind::Flag => match t.as_str() {
            "true" | "1" | "是" | "yes" => Value::from(true),
            "false" | "0" | "否" | "no" => Value::from(false),
            _ => return bad("invalid", "must be true or false"),
        },
        Kind::Date => match crate::dates::parse_date(&t) {
            Ok(d) => Value::String(crate::dates::format_date(d)),
            Err(m) => return bad("invalid_date", m),
        },
        Kind::Enum(allowed) => {
            if allowed.contains(&t.as_str()) {
                Value::String(t)
            } else {
                return bad(
                    "not_allowed",
                    &format!("must be one of: {}", allowed.join(", ")),
                );
            }
        }
        Kind::RefCode { .. } => {
            if t.len() > 8 || !t.chars().all(|c| c.is_ascii_alphanumeric()) {
                return bad("unknown_code", "is not a known code");
            }
            Value::String(t.to_ascii_uppercase())
        }
        Kind::IdNumber => match ids::parse_id_number(&t) {
            Ok(s) => Value::String(s),
            Err(m) => return bad("invalid_id_number", m),
        },
        Kind::CreditCode => match ids::parse_credit_code(&t) {
            Ok(s) => Value::String(s),
            Err(m) => return bad("invalid_credit_code", m),
        },
        Kind::Phone => match ids::parse_phone(&t) {
            Ok(s) => Value::String(s),
            Err(m) => return bad("invalid_phone", m),
        },
        Kind::MajorCode => {
            if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
                Value::String(t)
            } else {
                return bad("invalid", "must be a six-digit national major code");
            }
        }
        Kind::Instant => match crate::booking::parse_instant(&t) {
            Ok(secs) => Value::String(crate::booking::format_instant(secs)),
            Err(m) => return bad("invalid_instant", m),
        },
        Kind::Email => {
            let ok = t.len() <= 254
                && t.split_once('@')
                    .is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !d.starts_with('.'))
                && !t.contains(char::is_whitespace);
            if ok {
                Value::String(t)
            } else {
                return bad("invalid", "is not an e-mail address");
            }
        }
    };
    Ok(out)
}

/// Whether `v` is the masked form of `old` (a masked value sent back means "unchanged").
pub fn is_mask_of(field: &Field, v: &Value, old: &Value) -> bool {
    match (v.as_str(), old.as_str()) {
        (Some(v), Some(old)) if v.contains('*') => mask(field.pii, old) == v,
        _ => false,
    }
}

/// The masked form of a personal value.
pub fn mask(p: Pii, v: &str) -> String {
    match p {
        Pii::None => v.to_string(),
        Pii::IdNumber => ids::mask_id_number(v),
        Pii::Phone => ids::mask_phone(v),
        Pii::Address => {
            if v.len() == 6 && v.bytes().all(|b| b.is_ascii_digit()) {
                // A region code keeps its province and city digits.
                format!("{}**", &v[..4])
            } else {
                ids::mask_address(v)
            }
        }
    }
}

/// Validates a new record (`old` is `None`) or a change to one (`old` is the stored record and
/// `input` holds only the changed fields). Returns the complete record to store, or every
/// problem found: unknown fields, each field's parse, then the rules across fields.
pub fn validate(
    def: &ResourceDef,
    input: &Map<String, Value>,
    old: Option<&Record>,
) -> Result<Record, Vec<FieldError>> {
    let mut errors = Vec::new();
    for k in input.keys() {
        if def.field(k).is_none() && !matches!(k.as_str(), "id" | "created_at" | "updated_at") {
            errors.push(FieldError::new(
                k,
                "unknown_field",
                "is not a field of this record",
            ));
        }
    }
    let mut rec = Record::new();
    for field in def.fields {
        let given = input.get(field.name);
        let old_v = old.and_then(|o| o.get(field.name));
        let value = match (given, old_v) {
            (None, Some(o)) => Ok(o.clone()),
            (Some(v), Some(o)) if field.pii != Pii::None && is_mask_of(field, v, o) => {
                Ok(o.clone())
            }
            (Some(v), _) => parse_value(field, v),
            (None, None) => parse_value(field, &Value::Null),
        };
        match value {
            Ok(v) => {
                rec.insert(field.name.to_string(), v);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        errors.extend(check_record(def, &rec, old));
    }
    if errors.is_empty() {
        Ok(rec)
    } else {
        Err(errors)
    }
}

fn s<'a>(r: &'a Record, k: &str) -> Option<&'a str> {
    r.get(k).and_then(Value::as_str)
}

/// Rules across fields of one record, and the lifecycle of statuses.
pub fn check_record(def: &ResourceDef, rec: &Record, old: Option<&Record>) -> Vec<FieldError> {
    let mut e = Vec::new();
    if let (Some(start), Some(end)) = (s(rec, "start_date"), s(rec, "end_date")) {
        if end < start {
            e.push(FieldError::new(
                "end_date",
                "before_start",
                "must not be before the start date",
            ));
        }
    }
    match def.name {
        "organisations" => {
            let kind = s(rec, "kind").unwrap_or("");
            let has_code = rec.get("credit_code").is_some_and(|v| !v.is_null());
            let has_country = rec.get("country_code").is_some_and(|v| !v.is_null());
            if kind == "enterprise" && !has_code {
                e.push(FieldError::new(
                    "credit_code",
                    "required",
                    "is required for an enterprise",
                ));
            }
            if kind == "foreign" {
                if has_code {
                    e.push(FieldError::new(
                        "credit_code",
                        "not_allowed",
                        "a foreign institution has no credit code",
                    ));
                }
                if !has_country {
                    e.push(FieldError::new(
                        "country_code",
                        "required",
                        "is required for a foreign institution",
                    ));
                }
            }
        }
        "students" => {
            // The lifecycle governs changes. A new record may arrive in any status: colleges load
            // students who are already suspended or withdrawn from their previous system.
            if let (Some(old), Some(new)) = (old.and_then(|o| s(o, "status")), s(rec, "status")) {
                if !status_transition_allowed(old, new) {
                    e.push(FieldError::new(
                        "status",
                        "invalid_transition",
                        format!("cannot change from {old} to {new}"),
                    ));
                }
            }
        }
        "mentors" => {
            let kind = s(rec, "kind").unwrap_or("");
            let staff = rec.get("staff_id").is_some_and(|v| !v.is_null());
            let contact = rec.get("contact_id").is_some_and(|v| !v.is_null());
            if kind == "teacher" && (!staff || contact) {
                e.push(FieldError::new(
                    "staff_id",
                    "required",
                    "a teacher mentor names a staff member and no contact",
                ));
            }
            if kind == "enterprise" && (!contact || staff) {
                e.push(FieldError::new(
                    "contact_id",
                    "required",
                    "an enterprise mentor names a contact and no staff member",
                ));
            }
        }
        "training_bases"
            if s(rec, "kind") == Some("overseas")
                && rec.get("country_code").is_none_or(Value::is_null) =>
        {
            e.push(FieldError::new(
                "country_code",
                "required",
                "is required for an overseas base",
            ));
        }
        "bookings" => e.extend(check_booking(rec)),
        "order_classes" => e.extend(crate::order_class::check_order_class(rec)),
        "regions" => {
            if let Some(code) = s(rec, "code") {
                if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
                    e.push(FieldError::new("code", "invalid", "must be six digits"));
                }
            }
        }
        _ => {}
    }
    e
}

/// A booking's own rules: what is booked names what it needs and nothing else, someone booked
/// it, and its interval is valid (`booking::check_interval`). Conflicts with other bookings are
/// checked by the store, against the database, inside the write transaction.
fn check_booking(rec: &Record) -> Vec<FieldError> {
    let mut e = Vec::new();
    let has = |k: &str| rec.get(k).is_some_and(|v| !v.is_null());
    match s(rec, "kind").unwrap_or("") {
        "workstations" if !has("workstations") => e.push(FieldError::new(
            "workstations",
            "required",
            "is required when booking workstations",
        )),
        "equipment" if !has("equipment_id") => e.push(FieldError::new(
            "equipment_id",
            "required",
            "is required when booking equipment",
        )),
        _ => {}
    }
    if s(rec, "kind") != Some("workstations") && has("workstations") {
        e.push(FieldError::new(
            "workstations",
            "not_allowed",
            "only a workstation booking names a number of workstations",
        ));
    }
    if s(rec, "kind") != Some("equipment") && has("equipment_id") {
        e.push(FieldError::new(
            "equipment_id",
            "not_allowed",
            "only an equipment booking names equipment",
        ));
    }
    if !has("course_name") && !has("class_id") && !has("staff_id") {
        e.push(FieldError::new(
            "staff_id",
            "required",
            "name who books: a course, a class or a person",
        ));
    }
    if let (Some(a), Some(b)) = (s(rec, "start_at"), s(rec, "end_at")) {
        if let (Ok(a), Ok(b)) = (
            crate::booking::parse_instant(a),
            crate::booking::parse_instant(b),
        ) {
            if let Err(m) = crate::booking::check_interval(a, b) {
                e.push(FieldError::new("end_at", "invalid_interval", m));
            }
        }
    }
    e
}

/// The student status lifecycle: enrolled ⇄ suspended; enrolled or suspended → withdrawn;
/// enrolled → graduated; withdrawn → enrolled (re-admission). Graduated is final.
pub fn status_transition_allowed(from: &str, to: &str) -> bool {
    from == to
        || matches!(
            (from, to),
            ("enrolled", "suspended" | "withdrawn" | "graduated")
                | ("suspended", "enrolled" | "withdrawn")
                | ("withdrawn", "enrolled")
        )
}

/// What an actor is shown of a record: personal fields masked; for external (enterprise) users,
/// left out altogether (PIPL: the minimum necessary).
pub fn present(actor: &crate::access::Actor, def: &ResourceDef, mut rec: Record) -> Record {
    let external = actor.external_only();
    for f in def.fields.iter().filter(|f| f.pii != Pii::None) {
        if external {
            rec.remove(f.name);
        } else if let Some(s) = rec.get(f.name).and_then(Value::as_str) {
            let m = mask(f.pii, s);
            rec.insert(f.name.to_string(), Value::String(m));
        }
    }
    rec
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn every_ref_points_at_a_known_resource() {
        for r in RESOURCES {
            for f in r.fields {
                if let Kind::Ref(t) | Kind::RefCode { resource: t, .. } = f.kind {
                    assert!(resource(t).is_some(), "{}.{} -> {t}", r.name, f.name);
                }
            }
            assert!(r.has_column(r.order));
        }
    }

    #[test]
    fn student_validation_reports_every_field() {
        let input = obj(json!({
            "student_no": "2024001", "name": "", "gender": "3",
            "id_number": "500101200509170011", "phone": "123", "program_id": "x",
            "entry_year": 2024, "status": "enrolled", "nickname": "x"
        }));
        let errs = validate(&STUDENTS, &input, None).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "nickname",
                "name",
                "gender",
                "id_number",
                "phone",
                "program_id"
            ]
        );
    }

    #[test]
    fn masked_value_sent_back_means_unchanged() {
        let id = crate::ids::make_id_number("500101", "20050917", 1);
        let old = obj(json!({
            "student_no": "2024001", "name": "张三", "gender": "1", "id_number": id,
            "program_id": 1, "entry_year": 2024, "status": "enrolled", "phone": "13812345678"
        }));
        let old = validate(&STUDENTS, &old, None).unwrap();
        let patch = obj(
            json!({"id_number": crate::ids::mask_id_number(&id), "phone": "138****5678", "name": "张三丰"}),
        );
        let new = validate(&STUDENTS, &patch, Some(&old)).unwrap();
        assert_eq!(new["id_number"], json!(id));
        assert_eq!(new["phone"], json!("13812345678"));
        assert_eq!(new["name"], json!("张三丰"));
    }

    #[test]
    fn status_lifecycle() {
        assert!(status_transition_allowed("enrolled", "suspended"));
        assert!(status_transition_allowed("suspended", "enrolled"));
        assert!(!status_transition_allowed("graduated", "enrolled"));
        assert!(!status_transition_allowed("suspended", "graduated"));
        assert!(!status_transition_allowed("withdrawn", "graduated"));
    }

    #[test]
    fn organisation_kinds_need_the_right_identifiers() {
        let e = validate(
            &ORGANISATIONS,
            &obj(json!({"kind": "enterprise", "name": "某公司"})),
            None,
        )
        .unwrap_err();
        assert_eq!(e[0].field, "credit_code");
        let e = validate(
            &ORGANISATIONS,
            &obj(json!({"kind": "foreign", "name": "Univ"})),
            None,
        )
        .unwrap_err();
        assert_eq!(e[0].field, "country_code");
        assert!(validate(
            &ORGANISATIONS,
            &obj(json!({"kind": "foreign", "name": "Univ", "country_code": "lk"})),
            None
        )
        .is_ok());
    }

    #[test]
    fn dates_in_order() {
        let e = validate(
            &ACADEMIC_YEARS,
            &obj(
                json!({"name": "2025-2026", "start_date": "2026-07-01", "end_date": "2025-09-01"}),
            ),
            None,
        )
        .unwrap_err();
        assert_eq!(e[0].code, "before_start");
    }
}
