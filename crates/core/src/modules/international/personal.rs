//! The privacy registry's entries for the international module's personal fields: why each is
//! held, on which legal basis (PIPL Art. 13) and how long. Who may reveal each is computed from
//! the access rules (`crate::personal_data::revealers`).

use crate::personal_data::{LegalBasis, PersonalField};
use crate::retention::Retention;

pub static PERSONAL: &[PersonalField] = &[
    PersonalField {
        resource: "foreign_experts",
        field: "email",
        purpose_zh: "履行聘用协议：联系外籍专家、办理来校手续",
        purpose_en: "performing the engagement: reaching the foreign expert and arranging \
                     their stay",
        basis: LegalBasis::Contract,
        retention: Retention::WhileRecordExists,
    },
    PersonalField {
        resource: "foreign_experts",
        field: "phone",
        purpose_zh: "履行聘用协议：在华期间联系外籍专家",
        purpose_en: "performing the engagement: reaching the foreign expert during their stay",
        basis: LegalBasis::Contract,
        retention: Retention::WhileRecordExists,
    },
    PersonalField {
        resource: "international_students",
        field: "phone",
        purpose_zh: "履行教育服务合同：在校期间联系留学生",
        purpose_en: "performing the education contract: reaching the international student \
                     while they study",
        basis: LegalBasis::Contract,
        retention: Retention::WhileRecordExists,
    },
    PersonalField {
        resource: "international_students",
        field: "email",
        purpose_zh: "履行教育服务合同：联系留学生、发送学习与签证通知",
        purpose_en: "performing the education contract: reaching the international student \
                     with study and visa notices",
        basis: LegalBasis::Contract,
        retention: Retention::WhileRecordExists,
    },
];
