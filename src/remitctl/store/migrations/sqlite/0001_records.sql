-- 1: records, append-only (remitctl 0.2).
CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,          -- UTC, when the officer logged it
    at TEXT NOT NULL,                   -- UTC, when it happened
    issue TEXT NOT NULL,                -- issue id
    area TEXT,                          -- area id (NULL: the registry has none)
    minutes REAL,
    ref TEXT,
    note TEXT,
    status TEXT NOT NULL,               -- covered | uncertain | uncovered, then
    service TEXT,                       -- the line covering it, or absorbing it
    registry_name TEXT NOT NULL,
    registry_sha256 TEXT NOT NULL,
    logged_by TEXT,
    supersedes INTEGER REFERENCES records(id)
);
CREATE INDEX records_supersedes ON records(supersedes);
CREATE TRIGGER records_never_updated BEFORE UPDATE ON records
BEGIN SELECT RAISE(ABORT, 'records are never edited; log a correction that supersedes it');
END;
CREATE TRIGGER records_never_deleted BEFORE DELETE ON records
BEGIN SELECT RAISE(ABORT, 'records are never deleted; log a correction that supersedes it');
END;
