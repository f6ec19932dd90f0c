//! The record types of this module, described once (see `crate::schema` for the engine).

use crate::labels::{l, EnumTable};
use crate::schema::{f, key, pii, req, Field, FieldGroup, Kind, Pii, ResourceDef};

pub static ORG_KINDS: EnumTable = EnumTable {
    labels: &[
        l("enterprise", "企业", "Enterprise"),
        l("government", "政府机关", "Government body"),
        l("school", "学校", "School"),
        l("foreign", "境外机构", "Foreign institution"),
    ],
    aliases: &[("政府", "government"), ("院校", "school")],
};

pub static ORG_SIZES: EnumTable = EnumTable {
    labels: &[
        l("large", "大型", "Large"),
        l("medium", "中型", "Medium"),
        l("small", "小型", "Small"),
        l("micro", "微型", "Micro"),
    ],
    aliases: &[],
};

pub static OWNERSHIP: EnumTable = EnumTable {
    labels: &[
        l("state", "国有", "State-owned"),
        l("collective", "集体", "Collective"),
        l("private", "民营", "Private"),
        l("foreign", "外资", "Foreign-owned"),
        l("joint", "合资", "Joint venture"),
        l("other", "其他", "Other"),
    ],
    aliases: &[("国企", "state"), ("民企", "private"), ("私营", "private")],
};

pub static AGREEMENT_KINDS: EnumTable = EnumTable {
    labels: &[
        l("framework", "框架协议", "Framework agreement"),
        l("industry_college", "产业学院", "Industry college"),
        l("order_class", "订单班", "Order class"),
        l("training_base", "实训基地", "Training base"),
        l("internship", "实习", "Internship"),
        l("apprenticeship", "现代学徒制", "Modern apprenticeship"),
        l("rnd", "技术研发", "R&D"),
        l("overseas", "境外合作", "Overseas cooperation"),
        l("other", "其他", "Other"),
    ],
    aliases: &[],
};

pub static AGREEMENT_STATUS: EnumTable = EnumTable {
    labels: &[
        l("draft", "草拟", "Draft"),
        l("active", "生效", "Active"),
        l("expired", "到期", "Expired"),
        l("terminated", "终止", "Terminated"),
    ],
    aliases: &[
        ("有效", "active"),
        ("已到期", "expired"),
        ("已终止", "terminated"),
    ],
};

pub static CONTACT_KINDS: EnumTable = EnumTable {
    labels: &[
        l("contact", "联系人", "Contact"),
        l("mentor", "企业导师", "Enterprise mentor"),
        l("hr", "人力资源", "HR"),
    ],
    aliases: &[],
};

pub static MENTOR_KINDS: EnumTable = EnumTable {
    labels: &[
        l("teacher", "校内导师", "College mentor"),
        l("enterprise", "企业导师", "Enterprise mentor"),
    ],
    aliases: &[],
};

pub static ORGANISATIONS: ResourceDef = ResourceDef {
    name: "organisations",
    table: "organisations",
    zh: "合作单位",
    en: "Partner organisations",
    fields: &[
        Field {
            aliases: &["单位类型"],
            ..req("kind", "类型", "Kind", Kind::Enum(&ORG_KINDS))
        },
        Field {
            aliases: &["单位名称", "企业名称", "公司名称", "机构名称"],
            ..key("name", "名称", "Name", Kind::Text { max: 200 })
        },
        f(
            "name_en",
            "英文名称",
            "English name",
            Kind::Text { max: 300 },
        ),
        Field {
            aliases: &["信用代码", "社会信用代码", "统一信用代码"],
            unique: true,
            ..f(
                "credit_code",
                "统一社会信用代码",
                "Unified social credit code",
                Kind::CreditCode,
            )
        },
        Field {
            aliases: &["所属行业", "行业代码"],
            ..f(
                "industry_code",
                "行业",
                "Industry (GB/T 4754)",
                Kind::RefCode {
                    resource: "industries",
                    column: "code",
                },
            )
        },
        Field {
            aliases: &["所在地", "地区"],
            ..f(
                "region_code",
                "所在地区",
                "Region",
                Kind::RefCode {
                    resource: "regions",
                    column: "code",
                },
            )
        },
        Field {
            aliases: &["国别", "国家/地区"],
            ..f(
                "country_code",
                "国家",
                "Country",
                Kind::RefCode {
                    resource: "countries",
                    column: "alpha2",
                },
            )
        },
        Field {
            aliases: &["企业规模"],
            ..f("size", "规模", "Size", Kind::Enum(&ORG_SIZES))
        },
        Field {
            aliases: &["企业性质", "单位性质"],
            ..f("ownership", "性质", "Ownership", Kind::Enum(&OWNERSHIP))
        },
        Field {
            aliases: &["员工人数", "在岗职工人数"],
            ..f(
                "headcount",
                "职工人数",
                "Staff headcount",
                Kind::Int {
                    min: 0,
                    max: 10_000_000,
                },
            )
        },
        Field {
            aliases: &["单位地址", "企业地址", "注册地址"],
            ..f("address", "地址", "Address", Kind::Text { max: 200 })
        },
    ],
    search: &["name", "name_en", "credit_code"],
    order: "name",
    ref_keys: &["credit_code", "name"],
    import_key: &["credit_code"],
    check: super::check_organisation,
    ..ResourceDef::NEW
};

