//! Renderings of a verified rights certificate: lines for the terminal and
//! the one-page HTML rights sheet (verdicts, the film's runtime composition
//! as a bar, screen time per person, the findings with their timecodes).
//! Self-contained: inline CSS, no script, no external reference.

use std::fmt::Write;

use serde_json::Value;

use super::escape::{html as esc, term};
use crate::audit::cut_model::{KindSummary, ShotBreach};
use crate::certify::{CertState, CertificateVerdict};

/// `verify --json` of rights certificates.
#[derive(serde::Serialize)]
pub struct RightsReport<'a> {
    pub certificates: &'a [CertificateVerdict],
}

fn state(s: CertState) -> &'static str {
    match s {
        CertState::Trusted => "trusted",
        CertState::Untrusted => "untrusted",
        CertState::Invalid => "invalid",
    }
}

/// One block per certificate.
pub fn human(verdicts: &[CertificateVerdict]) -> String {
    let mut s = String::new();
    for v in verdicts {
        // The first word is what a script may act on: a genuine
        // certificate of a rejected film says REJECTED, never TRUSTED.
        let first = match v.film_accepted() {
            Some(false) => "REJECTED".to_string(),
            _ => state(v.state).to_uppercase(),
        };
        let _ = writeln!(s, "{first}  {}", term(&v.path));
        if let Some(t) = &v.timestamp {
            let _ = writeln!(
                s,
                "  signed at  {} by {} ({})",
                term(&t.time),
                term(&t.tsa),
                if t.trusted {
                    "trusted timestamp"
                } else {
                    "timestamp not trusted"
                }
            );
        }
        if let Some(c) = &v.certifier {
            let _ = writeln!(
                s,
                "  certifier  {} <{}>, {} (issued by {})",
                term(c.common_name.as_deref().unwrap_or("?")),
                term(c.emails.first().map(String::as_str).unwrap_or("")),
                term(c.org.as_deref().unwrap_or("")),
                term(&c.issuer)
            );
        }
        if let Some(st) = &v.statement {
            let p = &st.predicate;
            let _ = writeln!(
                s,
                "  certifies  the film {} on {} with credits {}; {} subject(s)",
                p.verdict.to_uppercase(),
                term(&p.certified_at),
                term(&p.credits_version),
                st.subject.len()
            );
            for r in &p.reasons {
                let _ = writeln!(s, "  reason     {}", term(r));
            }
        }
        if let Some(c) = &v.check {
            check_lines(&mut s, c);
        }
        for r in &v.reasons {
            let _ = writeln!(s, "  why        {}", term(r));
        }
    }
    s
}

/// What `--check DIR` found, a line each.
fn check_lines(s: &mut String, c: &crate::certify::SubjectCheck) {
    let _ = writeln!(
        s,
        "  check      {} of {} subject(s) intact under {}",
        c.matched,
        c.matched + c.changed.len() + c.missing.len() + c.outside.len(),
        term(&c.dir)
    );
    for f in &c.uncovered {
        let _ = writeln!(s, "  uncovered  {}", term(f));
    }
    for f in &c.outside {
        let _ = writeln!(s, "  outside    {}", term(f));
    }
    for f in &c.changed {
        let _ = writeln!(s, "  changed    {}", term(f));
    }
    for f in &c.missing {
        let _ = writeln!(s, "  missing    {}", term(f));
    }
}

