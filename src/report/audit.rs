//! Text renderings of an [`AuditReport`]: the terminal summary and Markdown.
//! Every name, path and message from the audited files is escaped.

use std::fmt::Write;

use super::escape::term;
use crate::audit::{AuditReport, Severity};

/// The human summary printed on a terminal.
pub fn human(r: &AuditReport) -> String {
    let mut s = String::new();
    let verdict = if r.accepted { "ACCEPTED" } else { "REJECTED" };
    let _ = writeln!(
        s,
        "{verdict}  {} audited, {} skipped under {}",
        r.summary.files,
        r.skipped.len(),
        term(&r.roots.join(", "))
    );
    let m = &r.summary;
    let _ = writeln!(
        s,
        "  coverage  {} trusted, {} untrusted, {} invalid, {} unsigned, {} other; {} AI-generated, {} human-made, {} unknown origin",
        m.trusted, m.valid_untrusted, m.invalid, m.unsigned, m.other, m.ai_generated, m.human_made, m.unknown_origin
    );
    let _ = writeln!(
        s,
        "  autonomy  {:.1}% of AI-generated assets, {:.1}% of AI-generated footage seconds show no human control",
        r.autonomous_share * 100.0,
        r.autonomous_seconds_share * 100.0
    );
    for l in &r.levels {
        let _ = writeln!(
            s,
            "  level {}   {:>3} assets ({:>5.1}%), {:>8.2} s ({:>5.1}%)  {}",
            l.level,
            l.assets,
            l.asset_share * 100.0,
            l.seconds,
            l.seconds_share * 100.0,
            l.meaning
        );
    }
    human_training(&mut s, r);
    human_privacy(&mut s, r);
    if let Some(t) = &r.timeline {
        super::cut::human(&mut s, t);
    }
    human_revoked(&mut s, r);
    human_contributions(&mut s, r);
    human_findings(&mut s, r);
    s
}

fn md_revoked(s: &mut String, r: &AuditReport) {
    if r.revoked.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "\n## Revoked signers\n\n| signer | reason | revoked | signed before (stand) | not shown before (invalid) |\n|---|---|---|---|---|"
    );
    for rv in &r.revoked {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            md(&rv.signer),
            rv.reason.as_str(),
            md(&rv.revoked_at),
            md(&rv.signed_before.join(", ")),
            md(&rv.not_before.join(", "))
        );
    }
}

/// Each revoked signer, and the files on each side of the revocation.
fn human_revoked(s: &mut String, r: &AuditReport) {
    for rv in &r.revoked {
        let _ = writeln!(
            s,
            "  revoked   {} ({}) on {}: {} file(s) signed before (stand), {} not shown before (invalid)",
            term(&rv.signer),
            rv.reason.as_str(),
            term(&rv.revoked_at),
            rv.signed_before.len(),
            rv.not_before.len()
        );
        for p in &rv.not_before {
            let _ = writeln!(s, "            not before  {}", term(p));
        }
    }
}

/// Signed files that do not say whether they may train models, by name.
fn human_training(s: &mut String, r: &AuditReport) {
    let undeclared: Vec<&str> = r
        .assets
        .iter()
        .filter(|a| a.training_mining_undeclared())
        .map(|a| a.path.as_deref().unwrap_or(&a.title))
        .collect();
    if undeclared.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "  training  {} signed file(s) without a training-and-mining declaration: {}",
        r.summary.training_mining_undeclared,
        term(&undeclared.join(", "))
    );
}

/// Signed files whose generator's plaintext prompt is still in them.
fn human_privacy(s: &mut String, r: &AuditReport) {
    let public: Vec<&str> = r
        .assets
        .iter()
        .filter(|a| a.generator_metadata)
        .map(|a| a.path.as_deref().unwrap_or(&a.title))
        .collect();
    if !public.is_empty() {
        let _ = writeln!(
            s,
            "  privacy   {} signed file(s) still carry the generator's plaintext metadata (prompt): {}",
            r.summary.generator_metadata,
            term(&public.join(", "))
        );
    }
}

fn human_contributions(s: &mut String, r: &AuditReport) {
    if r.shares.is_empty() {
        return;
    }
    let _ = writeln!(s, "contributions");
    for c in &r.contributions {
        let _ = writeln!(
            s,
            "  {:<28} {:<14} {:>3} assets {:>8.2} s",
            term(&format!("{} <{}>", c.name, c.operator)),
            c.role,
            c.assets,
            c.seconds
        );
    }
    for sh in &r.shares {
        let _ = writeln!(
            s,
            "  share {:>6.2}%  {}: {}",
            sh.percent,
            term(&sh.name),
            term(&sh.computation)
        );
    }
}

fn human_findings(s: &mut String, r: &AuditReport) {
    if !r.findings.is_empty() {
        let _ = writeln!(s, "findings");
        for f in &r.findings {
            let _ = writeln!(
                s,
                "  {:<7} {:<20} {}: {}",
                severity(f.severity),
                f.code,
                term(&f.asset),
                term(&f.message)
            );
        }
    }
    for reason in &r.reasons {
        let _ = writeln!(s, "  reject  {}", term(reason));
    }
    for skipped in &r.skipped {
        let _ = writeln!(s, "  skipped {}", term(skipped));
    }
}

