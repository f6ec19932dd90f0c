//! The record types of this module, described once (see `crate::schema` for the engine).

use crate::labels::{l, EnumTable};
use crate::schema::{f, key, pii, req, Field, Kind, Pii, ResourceDef};

pub static GENDERS: EnumTable = EnumTable {
    labels: &[
        l("1", "男", "Male"),
        l("2", "女", "Female"),
        l("0", "未知", "Unknown"),
        l("9", "未说明", "Unstated"),
    ],
    aliases: &[("男性", "1"), ("女性", "2"), ("M", "1"), ("F", "2")],
};

pub static STUDENT_STATUS: EnumTable = EnumTable {
    labels: &[
        l("enrolled", "在读", "Enrolled"),
        l("suspended", "休学", "Suspended"),
        l("withdrawn", "退学", "Withdrawn"),
        l("graduated", "毕业", "Graduated"),
    ],
    aliases: &[
        ("在校", "enrolled"),
        ("在籍", "enrolled"),
        ("已毕业", "graduated"),
    ],
};

pub static TITLES: EnumTable = EnumTable {
    labels: &[
        l("professor", "教授", "Professor"),
        l("associate_professor", "副教授", "Associate professor"),
        l("lecturer", "讲师", "Lecturer"),
        l("assistant", "助教", "Assistant"),
        l("senior_engineer", "高级工程师", "Senior engineer"),
        l("engineer", "工程师", "Engineer"),
        l("none", "无", "None"),
    ],
    aliases: &[("无职称", "none")],
};

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
    ref_keys: &["code", "name"],
    ..ResourceDef::NEW
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
    ref_keys: &["code", "name"],
    ..ResourceDef::NEW
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
    ref_keys: &["name"],
    ..ResourceDef::NEW
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
    ref_keys: &["name"],
    ..ResourceDef::NEW
};

pub static STAFF: ResourceDef = ResourceDef {
    name: "staff",
    table: "staff",
    zh: "教职工",
    en: "Staff",
    fields: &[
        key("staff_no", "工号", "Staff number", Kind::Text { max: 20 }),
        req("name", "姓名", "Name", Kind::Text { max: 50 }),
        req("gender", "性别", "Gender", Kind::Enum(&GENDERS)),
        f("title", "职称", "Title", Kind::Enum(&TITLES)),
        req("dual_qualified", "双师型", "Dual-qualified", Kind::Flag),
        f("school_id", "二级学院", "School", Kind::Ref("schools")),
        f("office", "部门", "Office", Kind::Text { max: 60 }),
        pii("phone", "手机号", "Phone", Kind::Phone, Pii::Phone),
        f("email", "电子邮箱", "E-mail", Kind::Email),
    ],
    search: &["staff_no", "name"],
    order: "staff_no",
    ref_keys: &["staff_no"],
    import_key: &["staff_no"],
    import_defaults: &[("dual_qualified", "false")],
    ..ResourceDef::NEW
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
    ref_keys: &["name"],
    ..ResourceDef::NEW
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
        req("gender", "性别", "Gender", Kind::Enum(&GENDERS)),
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
        req("status", "学籍状态", "Status", Kind::Enum(&STUDENT_STATUS)),
    ],
    search: &["student_no", "name"],
    order: "student_no",
    ref_keys: &["student_no"],
    import_key: &["student_no"],
    import_defaults: &[("status", "enrolled")],
    check: super::check_student,
    ..ResourceDef::NEW
};
