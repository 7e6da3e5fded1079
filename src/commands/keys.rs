//! `credits keys init|issue|trust`.

use credits::atomic::{self, Overwrite};
use credits::keys;

use super::{note, Outcome};
use crate::cli::KeysCommand;

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
            let pem = keys::trust_bundle(&dir)?;
            match out {
                Some(path) => {
                    atomic::write(&path, pem.as_bytes(), Overwrite::Replace, atomic::PUBLIC)?;
                    note(&format!("wrote trust bundle {}", path.display()));
                }
                None => print!("{pem}"),
            }
        }
    }
    Ok(Outcome::Success)
}
