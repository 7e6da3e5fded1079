//! The two catalog engines every catalog test runs on: a SQLite file in the
//! test's directory, and a fresh database on the throwaway PostgreSQL
//! server `scripts/with-postgres.sh` starts (its URL in `CREDITS_TEST_PG`).
//! Without that server the PostgreSQL half fails; it never skips.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A catalog engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// The throwaway server's URL (its maintenance database).
fn server() -> String {
    std::env::var("CREDITS_TEST_PG").unwrap_or_else(|_| {
        panic!(
            "the catalog tests need a PostgreSQL server: run them through \
             scripts/with-postgres.sh (scripts/test.sh does), which starts a throwaway \
             cluster and sets CREDITS_TEST_PG"
        )
    })
}

/// Run `sql` on the maintenance database.
fn admin(sql: &str) {
    let mut client = postgres::Client::connect(&server(), postgres::NoTls)
        .expect("connect to the throwaway PostgreSQL server");
    client.batch_execute(sql).expect(sql);
}

impl Engine {
    /// A fresh, empty catalog of this engine for one test: a path under
    /// `dir`, or the URL of a new database.
    pub fn catalog(self, dir: &Path) -> String {
        match self {
            Engine::Sqlite => dir.join("catalog.db").to_string_lossy().into_owned(),
            Engine::Postgres => {
                let n = DATABASES.fetch_add(1, Ordering::SeqCst);
                let name = format!("t{}_{n}", std::process::id());
                admin(&format!("CREATE DATABASE {name}"));
                let url = server();
                let base = url.rsplit_once('/').expect("URL with a database").0;
                format!("{base}/{name}")
            }
        }
    }

    /// Every entry's (manifest label, path), sorted.
    pub fn entries(self, catalog: &str) -> Vec<(String, String)> {
        let sql = "SELECT manifest_label, path FROM assets ORDER BY path, manifest_label";
        let mut rows: Vec<(String, String)> = match self {
            Engine::Sqlite => {
                let conn = rusqlite::Connection::open(catalog).expect("open catalog");
                let mut stmt = conn.prepare(sql).expect("query");
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                    .expect("rows")
                    .map(|r| r.expect("row"))
                    .collect()
            }
            Engine::Postgres => {
                let mut client =
                    postgres::Client::connect(catalog, postgres::NoTls).expect("connect");
                client
                    .query(sql, &[])
                    .expect("rows")
                    .iter()
                    .map(|r| (r.get(0), r.get(1)))
                    .collect()
            }
        };
        rows.sort();
        rows
    }
}

/// `#[test]`s `NAME::sqlite` and `NAME::postgres` for each
/// `fn NAME(engine: Engine)`.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name($crate::engines::Engine::Sqlite)
                }
                #[test]
                fn postgres() {
                    super::$name($crate::engines::Engine::Postgres)
                }
            }
        )*
    };
}
