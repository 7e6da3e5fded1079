//! A certificate's statement against its own report: the verdict, the
//! reasons and the shares it states must be what the embedded audit
//! report says, so a certifier cannot sign `accepted` over a report that
//! rejects. (A certifier who rewrites the whole report consistently is
//! stopped by who may certify, `certifier`, and by `--check DIR` finding
//! the files as certified; `credits audit` run again on them recomputes
//! everything.)

use serde_json::Value;

use super::statement::Statement;

/// Every way the statement disagrees with its report.
pub fn problems(s: &Statement) -> Vec<String> {
    let p = &s.predicate;
    let r = &p.report;
    let mut out = Vec::new();
    let Some(accepted) = r.get("accepted").and_then(Value::as_bool) else {
        return vec!["the embedded report says nothing of acceptance".into()];
    };
    let reasons: Vec<&str> = r
        .get("reasons")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let stated = if accepted { "accepted" } else { "rejected" };
    if p.verdict != stated {
        out.push(format!(
            "the certificate states {:?}; its own report is {stated}",
            p.verdict
        ));
    }
    if accepted != reasons.is_empty() {
        out.push(format!(
            "the report is {stated} with {} reason(s)",
            reasons.len()
        ));
    }
    if p.reasons
        .iter()
        .map(String::as_str)
        .ne(reasons.iter().copied())
    {
        out.push("the certificate's reasons are not its report's".into());
    }
    for f in array(r, "findings") {
        if f.get("severity").and_then(Value::as_str) != Some("error") {
            continue;
        }
        let reason = format!(
            "{}: {} ({})",
            text(f, "asset"),
            text(f, "message"),
            text(f, "code")
        );
        if !reasons.contains(&reason.as_str()) {
            out.push(format!(
                "an error finding is missing from the reasons: {reason}"
            ));
        }
    }
    let shares: f64 = array(r, "shares")
        .iter()
        .filter_map(|s| s.get("percent").and_then(Value::as_f64))
        .sum();
    if !array(r, "shares").is_empty() && (shares - 100.0).abs() > 1.0 {
        out.push(format!(
            "the report's shares add up to {shares:.1}%, not 100%"
        ));
    }
    out
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}
