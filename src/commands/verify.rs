//! `credits verify`: a verdict per file; exit 0 only when every file passes.

use credits::verify::{self, State, Verdict};
use credits::{sdk, Error};
use serde::Serialize;

use credits::index::{self, Index};
use credits::parallel;
use credits::policy::Policy;

use super::{load_trust, print_json, report_error, Outcome};
use crate::cli::VerifyArgs;

#[derive(Serialize)]
struct VerifyReport<'a> {
    schema_version: u32,
    trust_bundle: Option<String>,
    files: &'a [Verdict],
}

pub fn run(args: VerifyArgs) -> Result<Outcome, Error> {
    let trust = load_trust(args.trust.as_deref())?;
    let policy = args.policy.as_deref().map(Policy::load).transpose()?;
    let ctx = sdk::shared_context(trust.as_deref())?;
    let mut verdicts: Vec<Verdict> = parallel::map_in_order(
        &args.files,
        parallel::cores(),
        |f| verify::verify_file(&ctx, f),
        |f| Verdict::unfinished(f),
        &|_, _| {},
    );
    if let (true, Some(db)) = (args.recover, &args.index) {
        let index = Index::open(db)?;
        for v in &mut verdicts {
            if let Err(e) = index::recover(&index, v) {
                report_error(&e);
            }
        }
    }
    if args.json {
        print_json(&VerifyReport {
            schema_version: 1,
            trust_bundle: args.trust.as_ref().map(|p| p.display().to_string()),
            files: &verdicts,
        });
    } else {
        for v in &verdicts {
            render(v);
        }
    }
    summarize(&verdicts, args.trust.is_some());
    let outcome = outcome(&verdicts, args.allow_untrusted);
    let Some(policy) = policy else {
        return Ok(outcome);
    };
    let reasons: Vec<String> = verdicts.iter().flat_map(|v| policy.check(v)).collect();
    for r in &reasons {
        eprintln!("policy: {r}");
    }
    Ok(match outcome {
        Outcome::CouldNotRun => outcome,
        _ if reasons.is_empty() => Outcome::Success,
        _ => Outcome::Failed,
    })
}

fn outcome(verdicts: &[Verdict], allow_untrusted: bool) -> Outcome {
    verdicts
        .iter()
        .map(|v| match v.state {
            State::Trusted => Outcome::Success,
            State::Valid if allow_untrusted => Outcome::Success,
            State::Error => Outcome::CouldNotRun,
            _ => Outcome::Failed,
        })
        .max()
        .unwrap_or(Outcome::Success)
}

fn summarize(verdicts: &[Verdict], anchored: bool) {
    let count = |s: State| verdicts.iter().filter(|v| v.state == s).count();
    let mut parts = Vec::new();
    for s in [
        State::Trusted,
        State::Valid,
        State::Invalid,
        State::Unsigned,
        State::Remote,
        State::Recovered,
        State::Error,
    ] {
        let n = count(s);
        if n > 0 {
            parts.push(format!("{n} {}", s.as_str()));
        }
    }
    eprintln!("{} file(s): {}", verdicts.len(), parts.join(", "));
    let lapsed = verdicts.iter().any(|v| {
        v.codes
            .failure
            .iter()
            .any(|c| c == "signingCredential.expired")
            && v.signer.as_ref().is_none_or(|s| s.time.is_none())
    });
    if lapsed {
        eprintln!(
            "hint: signed without a trusted timestamp, so the signature lapsed when the certificate expired; \
             manifests carrying an RFC 3161 timestamp stay valid after expiry"
        );
    }
    let reframed = verdicts.iter().any(|v| {
        v.codes
            .failure
            .iter()
            .any(|c| c.starts_with("credits.container."))
    });
    if reframed {
        eprintln!(
            "hint: bytes around the manifest that C2PA does not hash were changed after signing; the signed content may be intact, but the file is not the one signed: take it from its source again"
        );
    }
    if !anchored && count(State::Valid) > 0 {
        eprintln!(
            "hint: no --trust bundle given, so no signer can be trusted; pass --trust studio.pem"
        );
    }
}

