-- 1: records, hash-chained, with their anchor and guards; run by `remitctl log --init-db`
-- as the owner role (which owns everything here). Writers get INSERT and SELECT only,
-- through the role remitctl_writer (made here when missing: that needs CREATEROLE, or an
-- administrator makes it first, docs/evidence.md).
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'remitctl_writer') THEN
    CREATE ROLE remitctl_writer NOLOGIN;
  END IF;
END $$;

CREATE TABLE records (
    id bigint PRIMARY KEY CHECK (id > 0),
    recorded_at text NOT NULL,
    at text NOT NULL,
    issue text NOT NULL,
    area text,
    minutes double precision,
    ref text,
    note text,
    status text NOT NULL,
    service text,
    registry_name text NOT NULL,
    registry_sha256 text NOT NULL,
    logged_by text,
    supersedes bigint REFERENCES records(id),
    prev_hash text NOT NULL,
    hash text NOT NULL
);
CREATE INDEX records_supersedes ON records(supersedes);

CREATE TABLE chain_head (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    count bigint NOT NULL,
    last_id bigint NOT NULL,
    hash text NOT NULL
);
INSERT INTO chain_head VALUES (true, 0, 0, repeat('0', 64));

CREATE FUNCTION remitctl_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'remitctl: % on %: records are never edited or deleted; log a correction that supersedes it',
    TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;

-- Advances the anchor with each record; SECURITY DEFINER so writers need no UPDATE on it.
CREATE FUNCTION remitctl_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT AS $$
DECLARE head chain_head%ROWTYPE;
BEGIN
  SELECT * INTO head FROM chain_head WHERE one FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'remitctl: the anchor of the chain is missing';
  END IF;
  IF NEW.id <> head.last_id + 1 OR NEW.prev_hash <> head.hash THEN
    RAISE EXCEPTION 'remitctl: record #% does not follow the head of the chain (#%)',
      NEW.id, head.last_id USING ERRCODE = 'serialization_failure';
  END IF;
  UPDATE chain_head SET count = head.count + 1, last_id = NEW.id, hash = NEW.hash WHERE one;
  RETURN NEW;
END $$;

CREATE FUNCTION remitctl_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
    RETURN NEW;  -- remitctl_chain, as a record is inserted
  END IF;
  RAISE EXCEPTION 'remitctl: % on chain_head: the anchor moves only when a record is logged',
    TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER records_chained BEFORE INSERT ON records
  FOR EACH ROW EXECUTE FUNCTION remitctl_chain();
CREATE TRIGGER records_never_updated BEFORE UPDATE ON records
  FOR EACH ROW EXECUTE FUNCTION remitctl_refuse();
CREATE TRIGGER records_never_deleted BEFORE DELETE ON records
  FOR EACH ROW EXECUTE FUNCTION remitctl_refuse();
CREATE TRIGGER records_never_truncated BEFORE TRUNCATE ON records
  FOR EACH STATEMENT EXECUTE FUNCTION remitctl_refuse();
CREATE TRIGGER chain_head_guarded BEFORE UPDATE OR DELETE ON chain_head
  FOR EACH ROW EXECUTE FUNCTION remitctl_head_guard();
CREATE TRIGGER chain_head_never_truncated BEFORE TRUNCATE ON chain_head
  FOR EACH STATEMENT EXECUTE FUNCTION remitctl_head_guard();

REVOKE ALL ON records, chain_head FROM PUBLIC;
GRANT SELECT, INSERT ON records TO remitctl_writer;
GRANT SELECT ON chain_head TO remitctl_writer;
