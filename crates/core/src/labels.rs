//! Labels of the coded values (`Kind::Enum`) in [`crate::schema`], in Chinese and English.
//!
//! What it protects: a spreadsheet speaks in labels (`男`, `在读`, `副教授`), the store in codes
//! (`1`, `enrolled`, `associate_professor`). This one table maps both ways, so an export read back
//! gives the same codes, and a label typed by a person is never stored as if it were a code.
//!
//! Why keyed by resource *and* field: several enums share a field name (`kind`, `status`) and some
//! share codes or labels: `enterprise` is 企业 for an organisation but 企业导师 for a mentor, and
//! 企业导师 is the code `mentor` for a contact but `enterprise` for a mentor assignment. The bare
//! field name is accepted only where it is unambiguous; `resource.field` always is.

use crate::ids::normalize_text;

/// One coded value and its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnumLabel {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// The labels of one enum field of one resource, with extra spellings accepted when reading.
#[derive(Debug)]
pub struct EnumTable {
    pub resource: &'static str,
    pub field: &'static str,
    pub labels: &'static [EnumLabel],
    /// Other spellings accepted on input (`男性` for `1`); never written.
    pub aliases: &'static [(&'static str, &'static str)],
}

impl EnumTable {
    /// The label of `code`, or `None` for a code not in the table.
    pub fn label(&self, code: &str, zh: bool) -> Option<&'static str> {
        self.labels
            .iter()
            .find(|l| l.code == code)
            .map(|l| if zh { l.zh } else { l.en })
    }

    /// The code for `text`: the code itself, its Chinese or English label (English and codes
    /// case-insensitive), or an alias. Surrounding spaces and full-width letters are ignored.
    pub fn code(&self, text: &str) -> Option<&'static str> {
        // Fast path: the exact code or label, as written by an export.
        for l in self.labels {
            if l.code == text || l.zh == text || l.en == text {
                return Some(l.code);
            }
        }
        let t = normalize_text(text);
        for l in self.labels {
            if l.code.eq_ignore_ascii_case(&t) || l.zh == t || l.en.eq_ignore_ascii_case(&t) {
                return Some(l.code);
            }
        }
        self.aliases
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(&t))
            .map(|(_, c)| *c)
    }
}

const fn l(code: &'static str, zh: &'static str, en: &'static str) -> EnumLabel {
    EnumLabel { code, zh, en }
}

const GENDER: &[EnumLabel] = &[
    l("1", "男", "Male"),
    l("2", "女", "Female"),
    l("0", "未知", "Unknown"),
    l("9", "未说明", "Unstated"),
];
const GENDER_ALIASES: &[(&str, &str)] = &[("男性", "1"), ("女性", "2"), ("M", "1"), ("F", "2")];

const TITLES: &[EnumLabel] = &[
    l("professor", "教授", "Professor"),
    l("associate_professor", "副教授", "Associate professor"),
    l("lecturer", "讲师", "Lecturer"),
    l("assistant", "助教", "Assistant"),
    l("senior_engineer", "高级工程师", "Senior engineer"),
    l("engineer", "工程师", "Engineer"),
    l("none", "无", "None"),
];

