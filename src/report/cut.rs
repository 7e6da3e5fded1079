//! Renderings of a cut's audit ([`CutReport`]): lines for the terminal,
//! Markdown tables, and the HTML section the audit report and the rights
//! sheet share (the runtime's composition as a bar, screen time per
//! person, the breaches with their timecodes). Untrusted text is escaped.

use std::fmt::Write;

use super::escape::html as esc;
use super::escape::term;
use crate::audit::cut_model::KindSummary;
use crate::audit::CutReport;

/// The verdicts in the order they are shown, with their bar colours.
const VERDICTS: [(&str, &str); 6] = [
    ("trusted", "#2e7d32"),
    ("untrusted", "#f9a825"),
    ("invalid", "#c62828"),
    ("unsigned", "#757575"),
    ("unreadable", "#6a1b9a"),
    ("missing", "#000000"),
];

/// Who signed the timeline, in words.
fn signed_line(t: &CutReport) -> String {
    let s = &t.signed;
    match (s.verdict, &s.operator) {
        ("unsigned", _) => "not signed (`credits stamp CUT --role editing` signs it)".into(),
        (v, Some(op)) => format!(
            "signed by {op} ({}), {v}",
            s.role.map(|r| r.to_string()).unwrap_or_default()
        ),
        (v, None) => format!(
            "signed by {}, {v}",
            s.signer.as_deref().unwrap_or("an unnamed signer")
        ),
    }
}

