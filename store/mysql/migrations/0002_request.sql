-- Schema version 2: applications (request.Store) and their change feed.
-- An application is one row: the columns the store and a host query on
-- are typed (state, parties, entry, instants as Unix nanoseconds, the due
-- instant Sweep looks for), and its history — clock, extensions, answers,
-- deliveries, objections, corrections, notices, alerts, comments — is the
-- application's JSON form (request.Application's documented encoding,
-- format 1) in doc. Every stored transition also adds a row to
-- request_changes, numbered by the single counter row of request_feed,
-- which the transaction locks (UPDATE) so that changes are numbered in
-- commit order: a replica that polls the table never skips one.

CREATE TABLE IF NOT EXISTS {applications} (
	id             VARCHAR(191) NOT NULL,
	version        BIGINT       NOT NULL,
	state          TINYINT      NOT NULL,             -- request.State
	requester      VARCHAR(191) NOT NULL,             -- govshare.Department.ID() of the 需求部门
	provider       VARCHAR(191) NOT NULL,             -- govshare.Department.ID() of the 提供部门
	entry_id       VARCHAR(191) NOT NULL,
	entry_version  BIGINT       NOT NULL,
	renewal_of     VARCHAR(191) NOT NULL,             -- '' when not a renewal
	created_ns     BIGINT       NOT NULL,
	updated_ns     BIGINT       NOT NULL,
	sweep_at_ns    BIGINT       NULL,                 -- Application.SweepAt (what Due looks for); NULL when none
	doc_format     TINYINT      NOT NULL,             -- 1: doc is request.Application's JSON form
	doc            LONGTEXT     NOT NULL,
	PRIMARY KEY (id),
	KEY applications_sweep (sweep_at_ns),
	KEY applications_requester (requester, updated_ns),
	KEY applications_provider (provider, updated_ns),
	KEY applications_entry (entry_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS {request_feed} (
	id  TINYINT NOT NULL,                             -- always 1
	seq BIGINT  NOT NULL,                             -- the last change's seq
	PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT IGNORE INTO {request_feed} (id, seq) VALUES (1, 0);

CREATE TABLE IF NOT EXISTS {request_changes} (
	seq         BIGINT       NOT NULL,                -- 1, 2, …: commit order
	application VARCHAR(191) NOT NULL,
	version     BIGINT       NOT NULL,
	at_ns       BIGINT       NOT NULL,                -- when it was committed, by the writer's clock (for pruning)
	PRIMARY KEY (seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
