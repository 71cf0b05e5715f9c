//! Tests of the CSV import's cell readers (csv/import.rs).

use super::import::{undefuse, yes_no_cell};

#[test]
fn a_defused_cell_reads_back_as_written() {
    assert_eq!(undefuse("'+44 7700 900123"), "+44 7700 900123");
    assert_eq!(undefuse("'=SUM(A1)"), "=SUM(A1)");
    assert_eq!(undefuse("O'Brien"), "O'Brien");
    assert_eq!(undefuse("'quoted'"), "'quoted'");
}

#[test]
fn yes_and_no_are_read_loosely_and_anything_else_refused() {
    assert_eq!(yes_no_cell("Yes"), Ok(Some(true)));
    assert_eq!(yes_no_cell(" n "), Ok(Some(false)));
    assert_eq!(yes_no_cell(""), Ok(None));
    assert!(yes_no_cell("maybe").is_err());
}
