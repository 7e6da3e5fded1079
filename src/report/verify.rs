//! `credits verify`: the report (each file's verdict, and the policy's
//! reasons when a policy was applied) and its human rendering — the
//! verdict first, then what was found, who signed, the decoded record and
//! each ingredient.

use std::fmt::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::escape::{path, term};
use crate::record::GenerationRecord;
use crate::verify::{CawgIdentity, IngredientVerdict, Recovery, State, Timestamp, Verdict};

/// Everything `verify` found.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub trust_bundle: Option<PathBuf>,
    pub files: Vec<Verdict>,
    /// Why the policy rejects the files, when a policy was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_reasons: Option<Vec<String>>,
}

/// The report for people: one block per file.
pub fn human(r: &VerifyReport) -> String {
    let mut s = String::new();
    for v in &r.files {
        verdict(&mut s, v);
    }
    for reason in r.policy_reasons.iter().flatten() {
        let _ = writeln!(s, "policy    {}", term(reason));
    }
    s
}

fn verdict(s: &mut String, v: &Verdict) {
    let _ = writeln!(
        s,
        "{:<9} {}",
        v.state.as_str().to_uppercase(),
        path(&v.path)
    );
    if let Some(e) = &v.error {
        let _ = writeln!(s, "  error     {}", term(e));
    }
    if let Some(url) = &v.remote_url {
        let _ = writeln!(
            s,
            "  remote    {} (not fetched: verification is offline)",
            term(url)
        );
    }
    failures(s, v);
    if let Some(r) = &v.recovery {
        recovery(s, r);
    }
    if let Some(src) = &v.manifest_source {
        let _ = writeln!(s, "  manifest  {}", term(&src.to_string()));
    }
    if let Some(signer) = &v.signer {
        let cn = signer.common_name.as_deref().unwrap_or("?");
        let issuer = signer.issuer.as_deref().unwrap_or("?");
        let ca = signer
            .issuer_fingerprint
            .as_deref()
            .map(|fp| format!(", CA {fp}"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  signer    {} (issued by {}{})",
            term(cn),
            term(issuer),
            term(&ca)
        );
    }
    signature_time(s, v);
    for id in &v.cawg_identity {
        identity(s, id);
    }
    if !v.actions.is_empty() {
        let names: Vec<&str> = v.actions.iter().map(|a| a.action.as_str()).collect();
        let _ = writeln!(s, "  actions   {}", term(&names.join(", ")));
    }
    if let Some(r) = &v.record {
        record(s, r);
    }
    if let Some(code) = v.soft_binding.as_ref().and_then(|b| b.iscc.as_ref()) {
        let _ = writeln!(s, "  iscc      {}", term(code));
    }
    if let Some(t) = &v.training_mining {
        let _ = writeln!(s, "  training  {}", term(&t.to_string()));
    }
    disclosure(s, v);
    ingredients(s, &v.ingredients, 1);
}

/// The `c2pa.ai-disclosure` human oversight level, when declared.
fn disclosure(s: &mut String, v: &Verdict) {
    if let Some(d) = &v.ai_disclosure {
        let level = match (d.human_oversight_level, &d.unknown_level) {
            (Some(l), _) => l.as_str().to_string(),
            (None, Some(text)) => format!("{} (not a level C2PA defines)", term(text)),
            (None, None) => "(none given)".into(),
        };
        let _ = writeln!(
            s,
            "  oversight {level} (c2pa.ai-disclosure humanOversightLevel)"
        );
    }
}

/// When the signature was made (its timestamp) and whether the signer's
/// certificate has been revoked since.
fn signature_time(s: &mut String, v: &Verdict) {
    if let Some(t) = &v.timestamp {
        timestamp(s, t);
    }
    if let Some(r) = &v.revocation {
        let side = if r.signed_before {
            "signed before the certificate was revoked: the signature stands"
        } else {
            "not shown to be signed before it (no trusted timestamp earlier): invalid"
        };
        let _ = writeln!(
            s,
            "  revoked   {} on {}; {}",
            r.reason.as_str(),
            term(&r.revoked_at),
            side
        );
    }
}

/// `signed    2026-12-06T10:00:00Z, timestamped by … (trusted TSA)`; a
/// timestamp added later (`credits timestamp`) shows the time the
/// signature existed by, and who added it.
fn timestamp(s: &mut String, t: &Timestamp) {
    let judged = match &t.untrusted_because {
        None => "trusted TSA".to_string(),
        Some(why) => format!("UNTRUSTED TSA: {why}; its time is not used"),
    };
    let time = if t.time.is_empty() { "?" } else { &t.time };
    let _ = match &t.added_later {
        None => writeln!(
            s,
            "  signed    {}, timestamped by {} ({})",
            term(time),
            term(&t.tsa),
            term(&judged)
        ),
        Some(later) => writeln!(
            s,
            "  signed    by {}, timestamped later by {} ({}; added by {}{})",
            term(time),
            term(&t.tsa),
            term(&judged),
            term(later.signer.as_deref().unwrap_or("an unnamed signer")),
            if later.failures.is_empty() {
                String::new()
            } else {
                format!(
                    ", whose signature fails: {}",
                    term(&later.failures.join(", "))
                )
            }
        ),
    };
}

fn failures(s: &mut String, v: &Verdict) {
    for code in &v.codes.failure {
        let details: Vec<&str> = v
            .findings
            .iter()
            .filter(|f| &f.code == code)
            .map(|f| f.detail.as_str())
            .collect();
        if details.is_empty() {
            let _ = writeln!(s, "  failure   {}", term(code));
        } else {
            let _ = writeln!(
                s,
                "  failure   {}: {}",
                term(code),
                term(&details.join("; "))
            );
        }
    }
    for f in &v.ingredient_failures {
        let _ = writeln!(s, "  failure   ingredient {}", term(f));
    }
    for code in &v.codes.informational {
        let _ = writeln!(s, "  note      {}", term(code));
    }
}

/// A CAWG identity assertion: the named actor, roles, and its status.
fn identity(s: &mut String, id: &CawgIdentity) {
    let actor = match (&id.signer, &id.email) {
        (Some(name), Some(email)) => format!("{name} <{email}>"),
        (Some(name), None) => name.clone(),
        _ => format!("certificate {}", id.certificate.as_deref().unwrap_or("?")),
    };
    let _ = writeln!(
        s,
        "  identity  {} as {} ({})",
        term(&actor),
        term(&id.roles.join(", ")),
        term(&id.status)
    );
}

/// A recovered original's signature, in words.
fn signer_state(state: State) -> &'static str {
    match state {
        State::Trusted => "TRUSTED",
        State::Valid => "UNTRUSTED signer",
        _ => "INVALID signature",
    }
}

