//! Checking the team library's audit chain on the desktop (`quire audit verify --team`): every
//! record's hash is recomputed here from the fields as stored, without trusting any function on
//! the server (whose owner could replace them), with the same canonical text as
//! `quire.audit_hash` (src/team/migrations/002_sync_core.sql): each field as
//! "<byte length>:<text>", NULL as "~", in the order prev_hash, id, time (UTC, microseconds),
//! actor, action, entity, entity id, before, after.
//!
//! What a chain cannot show by itself: records removed from its END (the remaining chain is
//! whole). A desktop remembers the last record it verified (an anchor: id and hash); giving it
//! back makes the check fail when that record is gone or different.

use super::connect::query_error;
use crate::library::Library;
use crate::{Error, Result};
use postgres::Client;
use sha2::{Digest, Sha256};

/// The result of a check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainCheck {
    pub records: u64,
    /// The last record's id and hash: the anchor to keep for the next check.
    pub head: Option<(i64, String)>,
    /// What is wrong, first problem first; empty when the chain is whole.
    pub problems: Vec<String>,
}

impl ChainCheck {
    pub fn is_whole(&self) -> bool {
        self.problems.is_empty()
    }
}

fn field(out: &mut Vec<u8>, v: Option<&str>) {
    match v {
        None => out.push(b'~'),
        Some(s) => {
            out.extend_from_slice(s.len().to_string().as_bytes());
            out.push(b':');
            out.extend_from_slice(s.as_bytes());
        }
    }
}

/// The hash of one record from its canonical fields (see the module comment).
#[allow(clippy::too_many_arguments)]
pub fn record_hash(prev: &str, id: i64, at_utc: &str, actor: &str, action: &str, entity: &str, entity_id: &str, before: Option<&str>, after: Option<&str>) -> String {
    let mut text = Vec::new();
    let id = id.to_string();
    for v in [Some(prev), Some(id.as_str()), Some(at_utc), Some(actor), Some(action), Some(entity), Some(entity_id), before, after] {
        field(&mut text, v);
    }
    Sha256::digest(&text).iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads the whole chain in id order and checks every link and hash; with `anchor`, also that
/// the record remembered from an earlier check is still there, unchanged.
pub fn verify(client: &mut Client, server: &str, anchor: Option<(i64, &str)>) -> Result<ChainCheck> {
    let mut check = ChainCheck { records: 0, head: None, problems: Vec::new() };
    let mut prev = String::new();
    let mut anchor_seen = false;
    // In pages, so that a long chain is not held in memory at once; one snapshot for all pages.
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(|e| query_error(server, "cannot start reading the audit log", &e))?;
    let mut after_id = i64::MIN;
    loop {
        let rows = tx
            .query(
                "SELECT id, prev_hash, hash, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), actor, action, entity, entity_id, before::text, after::text
                   FROM quire.audit_log WHERE id > $1 ORDER BY id LIMIT 5000",
                &[&after_id],
            )
            .map_err(|e| query_error(server, "cannot read the audit log", &e))?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let id: i64 = r.get(0);
            let prev_hash: String = r.get(1);
            let hash: String = r.get(2);
            let at: String = r.get(3);
            check.records += 1;
            if prev_hash != prev {
                check.problems.push(format!("record {id}: its link to the previous record is broken (a record before it was removed or changed)"));
            }
            let computed = record_hash(&prev_hash, id, &at, r.get(4), r.get(5), r.get(6), r.get(7), r.get(8), r.get(9));
            if computed != hash {
                check.problems.push(format!("record {id}: it was changed after it was written (its hash does not match its content)"));
            }
            if let Some((aid, ahash)) = anchor {
                if aid == id {
                    anchor_seen = true;
                    if ahash != hash {
                        check.problems.push(format!("record {id}, verified before, has a different hash now: the history was rewritten"));
                    }
                }
            }
            prev = hash.clone();
            check.head = Some((id, hash));
            after_id = id;
        }
    }
    if let Some((aid, _)) = anchor {
        if !anchor_seen {
            check.problems.push(format!("record {aid}, verified before, is no longer in the log: records were removed"));
        }
    }
    tx.commit().map_err(|e| query_error(server, "cannot finish reading the audit log", &e))?;
    Ok(check)
}

/// The library setting that keeps the last verified record of the linked team library's chain:
/// `ID:HASH:SERVER` (an anchor from another server is ignored).
pub const ANCHOR_SETTING: &str = "team_audit_anchor";

/// Checks the audit chain of the team library this library is linked to, against the record
/// this library verified last time (so records cut from the end show too), and, when the chain
/// is whole, keeps its newest record as the anchor for the next check.
pub fn verify_linked(lib: &Library, client: &mut Client) -> Result<ChainCheck> {
    let server = super::sync::linked_server(lib)?.ok_or_else(|| Error::invalid("team.sync.not_linked", "this library is not linked to a team library; join one first"))?;
    let kept = lib.setting(ANCHOR_SETTING)?;
    let anchor = kept.as_deref().and_then(|v| parse_anchor(v, &server));
    let check = verify(client, &server, anchor)?;
    if check.is_whole() {
        if let Some((id, hash)) = &check.head {
            lib.set_setting(ANCHOR_SETTING, &format!("{id}:{hash}:{server}"))?;
        }
    }
    Ok(check)
}

/// The anchor `ID:HASH:SERVER` kept for `server`, if it is one.
pub fn parse_anchor<'a>(value: &'a str, server: &str) -> Option<(i64, &'a str)> {
    let mut parts = value.splitn(3, ':');
    let id = parts.next()?.parse::<i64>().ok()?;
    let hash = parts.next().filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))?;
    (parts.next()? == server).then_some((id, hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_text_is_length_prefixed() {
        // sha256("0:1:1" + "1:t" + "1:a" + "1:b" + "1:c" + "1:d" + "~" + "~") computed independently.
        let mut text = Vec::new();
        for v in [Some(""), Some("1"), Some("t"), Some("a"), Some("b"), Some("c"), Some("d"), None, None] {
            field(&mut text, v);
        }
        assert_eq!(String::from_utf8(text).unwrap(), "0:1:11:t1:a1:b1:c1:d~~");
        // Moving a character from one field to the next changes the hash.
        assert_ne!(record_hash("", 1, "t", "ab", "c", "e", "i", None, None), record_hash("", 1, "t", "a", "bc", "e", "i", None, None));
        // Multi-byte text is counted in bytes, as octet_length does.
        let mut text = Vec::new();
        field(&mut text, Some("é"));
        assert_eq!(text, b"2:\xc3\xa9");
    }

    #[test]
    fn the_anchor_belongs_to_its_server() {
        let h = "a".repeat(64);
        let v = format!("42:{h}:postgres://alice@db:5432/quire");
        assert_eq!(parse_anchor(&v, "postgres://alice@db:5432/quire"), Some((42, h.as_str())));
        assert_eq!(parse_anchor(&v, "postgres://alice@other:5432/quire"), None);
        assert_eq!(parse_anchor("x:y:z", "z"), None);
        assert_eq!(parse_anchor(&format!("1:{}:s", "g".repeat(64)), "s"), None);
    }
}
