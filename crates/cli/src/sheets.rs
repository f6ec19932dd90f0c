//! `skillbridge import`, `skillbridge export` and `skillbridge template`: the same functions as the upload and download
//! endpoints (the spreadsheet crate to read and write, the store to match and commit), with
//! progress on standard error.

use crate::config::Config;
use skillbridge_core::access::Actor;
use skillbridge_core::import::{importable as can_import, importable_names};
use skillbridge_core::schema::{self, ResourceDef};
use skillbridge_io::{Format, Lang, Limits};
use skillbridge_store::ListQuery;

type Result<T> = std::result::Result<T, String>;

fn importable(resource: &str) -> Result<&'static ResourceDef> {
    schema::resource(resource)
        .filter(|d| can_import(d))
        .ok_or_else(|| {
            format!(
                "{resource} cannot be imported or exported; choose one of: {}",
                importable_names().join(", ")
            )
        })
}

/// Reads a file, checks every row and, when all are valid, commits them in one transaction.
/// Returns the report; prints it.
pub async fn import(cfg: &Config, resource: &str, path: &str, dry_run: bool) -> Result<()> {
    let def = importable(resource)?;
    let limits = Limits::default();
    let len = std::fs::metadata(path)
        .map_err(|e| format!("{path}: {e}"))?
        .len();
    if len > limits.max_file_bytes {
        return Err(format!(
            "{path} is {len} bytes; the limit is {}",
            limits.max_file_bytes
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    eprintln!("reading {path}");
    let store = cfg.open_store().await?;
    let report = skillbridge_web::sheets::import_bytes(
        &store,
        &Actor::system(),
        def,
        bytes,
        "cli",
        dry_run,
        std::sync::Arc::new(|phase, n| eprintln!("{phase} {n}")),
    )
    .await
    .map_err(|e| format!("{path}: {e}"))?;
    for w in &report.warnings {
        println!("warning\t{}\t{}", w.column, w.reason);
    }
    // A problem repeated on several rows is printed once, with the rows it covers.
    let grouped: std::collections::HashSet<(&str, &str, &str, &str)> = report
        .groups
        .iter()
        .map(|g| {
            (
                g.field.as_str(),
                g.code.as_str(),
                g.value.as_str(),
                g.reason.as_str(),
            )
        })
        .collect();
    for g in &report.groups {
        println!(
            "rows {} ({})\t{}\t{}\t{}",
            g.rows, g.count, g.column, g.value, g.reason
        );
    }
    for i in &report.issues {
        let k = (
            i.field.as_str(),
            i.code.as_str(),
            i.value.as_str(),
            i.reason.as_str(),
        );
        if !grouped.contains(&k) {
            println!("row {}\t{}\t{}\t{}", i.row, i.column, i.value, i.reason);
        }
    }
    if report.has_issues() {
        if report.issues_truncated {
            println!(
                "only the first {} of {} problems are listed above",
                report.issues.len(),
                report.issues_total
            );
        }
        let by_code: Vec<String> = report
            .issue_counts
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect();
        println!("problems by code: {}", by_code.join(", "));
        return Err(format!(
            "{} problems in {} rows: nothing was imported",
            report.issues_total, report.rows
        ));
    }
    if report.already_imported {
        println!("already imported: all {} rows are unchanged", report.rows);
    } else if dry_run {
        println!(
            "dry run: would create {}, update {}, leave {} unchanged",
            report.created, report.updated, report.unchanged
        );
    } else {
        println!(
            "imported: created {}, updated {}, unchanged {}",
            report.created, report.updated, report.unchanged
        );
    }
    Ok(())
}

/// Prints the columns of a record type's files, each with every header spelling accepted: the
/// built-in ones and the college's own (`header_aliases`).
pub async fn columns(cfg: &Config, resource: &str) -> Result<()> {
    let def = importable(resource)?;
    let store = cfg.open_store().await?;
    let college = store
        .header_aliases(def.name)
        .await
        .map_err(|e| e.to_string())?;
    for (f, spellings) in skillbridge_io::accepted_spellings(def, &college) {
        let need = if f.required { " (required)" } else { "" };
        println!("{}{need}\t{}", f.name, spellings.join(", "));
    }
    Ok(())
}

/// Writes the template of a record type to a file (.xlsx or .csv, by its extension): the header
/// row, and in an .xlsx the example row, the header notes and the drop-down lists, the
/// references' lists from the database (as `GET /api/{R}/template` gives them to an office
/// that reaches every record).
pub async fn template(cfg: &Config, resource: &str, path: &str, lang: &str) -> Result<()> {
    let def = importable(resource)?;
    let format = if path.to_ascii_lowercase().ends_with(".csv") {
        Format::Csv
    } else {
        Format::Xlsx
    };
    let lang = match lang {
        "en" => Lang::En,
        "zh" => Lang::Zh,
        other => return Err(format!("--lang must be zh or en, not {other}")),
    };
    let store = cfg.open_store().await?;
    let lists = skillbridge_web::sheets::template_lists(&store, &Actor::system(), def)
        .await
        .map_err(|e| e.to_string())?;
    let bytes = skillbridge_io::template_with(def, format, lang, &lists);
    std::fs::write(path, bytes).map_err(|e| format!("{path}: {e}"))?;
    println!("{path}: the {} template", def.en);
    Ok(())
}

/// Writes every record of a type to a file. With `full_reason`, personal fields are written in
/// full (an audited reveal); otherwise masked.
pub async fn export(
    cfg: &Config,
    resource: &str,
    path: &str,
    lang: &str,
    full_reason: Option<&str>,
) -> Result<()> {
    let def = importable(resource)?;
    let format = if path.to_ascii_lowercase().ends_with(".csv") {
        Format::Csv
    } else {
        Format::Xlsx
    };
    let lang = if lang == "en" { Lang::En } else { Lang::Zh };
    let store = cfg.open_store().await?;
    let q = ListQuery::default();
    let rows = match full_reason {
        Some(reason) => {
            store
                .export_full(&Actor::system(), def, &q, reason, "cli")
                .await
        }
        None => store.export(&Actor::system(), def, &q, "cli").await,
    }
    .map_err(|e| e.to_string())?;
    eprintln!("writing {} rows", rows.len());
    let bytes = skillbridge_io::write(def, &rows, format, lang).map_err(|e| e.to_string())?;
    std::fs::write(path, bytes).map_err(|e| format!("{path}: {e}"))?;
    println!("wrote {} rows to {path}", rows.len());
    Ok(())
}
