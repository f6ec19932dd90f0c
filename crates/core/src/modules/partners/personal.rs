//! The privacy registry's entries for the partners' personal fields (external contacts): why
//! each is held, on which legal basis (PIPL Art. 13) and how long. Who may reveal each is
//! computed from the access rules (`crate::personal_data::revealers`).

use crate::personal_data::{LegalBasis, PersonalField};
use crate::retention::Retention;

pub static PERSONAL: &[PersonalField] = &[
    PersonalField {
        resource: "contacts",
        field: "phone",
        purpose_zh: "履行合作协议：联系企业联系人与企业导师",
        purpose_en: "performing the cooperation agreement: reaching the partner's contacts \
                     and mentors",
        basis: LegalBasis::Contract,
        retention: Retention::WhileRecordExists,
    },
    PersonalField {
        resource: "contacts",
        field: "email",
        purpose_zh: "履行合作协议：联系与系统通知",
        purpose_en: "performing the cooperation agreement: contact and notifications",
        basis: LegalBasis::Contract,
        retention: Retention::WhileRecordExists,
    },
];
