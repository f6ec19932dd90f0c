//! The record type of this module, described once (see `crate::schema` for the engine).

use crate::labels::{l, EnumTable};
use crate::modules::college::STUDENT_STATUS;
use crate::schema::{f, req, Field, Kind, RefSet, ResourceDef};

/// The coded types of change of the national student-status register (学籍异动类型). What each
/// is allowed from and what it sets is in `rules.rs` ([`super::CHANGE_TYPES`]).
pub static STATUS_CHANGE_TYPES: EnumTable = EnumTable {
    labels: &[
        l("suspend", "休学", "Suspension"),
        l("resume", "复学", "Resumption"),
        l("reserve", "保留学籍", "Reservation of status"),
        l("withdraw", "退学", "Withdrawal"),
        l("change_program", "转专业", "Change of program"),
        l("change_class", "转班", "Change of class"),
        l("transfer_out", "转学", "Transfer to another college"),
        l("repeat", "留级/降级", "Repeating a year"),
        l("cancel", "取消学籍", "Cancellation of status"),
        l("expel", "开除学籍", "Expulsion"),
        l("complete", "结业", "Completion without diploma"),
        l("incomplete", "肄业", "Leaving before completion"),
        l("graduate", "毕业", "Graduation"),
    ],
    aliases: &[
        ("留级", "repeat"),
        ("降级", "repeat"),
        ("转出", "transfer_out"),
    ],
};

/// Where a request stands. `void`: approved, but when its date came the student's status no
/// longer allowed it (another change came first); nothing was changed.
pub static STATUS_CHANGE_STATES: EnumTable = EnumTable {
    labels: &[
        l("pending", "待审批", "Pending"),
        l("approved", "已批准待生效", "Approved, not yet effective"),
        l("applied", "已生效", "Applied"),
        l("rejected", "已驳回", "Rejected"),
        l("void", "已失效", "Void"),
    ],
    aliases: &[],
};

/// One request to change a student's status (学籍异动申请), with its decision and, once its
/// date has come, its effect. Written only by the workflow (`status_filing`,
/// `status_decision`): the generic record routes read it.
pub static STATUS_CHANGES: ResourceDef = ResourceDef {
    name: "status_changes",
    table: "status_changes",
    zh: "学籍异动申请",
    en: "Status change requests",
    fields: &[
        Field {
            aliases: &["学号", "学生"],
            ..req("student_id", "学生", "Student", Kind::Ref("students"))
        },
        Field {
            aliases: &["异动类型"],
            ..req(
                "change_type",
                "异动类型",
                "Type of change",
                Kind::Enum(&STATUS_CHANGE_TYPES),
            )
        },
        req("reason", "异动原因", "Reason", Kind::Text { max: 500 }),
        req("effective_date", "生效日期", "Effective date", Kind::Date),
        f(
            "target_program_id",
            "转入专业",
            "Target program",
            Kind::Ref("programs"),
        ),
        f(
            "target_class_id",
            "转入班级",
            "Target class",
            Kind::Ref("classes"),
        ),
        req(
            "state",
            "审批状态",
            "State",
            Kind::Enum(&STATUS_CHANGE_STATES),
        ),
        f(
            "from_status",
            "原学籍状态",
            "Status before",
            Kind::Enum(&STUDENT_STATUS),
        ),
        f(
            "to_status",
            "新学籍状态",
            "Status after",
            Kind::Enum(&STUDENT_STATUS),
        ),
        f("filed_by", "申请人", "Filed by", Kind::Text { max: 100 }),
        f("filed_at", "申请时间", "Filed at", Kind::Instant),
        f(
            "decided_by",
            "审批人",
            "Decided by",
            Kind::Text { max: 100 },
        ),
        f("decided_at", "审批时间", "Decided at", Kind::Instant),
        f(
            "decision_note",
            "审批意见",
            "Decision note",
            Kind::Text { max: 500 },
        ),
        f("applied_at", "生效时间", "Applied at", Kind::Instant),
    ],
    search: &["reason"],
    order: "id",
    check: super::check_request,
    // A class adviser files a move into a class or program they do not advise or teach; the
    // office that decides reads them all.
    ref_sets: &[
        ("target_program_id", RefSet::Any),
        ("target_class_id", RefSet::Any),
    ],
    ..ResourceDef::NEW
};
