//! The privacy registry's entries for the college's personal fields (students and staff): why
//! each is held, on which legal basis (PIPL Art. 13) and how long. Who may reveal each is
//! computed from the access rules (`crate::personal_data::revealers`).

use crate::personal_data::{LegalBasis, PersonalField};
use crate::retention::Retention;

pub static PERSONAL: &[PersonalField] = &[
    PersonalField {
        resource: "students",
        field: "id_number",
        purpose_zh: "学籍注册与电子注册、毕业证书及就业报到等法定学籍管理",
        purpose_en: "student registration, diplomas and the employment report required by \
                     the education authorities",
        basis: LegalBasis::LegalDuty,
        retention: Retention::AnonymiseAfterGraduation,
    },
    PersonalField {
        resource: "students",
        field: "phone",
        purpose_zh: "联系学生本人：教学、实习与订单班通知",
        purpose_en: "reaching the student about teaching, internships and order classes",
        basis: LegalBasis::Contract,
        retention: Retention::AnonymiseAfterGraduation,
    },
    PersonalField {
        resource: "students",
        field: "home_region",
        purpose_zh: "生源地统计与就业质量年报",
        purpose_en: "statistics of where students come from, for the annual employment report",
        basis: LegalBasis::LegalDuty,
        retention: Retention::AnonymiseAfterGraduation,
    },
    PersonalField {
        resource: "students",
        field: "address",
        purpose_zh: "寄送录取、毕业与学籍文书；紧急情况联系家庭",
        purpose_en: "sending admission, graduation and status documents; reaching the family \
                     in an emergency",
        basis: LegalBasis::Contract,
        retention: Retention::AnonymiseAfterGraduation,
    },
    PersonalField {
        resource: "staff",
        field: "phone",
        purpose_zh: "工作联系：导师、订单班与实训安排",
        purpose_en: "work contact for mentoring, order classes and training bookings",
        basis: LegalBasis::Contract,
        retention: Retention::WhileRecordExists,
    },
    PersonalField {
        resource: "staff",
        field: "email",
        purpose_zh: "工作联系与系统通知",
        purpose_en: "work contact and notifications",
        basis: LegalBasis::Contract,
        retention: Retention::WhileRecordExists,
    },
];
