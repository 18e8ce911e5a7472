-- Schema version 2: audit logs (audit.Log). A database holds any number of
-- named logs; each has a head row in audit_logs (its header and the size
-- and last hash of its chain), which an append locks FOR UPDATE, seals the
-- next record from and advances in the same transaction as the insert: the
-- sequence numbers are gapless and the chain has one order. The event's
-- fields are typed columns; only its open-ended details are JSON, kept as
-- the canonical bytes the record hash covers.

CREATE TABLE {schema}.audit_logs (
	name       text        PRIMARY KEY,                   -- the host's name of the log
	log_id     bytea       NOT NULL CHECK (length(log_id) = 16),
	algorithm  smallint    NOT NULL,                      -- audit.Algorithm: 1 SM3, 2 SHA-256
	keyed      boolean     NOT NULL,                      -- record hashes are HMACs
	key_check  bytea       NOT NULL CHECK (length(key_check) = 32), -- zero bytes when unkeyed
	size       bigint      NOT NULL CHECK (size >= 0),    -- the number of records: the next seq
	head       bytea       NOT NULL CHECK (length(head) = 32), -- the last record's hash; zero when empty
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE {schema}.audit_records (
	log                    text     NOT NULL REFERENCES {schema}.audit_logs (name),
	seq                    bigint   NOT NULL CHECK (seq >= 0),
	prev                   bytea    NOT NULL,              -- the previous record's hash
	hash                   bytea    NOT NULL,              -- this record's hash (an HMAC when keyed)
	time_ns                bigint   NOT NULL,              -- event time, Unix nanoseconds (timestamptz keeps microseconds)
	actor_id               text     NOT NULL,
	actor_name             text     NOT NULL,
	actor_role             smallint NOT NULL,              -- govshare.Role
	department             text     NOT NULL,              -- govshare.Department.ID(): what Filter.Department matches
	department_name        text     NOT NULL,
	department_credit_code text     NOT NULL,
	department_directory_id text    NOT NULL,
	department_region      text     NOT NULL,
	department_level       smallint NOT NULL,              -- govshare.Level
	action                 text COLLATE "C" NOT NULL,      -- e.g. request.submit
	target_kind            text     NOT NULL,
	target_id              text     NOT NULL,
	outcome                smallint NOT NULL,              -- audit.Outcome: 1 success, 2 failure
	error_code             text     NOT NULL,
	details                json,                           -- the details as canonical JSON (RFC 8785), the bytes the hash covers; NULL when none
	correlation_id         text     NOT NULL,
	PRIMARY KEY (log, seq)
);

CREATE INDEX audit_records_action ON {schema}.audit_records (log, action, seq);
CREATE INDEX audit_records_target ON {schema}.audit_records (log, target_kind, target_id, seq);
CREATE INDEX audit_records_actor ON {schema}.audit_records (log, actor_id, seq);
CREATE INDEX audit_records_department ON {schema}.audit_records (log, department, seq);
CREATE INDEX audit_records_time ON {schema}.audit_records (log, time_ns, seq);

CREATE TABLE {schema}.audit_checkpoints (
	log                 text     NOT NULL REFERENCES {schema}.audit_logs (name),
	n                   bigint   NOT NULL,                 -- 0, 1, …: the order they were taken
	size                bigint   NOT NULL,
	root                bytea    NOT NULL,
	head                bytea    NOT NULL,
	time_ns             bigint   NOT NULL,
	signature_algorithm smallint NOT NULL,                 -- audit.SignatureAlgorithm
	signature           bytea    NOT NULL,
	PRIMARY KEY (log, n)
);