/// Every enum field of [`crate::schema::RESOURCES`].
pub static TABLES: &[EnumTable] = &[
    EnumTable {
        resource: "students",
        field: "gender",
        labels: GENDER,
        aliases: GENDER_ALIASES,
    },
    EnumTable {
        resource: "staff",
        field: "gender",
        labels: GENDER,
        aliases: GENDER_ALIASES,
    },
    EnumTable {
        resource: "students",
        field: "status",
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
    },
    EnumTable {
        resource: "staff",
        field: "title",
        labels: TITLES,
        aliases: &[("无职称", "none")],
    },
    EnumTable {
        resource: "organisations",
        field: "kind",
        labels: &[
            l("enterprise", "企业", "Enterprise"),
            l("government", "政府机关", "Government body"),
            l("school", "学校", "School"),
            l("foreign", "境外机构", "Foreign institution"),
        ],
        aliases: &[("政府", "government"), ("院校", "school")],
    },
    EnumTable {
        resource: "organisations",
        field: "size",
        labels: &[
            l("large", "大型", "Large"),
            l("medium", "中型", "Medium"),
            l("small", "小型", "Small"),
            l("micro", "微型", "Micro"),
        ],
        aliases: &[],
    },
    EnumTable {
        resource: "organisations",
        field: "ownership",
        labels: &[
            l("state", "国有", "State-owned"),
            l("collective", "集体", "Collective"),
            l("private", "民营", "Private"),
            l("foreign", "外资", "Foreign-owned"),
            l("joint", "合资", "Joint venture"),
            l("other", "其他", "Other"),
        ],
        aliases: &[("国企", "state"), ("民企", "private"), ("私营", "private")],
    },
    EnumTable {
        resource: "agreements",
        field: "kind",
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
    },
    EnumTable {
        resource: "agreements",
        field: "status",
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
    },
    EnumTable {
        resource: "contacts",
        field: "kind",
        labels: &[
            l("contact", "联系人", "Contact"),
            l("mentor", "企业导师", "Enterprise mentor"),
            l("hr", "人力资源", "HR"),
        ],
        aliases: &[],
    },
    EnumTable {
        resource: "mentors",
        field: "kind",
        labels: &[
            l("teacher", "校内导师", "College mentor"),
            l("enterprise", "企业导师", "Enterprise mentor"),
        ],
        aliases: &[],
    },
    EnumTable {
        resource: "regions",
        field: "level",
        labels: &[
            l("province", "省", "Province"),
            l("city", "市", "City"),
            l("county", "县", "County"),
        ],
        aliases: &[("省级", "province"), ("地级", "city"), ("县级", "county")],
    },
    EnumTable {
        resource: "regions",
        field: "in_circle",
        labels: &[
            l("in", "是", "In"),
            l("out", "否", "Out"),
            l("partial", "部分", "Partial"),
        ],
        aliases: &[],
    },
    // Training bases, equipment and bookings.
    EnumTable {
        resource: "training_bases",
        field: "kind",
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
    },
    EnumTable {
        resource: "training_bases",
        field: "status",
        labels: &[
            l("planning", "建设中", "Being built"),
            l("active", "运行中", "In use"),
            l("suspended", "暂停使用", "Suspended"),
            l("closed", "已撤销", "Closed"),
        ],
        aliases: &[],
    },
    EnumTable {
        resource: "equipment",
        field: "status",
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
    },
    EnumTable {
        resource: "bookings",
        field: "kind",
        labels: &[
            l("base", "整个基地", "Whole base"),
            l("workstations", "工位", "Workstations"),
            l("equipment", "设备", "Equipment"),
        ],
        aliases: &[],
    },
    EnumTable {
        resource: "bookings",
        field: "status",
        labels: &[
            l("active", "有效", "Active"),
            l("cancelled", "已取消", "Cancelled"),
        ],
        aliases: &[("取消", "cancelled")],
    },
    EnumTable {
        resource: "industries",
        field: "level",
        labels: &[
            l("section", "门类", "Section"),
            l("division", "大类", "Division"),
        ],
        aliases: &[],
    },
    // Order classes (issue 4)
    EnumTable {
        resource: "order_classes",
        field: "status",
        labels: &[
            l("draft", "草拟", "Draft"),
            l("open", "报名中", "Open"),
            l("closed", "报名截止", "Closed"),
            l("allocated", "已分配", "Allocated"),
            l("published", "已发布", "Published"),
        ],
        aliases: &[],
    },
    EnumTable {
        resource: "order_applications",
        field: "status",
        labels: &[
            l("submitted", "已报名", "Submitted"),
            l("withdrawn", "已撤回", "Withdrawn"),
        ],
        aliases: &[("报名", "submitted"), ("撤回", "withdrawn")],
    },
    EnumTable {
        resource: "allocation_runs",
        field: "status",
        labels: &[
            l("draft", "草稿", "Draft"),
            l("published", "已发布", "Published"),
        ],
        aliases: &[],
    },
    EnumTable {
        resource: "order_offers",
        field: "status",
        labels: &[
            l("offered", "待确认", "Offered"),
            l("accepted", "已接受", "Accepted"),
            l("declined", "已放弃", "Declined"),
            l("superseded", "已更新", "Superseded"),
        ],
        aliases: &[],
    },
];

/// The table of one enum field of one resource.
pub fn enum_table(resource: &str, field: &str) -> Option<&'static EnumTable> {
    TABLES
        .iter()
        .find(|t| t.resource == resource && t.field == field)
}

/// The tables `field` names: `resource.field`, or every resource's field of that name.
fn tables_for(field: &str) -> impl Iterator<Item = &'static EnumTable> + '_ {
    let (res, name) = match field.split_once('.') {
        Some((r, f)) => (Some(r), f),
        None => (None, field),
    };
    TABLES
        .iter()
        .filter(move |t| t.field == name && res.is_none_or(|r| t.resource == r))
}

/// The one answer all candidate tables agree on, or `None` (no answer, or an ambiguous one).
fn agreed(answers: impl Iterator<Item = &'static str>) -> Option<&'static str> {
    let mut found = None;
    for a in answers {
        match found {
            None => found = Some(a),
            Some(f) if f != a => return None,
            Some(_) => {}
        }
    }
    found
}

/// The label of `code` for `field` (`"gender"`, or `"mentors.kind"` where the bare name is
/// shared), in Chinese when `zh`. `None` for an unknown code or an ambiguous bare field name.
pub fn enum_label(field: &str, code: &str, zh: bool) -> Option<&'static str> {
    agreed(tables_for(field).filter_map(|t| t.label(code, zh)))
}