pub(super) fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// A Markdown report for a rights-clearance file.
pub fn markdown(r: &AuditReport) -> String {
    let mut s = String::new();
    let verdict = if r.accepted { "accepted" } else { "rejected" };
    let _ = writeln!(s, "# Asset-chain audit: {verdict}\n");
    let _ = writeln!(
        s,
        "Roots: {}. Trust bundle: {}.\n",
        md(&r.roots.join(", ")),
        md(r.trust_bundle.as_deref().unwrap_or("none"))
    );
    let m = &r.summary;
    let _ = writeln!(s, "## Coverage\n\n| files | trusted | untrusted | invalid | unsigned | other | AI-generated | human-made | unknown origin |\n|---|---|---|---|---|---|---|---|---|");
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        m.files,
        m.trusted,
        m.valid_untrusted,
        m.invalid,
        m.unsigned,
        m.other,
        m.ai_generated,
        m.human_made,
        m.unknown_origin
    );
    md_levels(&mut s, r);
    if let Some(t) = &r.timeline {
        super::cut::markdown(&mut s, t, md);
    }
    md_assets(&mut s, r);
    md_contributions(&mut s, r);
    md_findings(&mut s, r);
    s
}

fn md_levels(s: &mut String, r: &AuditReport) {
    let _ = writeln!(s, "## Human control (evidence, not a legal verdict)\n\n{:.1}% of AI-generated assets show no human control.\n", r.autonomous_share * 100.0);
    let _ = writeln!(s, "| level | meaning | assets | share | seconds | share of seconds |\n|---|---|---|---|---|---|");
    for l in &r.levels {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {:.1}% | {:.2} | {:.1}% |",
            l.level,
            l.meaning,
            l.assets,
            l.asset_share * 100.0,
            l.seconds,
            l.seconds_share * 100.0
        );
    }
}

fn md_assets(s: &mut String, r: &AuditReport) {
    let _ = writeln!(s, "\n## Assets\n\n| asset | verdict | tool | licence | operator | role | level | evidence |\n|---|---|---|---|---|---|---|---|");
    for a in &r.assets {
        let ev = &a.evidence;
        let mut evidence = Vec::new();
        if ev.prompt_commitment {
            evidence.push("prompt".to_string());
        }
        evidence.extend(ev.controls.iter().cloned());
        evidence.extend(ev.selection.iter().map(|x| format!("chose {x}")));
        if ev.selection.is_none() {
            evidence.extend(ev.journal.iter().map(|x| format!("not credited: {x}")));
        }
        evidence.extend(ev.human_steps.iter().cloned());
        evidence.extend(ev.inherited_from.iter().map(|x| format!("carries {x}")));
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            md(a.path.as_deref().unwrap_or(&a.id)),
            a.state.as_str(),
            md(a.tool.as_deref().unwrap_or("")),
            md(a.license.as_deref().unwrap_or("")),
            md(a.operator.as_deref().unwrap_or("")),
            a.role.map(|r| r.to_string()).unwrap_or_default(),
            a.level.map(|l| l.to_string()).unwrap_or_else(|| "–".into()),
            md(&evidence.join(", "))
        );
    }
}

fn md_contributions(s: &mut String, r: &AuditReport) {
    md_revoked(s, r);
    let _ = writeln!(
        s,
        "\n## Contributions\n\n| operator | role | assets | seconds |\n|---|---|---|---|"
    );
    for c in &r.contributions {
        let _ = writeln!(
            s,
            "| {} <{}> | {} | {} | {:.2} |",
            md(&c.name),
            md(&c.operator),
            c.role,
            c.assets,
            c.seconds
        );
    }
    let _ = writeln!(s, "\n| operator | share | computation |\n|---|---|---|");
    for sh in &r.shares {
        let _ = writeln!(
            s,
            "| {} | {:.2}% | {} |",
            md(&sh.name),
            sh.percent,
            md(&sh.computation)
        );
    }
}

fn md_findings(s: &mut String, r: &AuditReport) {
    let _ = writeln!(
        s,
        "\n## Findings\n\n| severity | code | asset | detail |\n|---|---|---|---|"
    );
    for f in &r.findings {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            severity(f.severity),
            md(&f.code),
            md(&f.asset),
            md(&f.message)
        );
    }
    if !r.reasons.is_empty() {
        let _ = writeln!(s, "\n## Why the policy rejects it\n");
        for reason in &r.reasons {
            let _ = writeln!(s, "- {}", md(reason));
        }
    }
}

/// Text for a Markdown table cell: escaped for a terminal (a Markdown file
/// is often read with `cat`), pipes escaped so a cell stays a cell.
fn md(text: &str) -> String {
    term(text).replace('|', "\\|")
}