fn render(v: &Verdict) {
    println!(
        "{:<9} {}",
        v.state.as_str().to_uppercase(),
        v.path.display()
    );
    if let Some(e) = &v.error {
        println!("  error     {e}");
    }
    if let Some(url) = &v.remote_url {
        println!("  remote    {url} (not fetched: verification is offline)");
    }
    for code in &v.codes.failure {
        let details: Vec<&str> = v
            .findings
            .iter()
            .filter(|f| &f.code == code)
            .map(|f| f.detail.as_str())
            .collect();
        if details.is_empty() {
            println!("  failure   {code}");
        } else {
            println!("  failure   {code}: {}", details.join("; "));
        }
    }
    for f in &v.ingredient_failures {
        println!("  failure   ingredient {f}");
    }
    if let Some(r) = &v.recovery {
        println!(
            "  matches   {} — {}/{} sampled frames, similarity {:.2}, starting at {:.2} s",
            r.original.display(),
            r.matched_samples,
            r.compared_samples,
            r.similarity,
            r.offset_s
        );
        println!("  note      {}", r.note);
        let signer = r.signer.as_deref().unwrap_or("?");
        println!(
            "  original  manifest {} signed by {signer}",
            r.manifest_label
        );
        if let Some(rec) = &r.record {
            println!(
                "  original  {} by {} ({}), generated {}",
                rec.tool.name, rec.operator.name, rec.operator.role, rec.generated_at
            );
        }
    }
    if let Some(src) = &v.manifest_source {
        println!("  manifest  {src}");
    }
    if let Some(s) = &v.signer {
        let cn = s.common_name.as_deref().unwrap_or("?");
        let issuer = s.issuer.as_deref().unwrap_or("?");
        println!("  signer    {cn} (issued by {issuer})");
    }
    if !v.actions.is_empty() {
        let names: Vec<&str> = v.actions.iter().map(|a| a.action.as_str()).collect();
        println!("  actions   {}", names.join(", "));
    }
    if let Some(r) = &v.record {
        let mut tool = r.tool.name.clone();
        for part in [&r.tool.version, &r.tool.model].into_iter().flatten() {
            tool.push_str(&format!(" {part}"));
        }
        println!("  tool      {tool}");
        if let Some(l) = &r.license {
            let commercial = match l.commercial_use {
                Some(true) => "commercial use: yes",
                Some(false) => "commercial use: NO",
                None => "commercial use: unknown",
            };
            println!("  licence   {} ({commercial})", l.id);
        }
        let id = r
            .operator
            .id
            .as_deref()
            .map(|i| format!(" <{i}>"))
            .unwrap_or_default();
        println!(
            "  operator  {}{id}, role {}",
            r.operator.name, r.operator.role
        );
        if let Some(p) = &r.prompt {
            println!("  prompt    committed ({})", p.scheme);
        }
        for c in &r.controls {
            println!("  control   {}", c.kind);
        }
        if let Some(s) = &r.selection {
            println!(
                "  selection chose {} of {} candidates",
                s.chosen, s.candidates
            );
        }
        if let Some(m) = &r.media {
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
            println!("  media     {line}");
        }
        println!("  generated {}", r.generated_at);
    }
    render_ingredients(&v.ingredients, 1);
}

fn render_ingredients(ingredients: &[credits::verify::IngredientVerdict], depth: usize) {
    let indent = "  ".repeat(depth);
    for ing in ingredients {
        let title = ing.title.as_deref().unwrap_or("(untitled)");
        let mut line = format!(
            "{indent}ingredient {title} ({}): {}",
            ing.relationship,
            ing.state.as_str()
        );
        if let Some(r) = &ing.record {
            line.push_str(&format!(
                " — {} by {} ({})",
                r.tool.name, r.operator.name, r.operator.role
            ));
        }
        println!("{line}");
        render_ingredients(&ing.ingredients, depth + 1);
    }
}
