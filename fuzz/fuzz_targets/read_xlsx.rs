//! The spreadsheet reader on any bytes, as an import receives them: `skillbridge_io::read_with`,
//! which runs the size limit, the magic-byte sniffing and the zip-bomb checks before calamine
//! sees the file. Seeded with .xlsx files (every record type's template, the roster fixtures).
//! The input is `NAME\n` and the file (see `skillbridge_fuzz::split_input`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use skillbridge_io::{read_with, Limits};

fuzz_target!(|data: &[u8]| {
    skillbridge_fuzz::abort_on_panics_outside_calamine();
    let (def, bytes) = skillbridge_fuzz::split_input(data);
    let college = [
        ("name".to_string(), "学生名字".to_string()),
        ("student_no".to_string(), "编号".to_string()),
    ];
    let result = read_with(def, bytes, &Limits::default(), &college, &mut |_| {});
    skillbridge_fuzz::check_read(def, &result);
});
