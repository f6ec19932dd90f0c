-- SkillBridge 0005: the college's own header spellings for spreadsheet imports.
-- SQLite dialect. The other folder's file of the same number creates the same table.
-- The record type is declared in crates/core/src/modules/reference/records.rs (HEADER_ALIASES);
-- its rule (the record type and the field exist, the spelling is no other column's) is in
-- crates/core/src/modules/reference/mod.rs. The spellings shipped with the code are on the fields.

-- One accepted spelling of one column: importing students, a column headed 'alias' is 'field'.
CREATE TABLE header_aliases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- the record type's name, as in the URL: 'students'
    resource TEXT NOT NULL,
    -- the field (or import-only column) it names: 'id_number', 'birth_date'
    field TEXT NOT NULL,
    -- the header as the college's forms write it: '身份证件号'
    alias TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (resource, alias)
);
