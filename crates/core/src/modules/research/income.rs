//! Technology-service income (技术服务到款额) per year, by school: the money received on
//! horizontal projects (contracted with enterprises), summed by the project's school and the year
//! of receipt. Vertical (government) funds are summed beside it, since the annual quality
//! report's 服务贡献表 asks for both. Pure: the store gathers the rows, this sums them.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What the sum needs of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectFacts {
    pub id: i64,
    pub school_id: i64,
    /// `true` for a horizontal project (`kind = horizontal`).
    pub horizontal: bool,
}

/// One year's money received on one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receipt {
    pub project_id: i64,
    pub year: i64,
    pub amount_fen: i64,
}

/// One school's figures for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncomeRow {
    pub school_id: i64,
    pub year: i64,
    /// Technology-service income: received on horizontal projects, in fen.
    pub horizontal_fen: i64,
    /// Received on vertical projects, in fen.
    pub vertical_fen: i64,
    /// Horizontal projects with money received that year.
    pub horizontal_projects: i64,
}

/// Sums the receipts by (school, year), ordered by school then year. A receipt of a project not
/// in `projects` (outside the reader's scope) is left out. Sums saturate rather than wrap.
pub fn income_by_school_and_year(
    projects: &[ProjectFacts],
    receipts: &[Receipt],
) -> Vec<IncomeRow> {
    let by_id: HashMap<i64, &ProjectFacts> = projects.iter().map(|p| (p.id, p)).collect();
    let mut sums: BTreeMap<(i64, i64), IncomeRow> = BTreeMap::new();
    let mut counted: std::collections::HashSet<(i64, i64)> = Default::default();
    for r in receipts {
        let Some(p) = by_id.get(&r.project_id) else {
            continue;
        };
        let row = sums.entry((p.school_id, r.year)).or_insert(IncomeRow {
            school_id: p.school_id,
            year: r.year,
            horizontal_fen: 0,
            vertical_fen: 0,
            horizontal_projects: 0,
        });
        if p.horizontal {
            row.horizontal_fen = row.horizontal_fen.saturating_add(r.amount_fen);
            if counted.insert((p.id, r.year)) {
                row.horizontal_projects += 1;
            }
        } else {
            row.vertical_fen = row.vertical_fen.saturating_add(r.amount_fen);
        }
    }
    sums.into_values().collect()
}

/// The college-wide total per year (every school's rows added), ordered by year.
pub fn totals_by_year(rows: &[IncomeRow]) -> Vec<(i64, i64, i64)> {
    let mut t: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for r in rows {
        let e = t.entry(r.year).or_default();
        e.0 = e.0.saturating_add(r.horizontal_fen);
        e.1 = e.1.saturating_add(r.vertical_fen);
    }
    t.into_iter().map(|(y, (h, v))| (y, h, v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: i64, school_id: i64, horizontal: bool) -> ProjectFacts {
        ProjectFacts {
            id,
            school_id,
            horizontal,
        }
    }
    fn r(project_id: i64, year: i64, amount_fen: i64) -> Receipt {
        Receipt {
            project_id,
            year,
            amount_fen,
        }
    }

    #[test]
    fn horizontal_receipts_are_summed_by_school_and_year() {
        // School 1: projects 1 (horizontal) and 2 (horizontal), 3 (vertical); school 2: project 4.
        let projects = [p(1, 1, true), p(2, 1, true), p(3, 1, false), p(4, 2, true)];
        let receipts = [
            r(1, 2024, 12_000_000), // 120,000.00 yuan
            r(2, 2024, 3_550_050),  //  35,500.50 yuan
            r(3, 2024, 50_000_000), // vertical: not technology-service income
            r(1, 2025, 8_000_000),
            r(4, 2025, 1_000_001),
            r(99, 2025, 7), // a project the reader does not reach
        ];
        let rows = income_by_school_and_year(&projects, &receipts);
        // By hand: school 1 in 2024: 12,000,000 + 3,550,050 = 15,550,050 fen from 2 projects,
        // and 50,000,000 vertical; school 1 in 2025: 8,000,000 from 1; school 2 in 2025:
        // 1,000,001 from 1.
        assert_eq!(
            rows,
            vec![
                IncomeRow {
                    school_id: 1,
                    year: 2024,
                    horizontal_fen: 15_550_050,
                    vertical_fen: 50_000_000,
                    horizontal_projects: 2
                },
                IncomeRow {
                    school_id: 1,
                    year: 2025,
                    horizontal_fen: 8_000_000,
                    vertical_fen: 0,
                    horizontal_projects: 1
                },
                IncomeRow {
                    school_id: 2,
                    year: 2025,
                    horizontal_fen: 1_000_001,
                    vertical_fen: 0,
                    horizontal_projects: 1
                },
            ]
        );
        // College totals: 2024: 15,550,050 horizontal and 50,000,000 vertical; 2025: 9,000,001.
        assert_eq!(
            totals_by_year(&rows),
            vec![(2024, 15_550_050, 50_000_000), (2025, 9_000_001, 0)]
        );
    }

    #[test]
    fn a_vertical_only_year_has_no_income_and_no_projects() {
        let rows = income_by_school_and_year(&[p(3, 7, false)], &[r(3, 2023, 100)]);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].horizontal_fen, 0);
        assert_eq!(rows[0].vertical_fen, 100);
        assert_eq!(rows[0].horizontal_projects, 0);
        assert!(income_by_school_and_year(&[], &[r(3, 2023, 100)]).is_empty());
    }
}