/// Seconds per key, verdicts in their fixed order first.
fn secs(map: &std::collections::BTreeMap<String, f64>) -> String {
    let rank = |k: &str| {
        VERDICTS
            .iter()
            .position(|(v, _)| *v == k)
            .unwrap_or(VERDICTS.len())
    };
    let mut rows: Vec<(&String, &f64)> = map.iter().collect();
    rows.sort_by_key(|(k, _)| rank(k));
    rows.into_iter()
        .map(|(k, v)| format!("{k} {v:.3} s"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The cut's lines in the terminal summary.
pub fn human(s: &mut String, t: &CutReport) {
    let _ = writeln!(
        s,
        "timeline  {} ({}, {} fps) {}: {}",
        term(&t.name),
        t.format.as_str(),
        t.rate,
        term(&t.timeline),
        term(&signed_line(t))
    );
    for (kind, k) in [("video", &t.video), ("audio", &t.audio)] {
        if k.runtime_seconds == 0.0 {
            continue;
        }
        let _ = writeln!(
            s,
            "  {kind}  {:.3} s on screen: {}; AI-autonomous {:.3} s ({:.1}%)",
            k.runtime_seconds,
            secs(&k.by_verdict),
            k.autonomous_seconds,
            k.autonomous_share * 100.0
        );
        human_rows(s, k);
    }
    for b in &t.breaches {
        let _ = writeln!(s, "  breach  {}", term(&b.line));
    }
    for u in &t.unused {
        let _ = writeln!(
            s,
            "  unused  {} (not in the cut: no share of its runtime)",
            term(u)
        );
    }
    for n in &t.notes {
        let _ = writeln!(s, "  note    {}", term(n));
    }
}

/// One kind's rows: control, tools, assets, people.
fn human_rows(s: &mut String, k: &KindSummary) {
    let _ = writeln!(s, "    control  {}", secs(&k.by_control));
    for tool in &k.by_tool {
        let _ = writeln!(
            s,
            "    tool     {} ({}) {:.3} s",
            term(&tool.tool),
            term(&tool.license),
            tool.seconds
        );
    }
    for a in &k.by_asset {
        let _ = writeln!(
            s,
            "    asset    {} {:.3} s in {} shot(s): {}",
            term(&a.asset),
            a.seconds,
            a.shots,
            term(&a.uses.join(", "))
        );
    }
    for p in &k.by_person {
        let _ = writeln!(
            s,
            "    person   {} {:<14} {:>8.3} s × {} = {:.3}",
            term(&format!("{} <{}>", p.name, p.operator)),
            p.role,
            p.seconds,
            p.weight,
            p.weighted_seconds
        );
    }
}

/// The cut as Markdown.
pub fn markdown(s: &mut String, t: &CutReport, md: fn(&str) -> String) {
    let _ = writeln!(
        s,
        "## The cut: {}\n\nTimeline {} ({}, {} fps): {}.\n",
        md(&t.name),
        md(&t.timeline),
        t.format.as_str(),
        t.rate,
        md(&signed_line(t))
    );
    for (kind, k) in [("Video", &t.video), ("Audio", &t.audio)] {
        let _ = writeln!(
            s,
            "### {kind}: {:.3} s on screen\n\nBy verdict: {}. By human control: {}. AI-autonomous: {:.3} s ({:.1}%).\n",
            k.runtime_seconds,
            md(&secs(&k.by_verdict)),
            md(&secs(&k.by_control)),
            k.autonomous_seconds,
            k.autonomous_share * 100.0
        );
        let _ = writeln!(
            s,
            "| person | role | seconds | weight | weighted |\n|---|---|---|---|---|"
        );
        for p in &k.by_person {
            let _ = writeln!(
                s,
                "| {} <{}> | {} | {:.3} | {} | {:.3} |",
                md(&p.name),
                md(&p.operator),
                p.role,
                p.seconds,
                p.weight,
                p.weighted_seconds
            );
        }
        let _ = writeln!(s);
    }
    if !t.breaches.is_empty() {
        let _ = writeln!(s, "### Shots that break the policy\n");
        for b in &t.breaches {
            let _ = writeln!(s, "- {}", md(&b.line));
        }
        let _ = writeln!(s);
    }
}

/// The cut as an HTML section: a bar per kind, people, breaches.
pub fn html(s: &mut String, t: &CutReport) {
    let _ = writeln!(
        s,
        "<h2>The cut: {}</h2><p>Timeline <code>{}</code> ({}, {} fps): {}.</p>",
        esc(&t.name),
        esc(&t.timeline),
        t.format.as_str(),
        t.rate,
        esc(&signed_line(t))
    );
    for (kind, k) in [("Video", &t.video), ("Audio", &t.audio)] {
        if k.runtime_seconds > 0.0 {
            html_kind(s, kind, k);
        }
    }
    let _ = writeln!(s, "<h3>Shots that break the policy</h3>");
    if t.breaches.is_empty() {
        let _ = writeln!(s, "<p>None.</p>");
    } else {
        let _ = writeln!(s, "<table><tr><th>record in</th><th>record out</th><th>asset</th><th>code</th><th>detail</th></tr>");
        for b in &t.breaches {
            let _ = writeln!(
                s,
                "<tr class=\"error\"><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&b.record_in),
                esc(&b.record_out),
                esc(b.asset.rsplit(['/', '\\']).next().unwrap_or(&b.asset)),
                esc(&b.code),
                esc(&b.line)
            );
        }
        let _ = writeln!(s, "</table>");
    }
    if !t.unused.is_empty() {
        let _ = writeln!(
            s,
            "<p>Not in the cut (no share of its runtime): {}.</p>",
            esc(&t.unused.join(", "))
        );
    }
}

pub(super) fn html_kind(s: &mut String, kind: &str, k: &KindSummary) {
    let _ = writeln!(
        s,
        "<h3>{kind}: {:.3} s on screen</h3><div class=\"bar\" role=\"img\" aria-label=\"{kind} runtime by verdict\">",
        k.runtime_seconds
    );
    let mut legend = String::new();
    for (verdict, colour) in VERDICTS {
        let Some(seconds) = k.by_verdict.get(verdict).filter(|x| **x > 0.0) else {
            continue;
        };
        let pct = seconds / k.runtime_seconds * 100.0;
        let _ = write!(
            s,
            "<span style=\"width:{pct:.3}%;background:{colour}\" title=\"{verdict} {seconds:.3} s\"></span>"
        );
        let _ = write!(
            legend,
            "<span class=\"key\"><i style=\"background:{colour}\"></i>{verdict} {seconds:.3} s ({pct:.1}%)</span> "
        );
    }
    let _ = writeln!(
        s,
        "</div><p class=\"legend\">{legend}</p><p>AI-generated with no human control: {:.3} s ({:.1}%). By human control: {}.</p>",
        k.autonomous_seconds,
        k.autonomous_share * 100.0,
        esc(&secs(&k.by_control))
    );
    let _ = writeln!(s, "<table><tr><th>person</th><th>role</th><th>seconds on screen</th><th>role weight</th><th>weighted</th></tr>");
    for p in &k.by_person {
        let _ = writeln!(
            s,
            "<tr><td>{} &lt;{}&gt;</td><td>{}</td><td>{:.3}</td><td>{}</td><td>{:.3}</td></tr>",
            esc(&p.name),
            esc(&p.operator),
            p.role,
            p.seconds,
            p.weight,
            p.weighted_seconds
        );
    }
    let _ = writeln!(
        s,
        "</table><table><tr><th>tool</th><th>licence</th><th>seconds</th></tr>"
    );
    for t in &k.by_tool {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{:.3}</td></tr>",
            esc(&t.tool),
            esc(&t.license),
            t.seconds
        );
    }
    let _ = writeln!(s, "</table>");
}

/// Styles for the cut section (appended to the page's CSS).
pub const CSS: &str = ".bar{display:flex;height:22px;border:1px solid #999;margin:4px 0}.bar span{display:block;height:100%}.legend .key{margin-right:12px;white-space:nowrap}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}";
