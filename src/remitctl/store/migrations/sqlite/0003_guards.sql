-- 3: guards. A record must follow the anchor (so INSERT OR REPLACE of an old id is
-- refused too), the anchor moves with each record, and nothing is edited or deleted.
CREATE TRIGGER records_never_updated BEFORE UPDATE ON records
BEGIN SELECT RAISE(ABORT, 'records are never edited; log a correction that supersedes it');
END;
CREATE TRIGGER records_chained BEFORE INSERT ON records
WHEN NEW.id IS NOT (SELECT last_id + 1 FROM chain_head)
  OR NEW.prev_hash IS NOT (SELECT hash FROM chain_head) OR NEW.hash IS NULL
BEGIN SELECT RAISE(ABORT, 'a record must follow the head of the chain'); END;
CREATE TRIGGER records_advance_head AFTER INSERT ON records
BEGIN UPDATE chain_head SET count = count + 1, last_id = NEW.id, hash = NEW.hash; END;
CREATE TRIGGER chain_head_never_deleted BEFORE DELETE ON chain_head
BEGIN SELECT RAISE(ABORT, 'the anchor of the chain is never deleted'); END;
