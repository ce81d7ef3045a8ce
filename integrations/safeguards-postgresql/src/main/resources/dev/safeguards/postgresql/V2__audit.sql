-- Safeguards schema version 2: one audit log for every replica (docs/audit-log-format.md, kept in the database).
-- Append-only: the application's role may only insert and read these tables (PostgresSchema.grant), and a trigger
-- refuses every UPDATE, DELETE and TRUNCATE, whoever asks. A superuser can still change rows; the log's tree and its
-- signed checkpoints (anchored off the database) show where.

-- The log: its origin (the name its checkpoints give it) and id, fixed when its first record is written.
CREATE TABLE ${schema}.audit_log (
  origin  text        PRIMARY KEY,
  log_id  uuid        NOT NULL UNIQUE,
  created timestamptz NOT NULL
);

-- The records, the leaves of the log's Merkle tree: each one's bytes exactly as the file format writes them.
-- subjects: the event's subject keys (AuditSubjects: user, session, address, entity; blind-index tokens when
-- identities are sealed), so that one patient's or one user's events are an index lookup, not a scan of the log.
CREATE TABLE ${schema}.audit_record (
  seq       bigint  PRIMARY KEY CHECK (seq > 0),
  record    bytea   NOT NULL,
  leaf_hash bytea   NOT NULL CHECK (length(leaf_hash) = 32),
  replica   text    NOT NULL,
  subjects  text[]  NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_record_subjects ON ${schema}.audit_record USING gin (subjects);

-- The roots of the tree's complete perfect subtrees at every eighth level (8, 16, ...), as C2SP tiles keep them; level
-- 0 is the records' leaf hashes, and any other root is computed from the stored level below it (at most 128 hashes).
CREATE TABLE ${schema}.audit_node (
  level smallint NOT NULL CHECK (level > 0 AND level % 8 = 0),
  idx   bigint   NOT NULL CHECK (idx >= 0),
  hash  bytea    NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (level, idx)
);

-- Every signed checkpoint (C2SP tlog-checkpoint signed notes), by the tree size it covers.
CREATE TABLE ${schema}.audit_checkpoint (
  size   bigint      PRIMARY KEY CHECK (size > 0),
  note   text        NOT NULL,
  signed timestamptz NOT NULL
);

-- The first step of every append, one round trip: takes the log's lock (held until the transaction ends), and says
-- how many records the log holds, its last checkpoint, and the leaf hashes after "after" (when at most "most"), so
-- that a writer brings its view of the tree up to date without reading it again.
CREATE FUNCTION ${schema}.audit_begin_append(after bigint, most integer,
    OUT log_size bigint, OUT checkpoint_size bigint, OUT checkpoint_signed timestamptz, OUT tail bytea[])
    LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('safeguards-audit:${schema}'));
  SELECT coalesce(max(r.seq), 0) INTO log_size FROM ${schema}.audit_record r;
  SELECT c.size, c.signed INTO checkpoint_size, checkpoint_signed FROM ${schema}.audit_checkpoint c
    ORDER BY c.size DESC LIMIT 1;
  IF log_size > after AND log_size - after <= most THEN
    SELECT array_agg(r.leaf_hash ORDER BY r.seq) INTO tail FROM ${schema}.audit_record r WHERE r.seq > after;
  END IF;
END
$$;

CREATE FUNCTION ${schema}.audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Statement triggers: they refuse the statement whether or not it would touch a row.
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${schema}.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.audit_append_only();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${schema}.audit_record
  FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.audit_append_only();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${schema}.audit_node
  FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.audit_append_only();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${schema}.audit_checkpoint
  FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.audit_append_only();

