//! `credits keys init|issue|trust|revoke`.

use credits::keys;
use credits::sys::atomic::{self, Overwrite};

use credits::report::escape::{path, term};

use super::{emit, note, Outcome};
use credits::keys::crl::Reason;

use crate::cli::{KeyRoleArg, KeysCommand, RevokeReason};

pub fn run(cmd: KeysCommand) -> Result<Outcome, credits::Error> {
    match cmd {
        KeysCommand::Init { org, dir, years } => {
            let ca = keys::init_ca(&dir, &org, years)?;
            emit(&format!(
                "created studio CA for {}\n  certificate  {}\n  private key  {} (mode 0600; keep it offline)\n",
                term(&format!("{:?}", ca.org)),
                path(&ca.certificate),
                path(&ca.key)
            ))?;
            note(&format!(
                "next: credits keys issue --dir {} --name \"Full Name\" --email name@studio",
                dir.display()
            ));
        }
        KeysCommand::Issue {
            dir,
            name,
            email,
            days,
            out,
            role,
        } => issue(&dir, out, &name, &email, days, role)?,
        KeysCommand::Trust { dir, out } => {
            let pem = credits::keys::bundle::of_ca(&dir)?;
            match out {
                Some(path) => {
                    atomic::write(&path, pem.as_bytes(), Overwrite::Replace, atomic::PUBLIC)?;
                    note(&format!("wrote trust bundle {}", path.display()));
                }
                None => emit(&pem)?,
            }
        }
        KeysCommand::Revoke {
            dir,
            email,
            cert,
            reason,
            at,
        } => revoke(&dir, email.as_deref(), cert, reason, at.as_deref())?,
    }
    Ok(Outcome::Success)
}

fn issue(
    dir: &std::path::Path,
    out: Option<std::path::PathBuf>,
    name: &str,
    email: &str,
    days: u32,
    role: KeyRoleArg,
) -> Result<(), credits::Error> {
    let out_dir = out.unwrap_or_else(|| dir.to_path_buf());
    let (role, what) = match role {
        KeyRoleArg::Operator => (keys::KeyRole::Operator, "operator"),
        KeyRoleArg::Certifier => (keys::KeyRole::Certifier, "certifier"),
    };
    let op = keys::issue_operator(dir, &out_dir, name, email, days, role)?;
    emit(&format!(
        "issued {what} certificate for {} <{}> ({})\n  key    {} (mode 0600)\n  chain  {}\n  valid until {}\n",
        term(&op.name),
        term(&op.email),
        term(&op.org),
        path(&op.key),
        path(&op.chain),
        op.not_after
    ))?;
    let next = if role == keys::KeyRole::Certifier {
        "credits certify DIR --trust BUNDLE"
    } else {
        "credits stamp FILE"
    };
    note(&format!(
        "next: {next} --key {} --chain {} …",
        op.key.display(),
        op.chain.display()
    ));
    Ok(())
}

fn revoke(
    dir: &std::path::Path,
    email: Option<&str>,
    cert: Option<std::path::PathBuf>,
    reason: RevokeReason,
    at: Option<&str>,
) -> Result<(), credits::Error> {
    let at = at
        .map(|t| {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).map_err(
                |e| credits::Error::Usage {
                    reason: format!(
                        "--at {t:?}: not an RFC 3339 time ({e}); e.g. 2027-03-01T00:00:00Z"
                    ),
                },
            )
        })
        .transpose()?;
    let cert = match (cert, email) {
        (Some(c), _) => c,
        (None, Some(e)) => dir.join(format!("{}.chain.pem", keys::slug(e))),
        (None, None) => {
            return Err(credits::Error::Usage {
                reason: "name the certificate: --email EMAIL or --cert PEM".into(),
            })
        }
    };
    let reason = match reason {
        RevokeReason::KeyCompromise => Reason::KeyCompromise,
        RevokeReason::AffiliationChanged => Reason::AffiliationChanged,
        RevokeReason::Superseded => Reason::Superseded,
        RevokeReason::CessationOfOperation => Reason::CessationOfOperation,
    };
    let r = credits::keys::crl::revoke(dir, &cert, reason, at)?;
    emit(&format!(
        "revoked {} (serial {})\n  reason      {}\n  as of       {}\n  CRL         {} ({} certificate(s); current until {})\n",
        term(&r.subject),
        r.serial,
        r.reason.as_str(),
        r.revoked_at,
        path(&r.crl),
        r.entries,
        r.next_update
    ))?;
    note(&format!(
        "next: credits keys trust --dir {} --out trust.pem, and give verifiers the new bundle",
        dir.display()
    ));
    Ok(())
}
