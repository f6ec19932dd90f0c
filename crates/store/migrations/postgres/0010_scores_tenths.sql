-- SkillBridge 0010: interview scores take one decimal (88.5) and are stored as integer tenths
-- (885), the storage of `Kind::Decimal { scale: 1, .. }` (crates/core/src/schema.rs). Scores
-- stored before were whole points: each becomes ten times as many tenths. The column keeps its
-- integer type; the range 0..=1000 is checked by the field's parser, like every other range.

UPDATE order_applications SET interview_score = interview_score * 10 WHERE interview_score IS NOT NULL;
