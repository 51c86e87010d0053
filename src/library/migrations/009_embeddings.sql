-- Sentence embeddings of the entries' questions (src/suggest/meaning.rs), computed once and kept
-- so that suggesting never runs the model over the library again. One row per entry: `model` is
-- the model's id (a hash of its files and of the way embeddings are computed), so a new model
-- finds every row stale and re-embeds; `vector` is 384 little-endian f32s. An encrypted library
-- keeps them encrypted with everything else (they are pages of the same SQLCipher file).
--
-- An embedding belongs to the question text it was computed from: changing an entry's question
-- deletes it (trigger below), and a writer stores one only while the question is still the text
-- it embedded (see Library::store_embeddings). Deleting an entry deletes its embedding.
CREATE TABLE entry_embeddings (
    entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    model    TEXT NOT NULL,
    vector   BLOB NOT NULL
);

CREATE TRIGGER entry_embeddings_question_update AFTER UPDATE OF question ON entries
WHEN old.question IS NOT new.question BEGIN
    DELETE FROM entry_embeddings WHERE entry_id = old.id;
END;
