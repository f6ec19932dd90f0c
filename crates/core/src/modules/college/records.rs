//! The record types of this module, described once (see `crate::schema` for the engine).

use crate::labels::{l, EnumTable};
use crate::schema::{
    f, key, pii, req, Cohort, Field, FieldGroup, Implied, ImportCheck, ImportColumn, Kind, Pii,
    ResourceDef,
};

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
        l("reserved", "保留学籍", "Status reserved"),
        l("transferred", "转出", "Transferred out"),
        l("cancelled", "取消学籍", "Status cancelled"),
        l("expelled", "开除学籍", "Expelled"),
        l("completed", "结业", "Completed without diploma"),
        l("incomplete", "肄业", "Left before completion"),
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
        Field {
            aliases: &["职工号", "教工号", "教职工号", "人员编号"],
            ..key("staff_no", "工号", "Staff number", Kind::Text { max: 20 })
        },
        Field {
            aliases: &["教师姓名", "职工姓名"],
            ..req("name", "姓名", "Name", Kind::Text { max: 50 })
        },
        req("gender", "性别", "Gender", Kind::Enum(&GENDERS)),
        Field {
            aliases: &["专业技术职称", "职称名称"],
            ..f("title", "职称", "Title", Kind::Enum(&TITLES))
        },
        Field {
            aliases: &["双师型教师", "是否双师型", "双师"],
            ..req("dual_qualified", "双师型", "Dual-qualified", Kind::Flag)
        },
        Field {
            aliases: &["所在学院", "院系", "学院"],
            ..f("school_id", "二级学院", "School", Kind::Ref("schools"))
        },
        Field {
            aliases: &["所在部门", "科室"],
            ..f("office", "部门", "Office", Kind::Text { max: 60 })
        },
        Field {
            aliases: &["手机号码", "联系电话", "手机", "电话"],
            ..pii("phone", "手机号", "Phone", Kind::Phone, Pii::Phone)
        },
        Field {
            aliases: &["邮箱", "电子邮件", "Email"],
            ..pii("email", "电子邮箱", "E-mail", Kind::Email, Pii::Email)
        },
    ],
    search: &["staff_no", "name"],
    order: "staff_no",
    ref_keys: &["staff_no"],
    import_key: &["staff_no"],
    import_defaults: &[("dual_qualified", "false")],
    // Who someone is and where they work, for everyone who reaches the row; how to reach them,
    // not for teachers (a student reaches only their own mentors, and sees this).
    groups: &[
        FieldGroup {
            name: "identity",
            zh: "身份与部门",
            en: "Identity and office",
            fields: &[
                "staff_no",
                "name",
                "gender",
                "title",
                "dual_qualified",
                "school_id",
                "office",
            ],
            allows: super::every_reader,
            plain_for: crate::schema::masked_for_all,
        },
        FieldGroup {
            name: "contact",
            zh: "工作联系方式",
            en: "Work contact",
            fields: &["phone", "email"],
            allows: super::staff_contact_allowed,
            plain_for: crate::schema::plain_for_students,
        },
    ],
    ..ResourceDef::NEW
};

