//! Where a catalog lives: a PostgreSQL URL (shared by many machines) or a
//! path (an embedded SQLite file, no server).

use std::fmt;
use std::path::PathBuf;

/// A catalog, as `--index` or `CREDITS_INDEX` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An embedded SQLite database file (created if missing).
    Sqlite(PathBuf),
    /// A PostgreSQL server: `postgres://user[:password]@host[:port]/db`
    /// (or `postgresql://`; libpq's `key=value` strings also work).
    Postgres(String),
}

impl Location {
    /// Read `spec`: a `postgres://` or `postgresql://` URL, or a libpq
    /// `key=value` string that names a `host=`, is a server; anything else
    /// is a path.
    pub fn parse(spec: &str) -> Location {
        let lower = spec.trim_start().to_ascii_lowercase();
        let is_url = lower.starts_with("postgres://") || lower.starts_with("postgresql://");
        let is_keywords = lower.contains("host=") && lower.contains("dbname=");
        if is_url || is_keywords {
            Location::Postgres(spec.trim().to_string())
        } else {
            Location::Sqlite(PathBuf::from(spec))
        }
    }

    /// The `host:port` a PostgreSQL location points at, for messages.
    pub fn server(&self) -> Option<String> {
        let Location::Postgres(url) = self else {
            return None;
        };
        let config: postgres::Config = url.parse().ok()?;
        let host = match config.get_hosts().first()? {
            postgres::config::Host::Tcp(h) => h.clone(),
            postgres::config::Host::Unix(p) => p.display().to_string(),
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        Some(format!("{host}:{port}"))
    }
}

/// Shown with any password hidden: safe for logs and reports.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

/// `url` with the password of its user part (or a `password=` keyword)
/// replaced by `***`.
fn redact(url: &str) -> String {
    if let Some(i) = url.find("password=") {
        let rest = &url[i + "password=".len()..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        return format!("{}password=***{}", &url[..i], &rest[end..]);
    }
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?'])
        .map_or(url.len(), |i| scheme_end + i);
    let authority = &url[scheme_end..authority_end];
    let (Some(at), Some(colon)) = (authority.rfind('@'), authority.find(':')) else {
        return url.to_string();
    };
    if colon > at {
        return url.to_string();
    }
    format!(
        "{}{}:***{}",
        &url[..scheme_end],
        &authority[..colon],
        &url[scheme_end + at..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_servers_and_the_rest_are_paths() {
        assert!(matches!(
            Location::parse("postgres://u@h/db"),
            Location::Postgres(_)
        ));
        assert!(matches!(
            Location::parse("PostgreSQL://u@h:5433/db"),
            Location::Postgres(_)
        ));
        assert!(matches!(
            Location::parse("host=h dbname=d user=u"),
            Location::Postgres(_)
        ));
        assert_eq!(
            Location::parse("studio/index.db"),
            Location::Sqlite("studio/index.db".into())
        );
        assert_eq!(
            Location::parse("postgres.db"),
            Location::Sqlite("postgres.db".into())
        );
    }

    #[test]
    fn passwords_never_show() {
        let shown = Location::parse("postgres://ana:s3cret@db.studio:5433/films").to_string();
        assert_eq!(shown, "postgres://ana:***@db.studio:5433/films");
        let shown = Location::parse("host=db dbname=f password=s3cret user=u").to_string();
        assert_eq!(shown, "host=db dbname=f password=*** user=u");
        let plain = "postgres://ana@db.studio/films";
        assert_eq!(Location::parse(plain).to_string(), plain);
        assert_eq!(
            Location::parse("postgres://ana@db:5433/f")
                .server()
                .as_deref(),
            Some("db:5433")
        );
    }
}
