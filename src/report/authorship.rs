//! The dossier's "human authorship evidence" section, per shot: each kind
//! of evidence an asset carries, marked contemporaneous (a trusted
//! timestamp dates it) or self-asserted, with what it discloses and what
//! stays private. One rendering for the audit's HTML report and for the
//! rights sheet of a certificate (which carries the audit report).

use std::fmt::Write;

use serde_json::Value;

use super::escape::html as esc;
use crate::audit::{AuditReport, AuthorshipItem};

/// The shots of an audit report that carry evidence: (title, rows).
pub fn of_report(r: &AuditReport) -> Vec<(String, Vec<AuthorshipItem>)> {
    r.assets
        .iter()
        .filter(|a| !a.evidence.authorship.is_empty())
        .map(|a| {
            (
                shot_name(a.path.as_deref(), &a.title, a.level),
                a.evidence.authorship.clone(),
            )
        })
        .collect()
}

/// The same, from a certificate's embedded report (JSON).
pub fn of_value(report: &Value) -> Vec<(String, Vec<AuthorshipItem>)> {
    let Some(assets) = report["assets"].as_array() else {
        return Vec::new();
    };
    assets
        .iter()
        .filter_map(|a| {
            let rows: Vec<AuthorshipItem> =
                serde_json::from_value(a["evidence"]["authorship"].clone()).ok()?;
            let level = a["level"].as_u64().and_then(|l| u8::try_from(l).ok());
            let title = a["title"].as_str().unwrap_or("");
            (!rows.is_empty()).then(|| (shot_name(a["path"].as_str(), title, level), rows))
        })
        .collect()
}

fn shot_name(path: Option<&str>, title: &str, level: Option<u8>) -> String {
    let name = path.unwrap_or(title);
    match level {
        Some(l) => format!("{name} · human-control level {l}"),
        None => name.to_string(),
    }
}

/// The section, one table per shot.
pub fn html(s: &mut String, shots: &[(String, Vec<AuthorshipItem>)]) {
    if shots.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "<h2>Human authorship evidence</h2><p class=\"note\">Per shot, what the signed records and journals show of a person's creative control. <b>Contemporaneous</b>: a trusted RFC 3161 timestamp dates it. <b>Self-asserted</b>: only the signer's own clock or word. Prompts are disclosed as salted commitments only; their text stays private until a reveal file is shown.</p>"
    );
    for (name, rows) in shots {
        let _ = writeln!(
            s,
            "<h3>{}</h3><table class=\"authorship\"><tr><th>evidence</th><th>shows</th><th>dated</th><th>disclosed / private</th></tr>",
            esc(name)
        );
        for r in rows {
            let when = r
                .when
                .as_deref()
                .map(|w| format!("<br/><small>{}</small>", esc(w)))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td class=\"{}\">{}{when}</td><td>{}</td></tr>",
                esc(&r.what),
                esc(&r.shows),
                if r.dated == "contemporaneous" {
                    "contemporaneous"
                } else {
                    "asserted"
                },
                esc(&r.dated),
                esc(&r.disclosed)
            );
        }
        let _ = writeln!(s, "</table>");
    }
}

/// Styles for the section.
pub const CSS: &str = "table.authorship{width:100%}table.authorship th:nth-child(1){width:14%}table.authorship th:nth-child(2){width:30%}table.authorship th:nth-child(3){width:20%}table.authorship td.contemporaneous{color:#2e7d32;font-weight:600}table.authorship td.asserted{color:#ef6c00;font-weight:600}p.note{color:#444;font-size:0.92em}h3{font-size:1.02em;margin:1.2em 0 0.3em}";