pub static CLASSES: ResourceDef = ResourceDef {
    name: "classes",
    table: "classes",
    zh: "行政班",
    en: "Classes",
    fields: &[
        Field {
            aliases: &["班级", "班名"],
            ..key("name", "班级名称", "Name", Kind::Text { max: 60 })
        },
        Field {
            aliases: &["专业名称"],
            ..req("program_id", "专业", "Program", Kind::Ref("programs"))
        },
        Field {
            aliases: &["年级", "入学年级"],
            cohort: Cohort::Entry,
            ..req(
                "entry_year",
                "入学年份",
                "Entry year",
                Kind::Int {
                    min: 1990,
                    max: 2100,
                },
            )
        },
        Field {
            aliases: &["辅导员", "班主任工号"],
            ..f("adviser_id", "班主任", "Class adviser", Kind::Ref("staff"))
        },
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
        Field {
            aliases: &["学生学号"],
            ..key(
                "student_no",
                "学号",
                "Student number",
                Kind::Text { max: 20 },
            )
        },
        Field {
            aliases: &["学生姓名"],
            ..req("name", "姓名", "Name", Kind::Text { max: 50 })
        },
        req("gender", "性别", "Gender", Kind::Enum(&GENDERS)),
        Field {
            aliases: &["身份证号码", "证件号码", "公民身份号码", "身份证"],
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
        Field {
            aliases: &["手机号码", "联系电话", "手机", "电话", "联系方式"],
            ..pii("phone", "手机号", "Phone", Kind::Phone, Pii::Phone)
        },
        Field {
            aliases: &["生源地代码", "生源所在地", "生源地区"],
            ..pii(
                "home_region",
                "生源地",
                "Home region",
                Kind::RefCode {
                    resource: "regions",
                    column: "code",
                },
                Pii::Address,
            )
        },
        Field {
            aliases: &["家庭地址", "通讯地址", "家庭详细地址"],
            ..pii(
                "address",
                "家庭住址",
                "Home address",
                Kind::Text { max: 200 },
                Pii::Address,
            )
        },
        Field {
            aliases: &["专业名称", "所学专业", "录取专业"],
            ..req("program_id", "专业", "Program", Kind::Ref("programs"))
        },
        Field {
            aliases: &["班级名称", "所在班级", "行政班"],
            ..f("class_id", "班级", "Class", Kind::Ref("classes"))
        },
        Field {
            aliases: &["年级", "入学年级"],
            cohort: Cohort::Entry,
            ..req(
                "entry_year",
                "入学年份",
                "Entry year",
                Kind::Int {
                    min: 1990,
                    max: 2100,
                },
            )
        },
        Field {
            aliases: &["在校状态", "学生状态"],
            ..req("status", "学籍状态", "Status", Kind::Enum(&STUDENT_STATUS))
        },
    ],
    search: &["student_no", "name"],
    order: "student_no",
    ref_keys: &["student_no"],
    import_key: &["student_no"],
    import_defaults: &[("status", "enrolled")],
    check: super::check_student,
    import_columns: &[
        // Not stored: the ID number holds the birth date; a roster's own column is checked against it.
        ImportColumn::Check {
            field: Field {
                aliases: &["出生年月日", "出生年月", "生日"],
                ..f("birth_date", "出生日期", "Birth date", Kind::Date)
            },
            check: super::birth_date_matches_id,
        },
        // The program by the college's own code or the national major code.
        ImportColumn::RefBy {
            field: Field {
                aliases: &["专业编码", "国家专业代码"],
                ..f(
                    "program_code",
                    "专业代码",
                    "Program code",
                    Kind::Text { max: 20 },
                )
            },
            target: "program_id",
            keys: &["code", "major_code"],
        },
    ],
    // A class belongs to one program: a roster that names the class need not name the program.
    implied: &[Implied {
        field: "program_id",
        from: "class_id",
        column: "program_id",
    }],
    // Digit 17 of the ID number is odd for a man, even for a woman.
    import_checks: &[ImportCheck {
        fields: ["gender", "id_number"],
        check: super::gender_matches_id,
    }],
    // What a student studies, for everyone who reaches the row; who they are as a person, not
    // for enterprise users (PIPL: the minimum necessary).
    groups: &[
        FieldGroup {
            name: "study",
            zh: "学籍",
            en: "Study",
            fields: &[
                "student_no",
                "name",
                "gender",
                "program_id",
                "class_id",
                "entry_year",
                "status",
            ],
            allows: super::every_reader,
            plain_for: crate::schema::masked_for_all,
        },
        FieldGroup {
            name: "personal",
            zh: "个人信息",
            en: "Personal",
            fields: &["id_number", "phone", "home_region", "address"],
            allows: super::internal_only,
            plain_for: crate::schema::masked_for_all,
        },
    ],
    ..ResourceDef::NEW
};
