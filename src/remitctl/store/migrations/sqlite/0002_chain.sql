-- 2: the hash chain and its anchor. Records already logged are chained in order by the
-- engine right after this file (sqlite.py: _backfill), before 0003 puts the guard back.
ALTER TABLE records ADD COLUMN prev_hash TEXT;
ALTER TABLE records ADD COLUMN hash TEXT;
CREATE TABLE chain_head (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    count INTEGER NOT NULL,
    last_id INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO chain_head VALUES (1, 0, 0, '0000000000000000000000000000000000000000000000000000000000000000');
DROP TRIGGER records_never_updated;