/// The one-page rights sheet of a verified certificate.
pub fn sheet(v: &CertificateVerdict) -> String {
    let mut s = String::new();
    let st = v.statement.as_ref();
    let film = st
        .map(|x| x.predicate.verdict.as_str())
        .unwrap_or("unverified");
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>Rights sheet: {}</title>\n<style>{}{}{}{SHEET_CSS}</style></head><body>\n",
        esc(film),
        super::html::CSS,
        super::cut::CSS,
        super::authorship::CSS
    );
    let _ = writeln!(
        s,
        "<h1>Rights sheet: <span class=\"{}\">{}</span></h1>",
        if film == "accepted" {
            "accepted"
        } else {
            "rejected"
        },
        esc(film)
    );
    let _ = writeln!(
        s,
        "<p class=\"cert {}\">Certificate {}: <b>{}</b>{}</p>",
        state(v.state),
        esc(&v.path),
        state(v.state),
        v.reasons
            .iter()
            .map(|r| format!(" — {}", esc(r)))
            .collect::<String>()
    );
    if let (Some(st), Some(c)) = (st, &v.certifier) {
        let p = &st.predicate;
        let _ = writeln!(
            s,
            "<p>Certified by {} &lt;{}&gt; of {} on {} with credits {}. {} file(s) bound by SHA-256.</p>",
            esc(c.common_name.as_deref().unwrap_or("?")),
            esc(c.emails.first().map(String::as_str).unwrap_or("")),
            esc(c.org.as_deref().unwrap_or("?")),
            esc(&p.certified_at),
            esc(&p.credits_version),
            st.subject.len()
        );
        film_section(&mut s, &p.report, &p.reasons);
        super::authorship::html(&mut s, &super::authorship::of_value(&p.report));
    }
    let _ = writeln!(
        s,
        "<p class=\"foot\">credits {} · in-toto Statement v1 in a DSSE envelope</p></body></html>",
        env!("CARGO_PKG_VERSION")
    );
    s
}

fn film_section(s: &mut String, report: &Value, reasons: &[String]) {
    let timeline = &report["timeline"];
    let kind = |k: &str| serde_json::from_value::<KindSummary>(timeline[k].clone()).ok();
    if !timeline.is_null() {
        let _ = writeln!(
            s,
            "<h2>{}</h2><p>Timeline <code>{}</code>: {}.</p>",
            esc(timeline["name"].as_str().unwrap_or("The cut")),
            esc(timeline["timeline"].as_str().unwrap_or("")),
            esc(&signed(&timeline["signed"]))
        );
    }
    for (label, k) in [("Video", kind("video")), ("Audio", kind("audio"))] {
        if let Some(k) = k.filter(|k| k.runtime_seconds > 0.0) {
            super::cut::html_kind(s, label, &k);
        }
    }
    let breaches: Vec<ShotBreach> =
        serde_json::from_value(timeline["breaches"].clone()).unwrap_or_default();
    if !breaches.is_empty() {
        let _ = writeln!(
            s,
            "<h2>Findings in the cut</h2><table><tr><th>in</th><th>out</th><th>finding</th></tr>"
        );
        for b in &breaches {
            let _ = writeln!(s, "<tr class=\"error\"><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>", esc(&b.record_in), esc(&b.record_out), esc(&b.line));
        }
        let _ = writeln!(s, "</table>");
    }
    let other: Vec<&String> = reasons
        .iter()
        .filter(|r| !breaches.iter().any(|b| &b.line == *r))
        .collect();
    if !other.is_empty() {
        let _ = writeln!(s, "<h2>Other reasons</h2><ul>");
        for r in other {
            let _ = writeln!(s, "<li>{}</li>", esc(r));
        }
        let _ = writeln!(s, "</ul>");
    }
}

/// Who signed the timeline, from the report's `signed` object.
fn signed(v: &Value) -> String {
    match (v["verdict"].as_str(), v["operator"].as_str()) {
        (Some("unsigned") | None, _) => "not signed".into(),
        (Some(verdict), Some(op)) => format!(
            "signed by {op} ({}), {verdict}",
            v["role"].as_str().unwrap_or("no role")
        ),
        (Some(verdict), None) => format!("signed, {verdict}"),
    }
}

const SHEET_CSS: &str = "body{max-width:980px}p.cert.trusted b{color:#2e7d32}p.cert.untrusted b{color:#ef6c00}p.cert.invalid b{color:#b71c1c}";
