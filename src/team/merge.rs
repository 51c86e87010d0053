//! The three-way merge of a synced row's fields when both this desktop and the team library
//! changed it since the version both started from (vendor records, finding statuses, review
//! answers, assignments, comments): a field only one side changed takes that change; a field
//! both changed differently keeps the team library's value, and the local one is kept aside in
//! `sync_conflicts` (with the table, the row and who made the other change) and reported, so
//! that nothing typed on this desktop is lost.

use super::rows::short;
use super::sync::{ConflictNote, SyncReport};
use rusqlite::{params, Connection};
use serde_json::{Map, Value};

/// A field both sides changed differently.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Clash {
    pub(super) field: String,
    pub(super) local: Value,
    pub(super) server: Value,
}

/// Merges `local` and `remote` against `base`, over `fields` (`None`: every key any of the
/// three has). A key that ends missing on the winning side is left out.
pub(super) fn merge(fields: Option<&[&str]>, base: &Map<String, Value>, local: &Map<String, Value>, remote: &Map<String, Value>) -> (Map<String, Value>, Vec<Clash>) {
    let keys: Vec<String> = match fields {
        Some(f) => f.iter().map(|k| k.to_string()).collect(),
        None => {
            let mut k: Vec<String> = base.keys().chain(local.keys()).chain(remote.keys()).cloned().collect();
            k.sort();
            k.dedup();
            k
        }
    };
    let mut merged = Map::new();
    let mut clashes = Vec::new();
    for k in keys {
        let (b, l, r) = (base.get(&k), local.get(&k), remote.get(&k));
        let v = if l == r || l == b {
            r
        } else if r == b {
            l
        } else {
            clashes.push(Clash { field: k.clone(), local: l.cloned().unwrap_or(Value::Null), server: r.cloned().unwrap_or(Value::Null) });
            r
        };
        if let Some(v) = v {
            merged.insert(k, v.clone());
        }
    }
    (merged, clashes)
}

/// Keeps the local values that lost a clash and says so in the report (`what` names the row
/// for people: "vendor Acme Health", "question 3 of review 2").
#[allow(clippy::too_many_arguments)]
pub(super) fn keep_clashes(conn: &Connection, tbl: &str, local_id: i64, gid: &str, by: &str, what: &str, clashes: &[Clash], report: &mut SyncReport) -> rusqlite::Result<()> {
    if clashes.is_empty() {
        return Ok(());
    }
    let shown = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    };
    for c in clashes {
        conn.execute(
            "INSERT INTO sync_conflicts(at, entry_id, gid, field, local_value, server_value, server_by, tbl, local_id, local_json) VALUES (?1, NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![crate::dates::now_text(), gid, c.field, shown(&c.local), shown(&c.server), by, tbl, local_id, c.local.to_string()],
        )?;
    }
    let fields: Vec<&str> = clashes.iter().map(|c| c.field.as_str()).collect();
    report.conflicts.push(ConflictNote {
        entry_id: None,
        kept_as: None,
        question: what.to_string(),
        detail: format!("{by} also changed {} in the team library; theirs was kept, yours is kept aside as a sync conflict", fields.join(", ")),
    });
    Ok(())
}

/// Who last changed a pulled row on the server.
pub(super) fn updated_by(row: &Value) -> String {
    short(row.get("updated_by").and_then(Value::as_str).unwrap_or("someone"), 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn fields_merge_one_by_one_and_clashes_take_the_servers_value() {
        let base = obj(json!({"name": "Acme", "notes": "", "service": "EHR", "baa": {"status": "none"}}));
        let local = obj(json!({"name": "Acme", "notes": "called them", "service": "EHR hosting", "baa": {"status": "none"}}));
        let remote = obj(json!({"name": "Acme", "notes": "", "service": "EHR cloud", "baa": {"status": "signed"}}));
        let (merged, clashes) = merge(None, &base, &local, &remote);
        assert_eq!(merged, obj(json!({"name": "Acme", "notes": "called them", "service": "EHR cloud", "baa": {"status": "signed"}})));
        assert_eq!(clashes, vec![Clash { field: "service".into(), local: json!("EHR hosting"), server: json!("EHR cloud") }]);
        // A key only one side has, or both set alike, is no clash.
        let (m, c) = merge(None, &Map::new(), &obj(json!({"a": 1, "b": 2})), &obj(json!({"b": 2, "c": 3})));
        assert_eq!((m, c.len()), (obj(json!({"a": 1, "b": 2, "c": 3})), 0));
        // Only the fields named.
        let (m, c) = merge(Some(&["a"]), &obj(json!({"a": 0, "z": 0})), &obj(json!({"a": 1, "z": 1})), &obj(json!({"a": 2, "z": 2})));
        assert_eq!((m, c.len()), (obj(json!({"a": 2})), 1));
    }
}