fn recovery(s: &mut String, r: &Recovery) {
    let _ = writeln!(
        s,
        "  matches   {} — {}/{} sampled frames, similarity {:.2}, starting at {:.2} s",
        path(&r.original),
        r.matched_samples,
        r.compared_samples,
        r.similarity,
        r.offset_s
    );
    let _ = writeln!(s, "  note      {}", term(&r.note));
    if let Some(d) = r.iscc_distance {
        let _ = writeln!(
            s,
            "  iscc      {d} of 64 bits from the original's ISCC code"
        );
    }
    let signer = r.signer.as_deref().unwrap_or("?");
    let ca = r
        .issuer_fingerprint
        .as_deref()
        .map(|fp| format!(", CA {fp}"))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "  original  manifest {} signed by {} ({} against these anchors{})",
        term(&r.manifest_label),
        term(signer),
        signer_state(r.signer_state),
        term(&ca)
    );
    if let Some(rec) = &r.record {
        let _ = writeln!(
            s,
            "  original  {} by {} ({}), generated {}",
            term(&rec.tool.name),
            term(&rec.operator.name),
            rec.operator.role,
            term(&rec.generated_at)
        );
    }
}

/// The parts of a generator's graph the record could not read.
fn graph_unread(s: &mut String, r: &GenerationRecord) {
    let unread = r.parameters.as_ref().map(|p| &p.graph_unread);
    if let Some(unread) = unread.filter(|u| !u.is_empty()) {
        let _ = writeln!(
            s,
            "  graph     not read: {} (nothing was taken from these nodes)",
            term(&unread.join(", "))
        );
    }
}

