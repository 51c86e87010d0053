//! The team library: several people share one answer library and vendor register through a
//! PostgreSQL server the organisation already runs (docs/team.md). This module owns the server
//! side: the schema, roles and policies (numbered SQL files in migrations/, applied by
//! `quire team init`), the connection (settings resolved as libpq resolves them, TLS always),
//! and the desktop's check of the server's audit chain. The desktop's sync of its local library
//! with the team library builds on `quire.push` / `quire.pull` (migrations/008_sync.sql).

pub mod audit;
pub mod conninfo;
pub mod connect;
pub mod migrate;
mod answers;
mod kept_aside;
mod merge;
mod register;
mod reviews;
mod rows;
pub mod sync;

pub use conninfo::{resolve, ConnInfo, Environment, ProcessEnvironment};
pub use connect::{connect, connect_prompting};
pub use kept_aside::{kept_aside, resolve as resolve_kept_aside, KeptAside};
pub use migrate::{init, InitReport};

/// Gives a PostgreSQL login a Quire role (reader, contributor, approver, admin) through
/// `quire.set_person`; the caller must be a Quire admin (or the administrator who ran init).
pub fn set_person(client: &mut postgres::Client, server: &str, login: &str, role: &str, display_name: Option<&str>) -> crate::Result<()> {
    client
        .execute("SELECT quire.set_person($1, $2, $3, NULL)", &[&login, &role, &display_name])
        .map_err(|e| connect::query_error(server, &format!("cannot make {login} a {role}"), &e))?;
    Ok(())
}