pub static AGREEMENTS: ResourceDef = ResourceDef {
    name: "agreements",
    table: "agreements",
    zh: "合作协议",
    en: "Cooperation agreements",
    fields: &[
        Field {
            aliases: &["协议号", "合同编号"],
            ..key(
                "agreement_no",
                "协议编号",
                "Agreement number",
                Kind::Text { max: 40 },
            )
        },
        Field {
            aliases: &["合作企业", "企业名称", "单位名称"],
            ..req("org_id", "合作单位", "Partner", Kind::Ref("organisations"))
        },
        req("kind", "协议类型", "Kind", Kind::Enum(&AGREEMENT_KINDS)),
        Field {
            aliases: &["协议标题", "合同名称"],
            ..req("title", "协议名称", "Title", Kind::Text { max: 200 })
        },
        Field {
            aliases: &["生效日期", "起始日期"],
            ..req("start_date", "开始日期", "Start date", Kind::Date)
        },
        Field {
            aliases: &["终止日期", "到期日期"],
            ..f("end_date", "结束日期", "End date", Kind::Date)
        },
        Field {
            aliases: &["协议状态"],
            ..req("status", "状态", "Status", Kind::Enum(&AGREEMENT_STATUS))
        },
        f("amount_fen", "金额（分）", "Amount (fen)", Kind::Fen),
        f("documents", "附件", "Documents", Kind::Text { max: 2000 }),
    ],
    search: &["agreement_no", "title"],
    order: "start_date",
    import_key: &["agreement_no"],
    import_defaults: &[("status", "draft")],
    label: "title",
    ..ResourceDef::NEW
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
        req("kind", "角色", "Role", Kind::Enum(&CONTACT_KINDS)),
        f("position", "职务", "Position", Kind::Text { max: 100 }),
        pii("phone", "电话", "Phone", Kind::Phone, Pii::Phone),
        pii("email", "电子邮箱", "E-mail", Kind::Email, Pii::Email),
    ],
    search: &["name", "position"],
    order: "name",
    ref_keys: &["name"],
    // Who a contact is, for everyone who reaches the row; how to reach them, for the college
    // (a teacher reaches only the contacts of their own partners, a student their own mentor).
    groups: &[
        FieldGroup {
            name: "identity",
            zh: "身份与职务",
            en: "Identity and position",
            fields: &["org_id", "name", "kind", "position"],
            allows: super::every_reader,
            plain_for: crate::schema::masked_for_all,
        },
        FieldGroup {
            name: "contact",
            zh: "联系方式",
            en: "Contact",
            fields: &["phone", "email"],
            allows: super::internal_only,
            plain_for: crate::schema::plain_for_students,
        },
    ],
    ..ResourceDef::NEW
};

pub static MENTORS: ResourceDef = ResourceDef {
    name: "mentors",
    table: "mentors",
    zh: "导师分配",
    en: "Mentor assignments",
    fields: &[
        req("student_id", "学生", "Student", Kind::Ref("students")),
        req("kind", "导师类型", "Mentor kind", Kind::Enum(&MENTOR_KINDS)),
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
    check: super::check_mentor,
    ..ResourceDef::NEW
};
