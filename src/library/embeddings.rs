//! Storage of the entries' sentence embeddings (table `entry_embeddings`, migration 009): which
//! entries still need one for a model, reading them all for the suggester (without copying), and storing a batch.
//! What the vectors mean is `suggest::meaning`'s business; here they are bytes.

use super::Library;
use crate::error::Result;
use rusqlite::params;

/// Stores one embedding while the entry still has the question it was computed from.
const STORE: &str = "INSERT INTO entry_embeddings(entry_id, model, vector)
     SELECT id, ?2, ?3 FROM entries WHERE id = ?1 AND question = ?4
     ON CONFLICT(entry_id) DO UPDATE SET model = excluded.model, vector = excluded.vector";

impl Library {
    /// `(entry id, question)` of every entry that has no embedding from `model`, in id order.
    pub fn entries_to_embed(&self, model: &str) -> Result<Vec<(i64, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT e.id, e.question FROM entries e LEFT JOIN entry_embeddings m ON m.entry_id = e.id AND m.model = ?1 WHERE m.entry_id IS NULL ORDER BY e.id")
            .map_err(|e| self.err(e))?;
        let rows = st.query_map([model], |r| Ok((r.get(0)?, r.get(1)?))).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.err(e))
    }

    /// Calls `each(entry id, bytes)` for every stored embedding from `model`, in id order,
    /// without copying the bytes (the suggester reads 77 MB of them at 50,000 entries).
    pub fn each_embedding(&self, model: &str, mut each: impl FnMut(i64, &[u8])) -> Result<()> {
        let mut st = self.conn.prepare("SELECT entry_id, vector FROM entry_embeddings WHERE model = ?1 ORDER BY entry_id").map_err(|e| self.err(e))?;
        let mut rows = st.query([model]).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let id: i64 = row.get(0).map_err(|e| self.err(e))?;
            // A vector that is not a blob is no embedding: the entry then matches by words.
            if let Ok(bytes) = row.get_ref(1).map_err(|e| self.err(e))?.as_blob() {
                each(id, bytes);
            }
        }
        Ok(())
    }

    /// Stores embeddings from `model`, each `(entry id, the question it was computed from,
    /// bytes)`, in one write transaction, replacing another model's. An entry deleted or whose
    /// question changed since it was read is skipped (its embedding would describe another
    /// text). Returns how many were stored.
    pub fn store_embeddings(&self, model: &str, rows: &[(i64, &str, Vec<u8>)]) -> Result<usize> {
        let tx = self.write_tx()?;
        let mut stored = 0;
        {
            let mut st = tx.prepare_cached(STORE).map_err(|e| self.err(e))?;
            for (id, question, vector) in rows {
                stored += st.execute(params![id, model, vector, question]).map_err(|e| self.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok(stored)
    }

    /// As `store_embeddings`, but never waits for another writer: a busy library is an error at
    /// once (the suggester then keeps the vectors in memory only).
    pub fn try_store_embeddings(&self, model: &str, rows: &[(i64, &str, Vec<u8>)]) -> Result<usize> {
        let previous: i64 = self.conn.query_row("PRAGMA busy_timeout", [], |r| r.get(0)).map_err(|e| self.err(e))?;
        self.conn.busy_timeout(std::time::Duration::ZERO).map_err(|e| self.err(e))?;
        let stored = (|| -> rusqlite::Result<usize> {
            let tx = rusqlite::Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Immediate)?;
            let mut stored = 0;
            {
                let mut st = tx.prepare_cached(STORE)?;
                for (id, question, vector) in rows {
                    stored += st.execute(params![id, model, vector, question])?;
                }
            }
            tx.commit()?;
            Ok(stored)
        })();
        let restored = self.conn.busy_timeout(std::time::Duration::from_millis(previous.max(0) as u64));
        let stored = stored.map_err(|e| self.err(e))?;
        restored.map_err(|e| self.err(e))?;
        Ok(stored)
    }

    /// How many entries have an embedding from `model`, of how many entries.
    pub fn embedding_coverage(&self, model: &str) -> Result<(usize, usize)> {
        self.conn
            .query_row("SELECT (SELECT COUNT(*) FROM entry_embeddings WHERE model = ?1), (SELECT COUNT(*) FROM entries)", [model], |r| {
                Ok((r.get::<_, i64>(0)?.max(0) as usize, r.get::<_, i64>(1)?.max(0) as usize))
            })
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use crate::library::Library;

    #[test]
    fn an_edited_or_deleted_question_loses_its_embedding() {
        let lib = Library::in_memory().unwrap();
        lib.conn.execute_batch("INSERT INTO entries(id, question, question_key, answer, answer_raw, answer_key, review_by, created_at, updated_at) VALUES (1, 'q one', 'q one', 'Yes', 'Yes', 'yes', '2027-01-01', 'x', 'x'), (2, 'q two', 'q two', 'No', 'No', 'no', '2027-01-01', 'x', 'x');").unwrap();
        let rows = vec![(1, "q one", vec![1u8; 1536]), (2, "q two", vec![2u8; 1536]), (3, "no such entry", vec![3u8; 1536])];
        assert_eq!(lib.store_embeddings("m", &rows).unwrap(), 2);
        assert_eq!(lib.embedding_coverage("m").unwrap(), (2, 2));
        // Same text written again: kept. Another text: dropped.
        lib.conn.execute("UPDATE entries SET question = 'q one' WHERE id = 1", []).unwrap();
        assert_eq!(lib.embedding_coverage("m").unwrap(), (2, 2));
        lib.conn.execute("UPDATE entries SET question = 'q one, reworded' WHERE id = 1", []).unwrap();
        assert_eq!(lib.entries_to_embed("m").unwrap(), vec![(1, "q one, reworded".to_string())]);
        lib.conn.execute("DELETE FROM entries WHERE id = 2", []).unwrap();
        let stored = |lib: &Library| {
            let mut seen = Vec::new();
            lib.each_embedding("m", |id, bytes| seen.push((id, bytes.len()))).unwrap();
            seen
        };
        assert!(stored(&lib).is_empty());
        // The non-waiting store, on an idle library (the busy case: tests/suggest.rs).
        assert_eq!(lib.try_store_embeddings("m", &[(1, "q one, reworded", vec![0u8; 1536])]).unwrap(), 1);
        assert_eq!(stored(&lib), vec![(1, 1536)]);
        // A vector that is not a blob (a damaged or hand-edited file) is passed over.
        lib.conn.execute("UPDATE entry_embeddings SET vector = 'text' WHERE entry_id = 1", []).unwrap();
        assert!(stored(&lib).is_empty());
    }
}