fn record(s: &mut String, r: &GenerationRecord) {
    let mut tool = r.tool.name.clone();
    for part in [&r.tool.version, &r.tool.model].into_iter().flatten() {
        tool.push_str(&format!(" {part}"));
    }
    let _ = writeln!(s, "  tool      {}", term(&tool));
    graph_unread(s, r);
    if let Some(l) = &r.license {
        let commercial = match l.commercial_use {
            Some(true) => "commercial use: yes",
            Some(false) => "commercial use: NO",
            None => "commercial use: unknown",
        };
        let _ = writeln!(s, "  licence   {} ({commercial})", term(&l.id));
    }
    let id = r
        .operator
        .id
        .as_deref()
        .map(|i| format!(" <{i}>"))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "  operator  {}, role {}",
        term(&format!("{}{id}", r.operator.name)),
        r.operator.role
    );
    if let Some(p) = &r.prompt {
        let _ = writeln!(s, "  prompt    committed ({})", term(&p.scheme));
    }
    prompts_and_controls(s, r);
    if let Some(sel) = &r.selection {
        let _ = writeln!(
            s,
            "  selection chose {} of {} candidates (declared)",
            sel.chosen, sel.candidates
        );
    }
    if let Some(j) = &r.journal {
        let _ = writeln!(
            s,
            "  journal   chose attempt {} of {}; {} prompt revision(s), {} parameter change(s) (derived from the journal; `credits prove --journal` checks it)",
            j.chosen, j.entries, j.prompt_revisions, j.parameter_changes
        );
    }
    if let Some(line) = media_line(r) {
        let _ = writeln!(s, "  media     {}", term(&line));
    }
    let _ = writeln!(s, "  generated {}", term(&r.generated_at));
}

/// The prompts beyond the main one, and each control (one read from a
/// generator's graph names its image, and whether it was hashed).
fn prompts_and_controls(s: &mut String, r: &crate::record::GenerationRecord) {
    if !r.prompts.is_empty() {
        let parts: Vec<&str> = r.prompts.iter().map(|p| p.part.as_str()).collect();
        let _ = writeln!(
            s,
            "  prompts   {} more committed ({})",
            r.prompts.len(),
            term(&parts.join(", "))
        );
    }
    for c in &r.controls {
        let from = match (&c.image, &c.sha256) {
            (Some(name), Some(_)) => format!(" ({}, from the graph, hashed)", term(name)),
            (Some(name), None) => format!(
                " ({}, from the graph, named only: its file was not at hand)",
                term(name)
            ),
            _ => String::new(),
        };
        let _ = writeln!(s, "  control   {}{from}", c.kind);
    }
}

fn media_line(r: &GenerationRecord) -> Option<String> {
    let m = r.media.as_ref()?;
    let mut line = format!("{} {} {}x{}", m.kind, m.container, m.width, m.height);
    if let Some(c) = &m.codec {
        line.push_str(&format!(" {c}"));
    }
    if let (Some(fps), Some(d)) = (m.frame_rate, m.duration_s) {
        line.push_str(&format!(", {fps} fps, {d} s"));
    }
    if let Some(n) = m.frame_count.filter(|_| m.kind == "clip") {
        line.push_str(&format!(", {n} frames"));
    }
    for a in &m.audio {
        line.push_str(&format!(
            ", audio {} {} ch {} Hz",
            a.codec, a.channels, a.sample_rate
        ));
    }
    Some(line)
}

fn ingredients(s: &mut String, list: &[IngredientVerdict], depth: usize) {
    let indent = "  ".repeat(depth);
    for ing in list {
        let title = ing.title.as_deref().unwrap_or("(untitled)");
        let mut line = format!(
            "{indent}ingredient {} ({}): {}",
            term(title),
            term(&ing.relationship),
            ing.state.as_str()
        );
        if let Some(r) = &ing.record {
            line.push_str(&format!(
                " — {} by {} ({})",
                term(&r.tool.name),
                term(&r.operator.name),
                r.operator.role
            ));
        }
        let _ = writeln!(s, "{line}");
        ingredients(s, &ing.ingredients, depth + 1);
    }
}