/// The code `text` stands for in `field`: the code itself, a Chinese or English label, or an
/// alias. `None` when unknown, or when a bare field name leaves it ambiguous.
pub fn enum_code(field: &str, text: &str) -> Option<&'static str> {
    agreed(tables_for(field).filter_map(|t| t.code(text)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Kind, RESOURCES};
    use std::collections::HashMap;

    #[test]
    fn every_enum_field_has_a_table_with_exactly_its_codes() {
        let mut seen = 0;
        for r in RESOURCES {
            for f in r.fields {
                if let Kind::Enum(codes) = f.kind {
                    let t = enum_table(r.name, f.name)
                        .unwrap_or_else(|| panic!("no labels for {}.{}", r.name, f.name));
                    let mine: Vec<&str> = t.labels.iter().map(|l| l.code).collect();
                    assert_eq!(mine, codes, "{}.{}", r.name, f.name);
                    seen += 1;
                }
            }
        }
        assert_eq!(
            seen,
            TABLES.len(),
            "a table for a field that is not an enum"
        );
    }

    #[test]
    fn every_spelling_means_one_code_within_a_table() {
        for t in TABLES {
            let mut keys: HashMap<String, &str> = HashMap::new();
            let spellings = t
                .labels
                .iter()
                .flat_map(|l| [(l.code, l.code), (l.zh, l.code), (l.en, l.code)])
                .chain(t.aliases.iter().copied());
            for (text, code) in spellings {
                let k = text.to_lowercase();
                if let Some(other) = keys.insert(k, code) {
                    assert_eq!(other, code, "{}.{}: {text}", t.resource, t.field);
                }
                assert_eq!(
                    t.code(text),
                    Some(code),
                    "{}.{}: {text}",
                    t.resource,
                    t.field
                );
            }
            for a in t.aliases {
                assert!(
                    t.labels.iter().any(|l| l.code == a.1),
                    "alias to unknown code"
                );
            }
        }
    }

    #[test]
    fn labels_and_codes_both_ways() {
        assert_eq!(enum_label("gender", "1", true), Some("男"));
        assert_eq!(enum_label("gender", "2", false), Some("Female"));
        assert_eq!(enum_code("gender", "男"), Some("1"));
        assert_eq!(enum_code("gender", " 女 "), Some("2"));
        assert_eq!(enum_code("gender", "male"), Some("1"));
        assert_eq!(enum_code("gender", "9"), Some("9"));
        assert_eq!(enum_code("gender", "男性"), Some("1"));
        assert_eq!(enum_code("students.status", "在读"), Some("enrolled"));
        assert_eq!(enum_code("status", "休学"), Some("suspended"));
        assert_eq!(enum_code("status", "生效"), Some("active"));
        assert_eq!(
            enum_label("title", "associate_professor", true),
            Some("副教授")
        );
        assert_eq!(
            enum_code("title", "ASSOCIATE PROFESSOR"),
            Some("associate_professor")
        );
        assert_eq!(enum_code("ownership", "民营"), Some("private"));
        assert_eq!(enum_code("in_circle", "部分"), Some("partial"));
        assert_eq!(enum_code("gender", "兔"), None);
        assert_eq!(enum_label("gender", "3", true), None);
        // Full-width letters typed with a Chinese input method.
        assert_eq!(enum_code("contacts.kind", "ＨＲ"), Some("hr"));
    }

    #[test]
    fn shared_field_names_need_the_resource_when_ambiguous() {
        // `enterprise` is 企业 for an organisation and 企业导师 for a mentor assignment.
        assert_eq!(enum_label("kind", "enterprise", true), None);
        assert_eq!(
            enum_label("organisations.kind", "enterprise", true),
            Some("企业")
        );
        assert_eq!(
            enum_label("mentors.kind", "enterprise", true),
            Some("企业导师")
        );
        // 企业导师 is `mentor` for a contact and `enterprise` for a mentor assignment.
        assert_eq!(enum_code("kind", "企业导师"), None);
        assert_eq!(enum_code("contacts.kind", "企业导师"), Some("mentor"));
        assert_eq!(enum_code("mentors.kind", "企业导师"), Some("enterprise"));
        // Unambiguous under the bare name.
        assert_eq!(enum_code("kind", "订单班"), Some("order_class"));
        assert_eq!(enum_label("status", "draft", false), Some("Draft"));
        // `other` is 其他 for both ownership and agreement kinds, which are different fields.
        assert_eq!(enum_label("ownership", "other", true), Some("其他"));
        assert_eq!(enum_code("nope", "x"), None);
        assert_eq!(enum_code("students.kind", "企业"), None);
    }
}
