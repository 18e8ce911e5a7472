-- Schema version 1: audit logs (audit.Log). A database holds any number of
-- named logs; each has a head row in audit_logs (its header and the size
-- and last hash of its chain), which an append locks with SELECT … FOR
-- UPDATE, seals the next record from and advances in the same transaction
-- as the insert: the sequence numbers are gapless and the chain has one
-- order. The event's fields are typed columns; only its open-ended details
-- are JSON, kept as the canonical bytes (RFC 8785) the record hash covers,
-- in a LONGTEXT with a binary collation (MySQL 8's JSON type would
-- rewrite them). Instants are Unix nanoseconds in BIGINT columns, never
-- DATETIME or TIMESTAMP, so no time zone of server or client matters.

CREATE TABLE IF NOT EXISTS {audit_logs} (
	name       VARCHAR(64)  NOT NULL,                     -- the host's name of the log
	log_id     BINARY(16)   NOT NULL,
	algorithm  TINYINT      NOT NULL,                     -- audit.Algorithm: 1 SM3, 2 SHA-256
	keyed      TINYINT      NOT NULL,                     -- 1: record hashes are HMACs
	key_check  BINARY(32)   NOT NULL,                     -- zero bytes when unkeyed
	size       BIGINT       NOT NULL,                     -- the number of records: the next seq
	head       BINARY(32)   NOT NULL,                     -- the last record's hash; zero when empty
	created_ns BIGINT       NOT NULL,
	PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS {audit_records} (
	log                     VARCHAR(64)  NOT NULL,
	seq                     BIGINT       NOT NULL,
	prev                    BINARY(32)   NOT NULL,         -- the previous record's hash
	hash                    BINARY(32)   NOT NULL,         -- this record's hash (an HMAC when keyed)
	leaf                    BINARY(32)   NOT NULL,         -- the RFC 6962 leaf hash, for proofs (Verify recomputes it)
	time_ns                 BIGINT       NOT NULL,         -- event time, Unix nanoseconds
	actor_id                TEXT         NOT NULL,
	actor_name              TEXT         NOT NULL,
	actor_role              TINYINT      NOT NULL,         -- govshare.Role
	department              TEXT         NOT NULL,         -- govshare.Department.ID(): the credit code, or dir: and the directory id
	department_name         TEXT         NOT NULL,
	department_region       TEXT         NOT NULL,
	department_level        TINYINT      NOT NULL,         -- govshare.Level
	action                  VARCHAR(255) NOT NULL,         -- e.g. request.submit
	target_kind             VARCHAR(255) NOT NULL,
	target_id               TEXT         NOT NULL,
	outcome                 TINYINT      NOT NULL,         -- audit.Outcome: 1 success, 2 failure
	error_code              TEXT         NOT NULL,
	details                 LONGTEXT     NULL,             -- canonical JSON (RFC 8785); NULL when none
	correlation_id          TEXT         NOT NULL,
	PRIMARY KEY (log, seq),
	KEY audit_records_action (log, action(191), seq),
	KEY audit_records_target (log, target_kind(64), target_id(191), seq),
	KEY audit_records_actor (log, actor_id(191), seq),
	KEY audit_records_department (log, department(64), seq),
	KEY audit_records_time (log, time_ns, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS {audit_checkpoints} (
	log                 VARCHAR(64)  NOT NULL,
	n                   BIGINT       NOT NULL,             -- 0, 1, …: the order they were taken
	size                BIGINT       NOT NULL,
	root                BINARY(32)   NOT NULL,
	head                BINARY(32)   NOT NULL,
	time_ns             BIGINT       NOT NULL,
	signature_algorithm TINYINT      NOT NULL,             -- audit.SignatureAlgorithm
	signature           VARBINARY(1024) NOT NULL,
	PRIMARY KEY (log, n)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
