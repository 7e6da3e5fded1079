//! `credits keys init|issue|trust|revoke`.

use credits::atomic::{self, Overwrite};
use credits::keys;

use super::{note, Outcome};
use credits::crl::Reason;

use crate::cli::{KeysCommand, RevokeReason};

pub fn run(cmd: KeysCommand) -> Result<Outcome, credits::Error> {
    match cmd {
        KeysCommand::Init { org, dir, years } => {
            let ca = keys::init_ca(&dir, &org, years)?;
            println!("created studio CA for {:?}", ca.org);
            println!("  certificate  {}", ca.certificate.display());
            println!(
                "  private key  {} (mode 0600; keep it offline)",
                ca.key.display()
            );
            eprintln!(
                "next: credits keys issue --dir {} --name \"Full Name\" --email name@studio",
                dir.display()
            );
        }
        KeysCommand::Issue {
            dir,
            name,
            email,
            days,
            out,
        } => {
            let out_dir = out.unwrap_or_else(|| dir.clone());
            let op = keys::issue_operator(&dir, &out_dir, &name, &email, days)?;
            println!(
                "issued operator certificate for {} <{}> ({})",
                op.name, op.email, op.org
            );
            println!("  key    {} (mode 0600)", op.key.display());
            println!("  chain  {}", op.chain.display());
            println!("  valid until {}", op.not_after);
            eprintln!(
                "next: credits stamp FILE --key {} --chain {} --tool NAME --out DIR",
                op.key.display(),
                op.chain.display()
            );
        }
        KeysCommand::Trust { dir, out } => {
            let pem = credits::crl::trust_bundle(&dir)?;
            match out {
                Some(path) => {
                    atomic::write(&path, pem.as_bytes(), Overwrite::Replace, atomic::PUBLIC)?;
                    note(&format!("wrote trust bundle {}", path.display()));
                }
                None => print!("{pem}"),
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
    let r = credits::crl::revoke(dir, &cert, reason, at)?;
    println!("revoked {} (serial {})", r.subject, r.serial);
    println!("  reason      {}", r.reason.as_str());
    println!("  as of       {}", r.revoked_at);
    println!(
        "  CRL         {} ({} certificate(s); current until {})",
        r.crl.display(),
        r.entries,
        r.next_update
    );
    eprintln!(
        "next: credits keys trust --dir {} --out trust.pem, and give verifiers the new bundle",
        dir.display()
    );
    Ok(())
}
