-- Identity and an anchored audit log.
--
-- 1. The file says it is a Quire library (SQLite's application id, ASCII "Quir"), so Quire can
--    refuse another program's database without writing to it.
-- 2. The audit log's head (how many records, the last hash) is kept in audit_anchor, with an
--    HMAC-SHA256 over both under a key of the library (settings.audit_key), updated by a trigger
--    with every record. Deleting records from the end of the log, which the chain alone cannot
--    show, now leaves the anchor pointing past the end; `quire audit verify` says so. Records
--    for rows that existed before the log (migration 007) are added by Quire right after this
--    migration, in the same transaction, with the action 'existing'.
PRAGMA application_id = 1366649202;

INSERT OR IGNORE INTO settings(key, value) VALUES ('audit_key', lower(hex(randomblob(32))));

CREATE TABLE audit_anchor (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    records INTEGER NOT NULL,
    head    TEXT NOT NULL,
    mac     TEXT NOT NULL
);

CREATE TRIGGER audit_log_anchor AFTER INSERT ON audit_log
BEGIN
    INSERT INTO audit_anchor(id, records, head, mac)
    VALUES (1, NEW.id, NEW.hash, quire_anchor(NEW.id, NEW.hash, (SELECT value FROM settings WHERE key = 'audit_key')))
    ON CONFLICT(id) DO UPDATE SET records = excluded.records, head = excluded.head, mac = excluded.mac;
END;
