//! The summary table, and the self-contained HTML report.

use std::fmt::Write as _;

use super::CheckReport;

/// The table printed at the end of a run.
pub(crate) fn summary(outcome: &CheckReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "connector check: {} {} — {} listings, {} items, {:.2} s",
        outcome.app_id,
        outcome.version,
        outcome.listings.len(),
        outcome.listings.iter().map(|l| l.items).sum::<usize>(),
        outcome.elapsed_seconds
    );
    let _ = writeln!(
        out,
        "{:<32} {:<6} {:>9} {:>9}",
        "check", "result", "checked", "failed"
    );
    for check in &outcome.checks {
        let result = if check.passed() { "pass" } else { "FAIL" };
        let _ = writeln!(
            out,
            "{:<32} {:<6} {:>9} {:>9}",
            check.name, result, check.checked, check.failed
        );
        for failure in &check.first_failures {
            let _ = writeln!(out, "    - {failure}");
        }
    }
    let _ = writeln!(
        out,
        "{:<32} {:>6} {:>9} {:>12}",
        "listing", "pages", "items", "ms/page"
    );
    for listing in &outcome.listings {
        let total: f64 = listing.pages.iter().map(|p| p.millis).sum();
        let per_page = total / listing.pages.len().max(1) as f64;
        let _ = writeln!(
            out,
            "{:<32} {:>6} {:>9} {:>12.1}",
            listing.capability,
            listing.pages.len(),
            listing.items,
            per_page
        );
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One HTML page, no external URL: the checks, then a chart of page times per listing.
pub(crate) fn html(outcome: &CheckReport) -> String {
    let mut rows = String::new();
    for check in &outcome.checks {
        let (class, result) = if check.passed() {
            ("pass", "pass")
        } else {
            ("fail", "FAIL")
        };
        let failures: String = check
            .first_failures
            .iter()
            .map(|f| format!("<li>{}</li>", escape(f)))
            .collect();
        let _ = write!(
            rows,
            "<tr class=\"{class}\"><td>{}</td><td>{}</td><td>{result}</td><td>{}</td><td>{}</td><td><ul>{failures}</ul></td></tr>",
            escape(check.name),
            escape(check.description),
            check.checked,
            check.failed
        );
    }
    let mut charts = String::new();
    for listing in &outcome.listings {
        let max = listing
            .pages
            .iter()
            .map(|p| p.millis)
            .fold(1.0_f64, f64::max);
        let width = 600.0;
        let height = 120.0;
        let step = width / listing.pages.len().max(2).saturating_sub(1) as f64;
        let points: Vec<String> = listing
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| {
                format!(
                    "{:.1},{:.1}",
                    i as f64 * step,
                    (p.millis / max).mul_add(-height, height)
                )
            })
            .collect();
        let _ = write!(
            charts,
            "<h3>{} — {} pages, {} items (slowest page {:.1} ms)</h3>\
             <svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">\
             <polyline fill=\"none\" stroke=\"#2a6\" stroke-width=\"2\" points=\"{}\"/></svg>",
            escape(&listing.capability),
            listing.pages.len(),
            listing.items,
            max,
            points.join(" ")
        );
    }
    let verdict = if outcome.passed() {
        "every check passed"
    } else {
        "some checks failed"
    };
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>connector check: {app}</title>\
         <style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top}}\
         tr.fail td{{background:#fdd}}tr.pass td:nth-child(3){{color:#2a6}}</style></head><body>\
         <h1>connector check: {app} {version}</h1><p>{verdict} — {seconds:.2} s</p>\
         <table><tr><th>check</th><th>what</th><th>result</th><th>checked</th><th>failed</th>\
         <th>first failures</th></tr>{rows}</table><h2>Page times</h2>{charts}</body></html>\n",
        app = escape(&outcome.app_id),
        version = escape(&outcome.version),
        seconds = outcome.elapsed_seconds,
    )
}
