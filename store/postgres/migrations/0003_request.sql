-- Schema version 3: applications (request.Store). One row per application,
-- its latest version only (the audit log keeps the history of every
-- transition). The fields a host or a sweep queries are typed columns:
-- identity, version, state, the parties, the entry, the five elements of
-- R8, the transition instants and sweep_at, the instant request.Store.Due
-- indexes (see storedDue in request.go), on a partial index. The list-shaped
-- history of the application (reply clock, extensions, answers, deliveries,
-- objections, corrections, notices, alerts, comments, revocation, closing,
-- announcement) is one JSON column, the stable JSON encoding of the request
-- package (enumerations by their codes, instants in RFC 3339 with
-- nanoseconds), with a layout number of its own in "layout". Enumerations
-- in typed columns are stored as their numbers in the Go packages
-- (request.State, govshare.Level, govshare.ShareAttribute); a share method
-- as its code. Instants in typed columns are timestamptz (microseconds).

CREATE TABLE {schema}.request_applications (
	id                      text        PRIMARY KEY,       -- chosen by the host at Create
	version                 bigint      NOT NULL CHECK (version > 0),
	state                   smallint    NOT NULL,          -- request.State
	requester               text        NOT NULL,          -- govshare.Department.ID() of the requester (需求部门)
	requester_name          text        NOT NULL,
	requester_credit_code   text        NOT NULL,
	requester_directory_id  text        NOT NULL,
	requester_region        text        NOT NULL,
	requester_level         smallint    NOT NULL,          -- govshare.Level
	provider                text        NOT NULL,          -- govshare.Department.ID() of the provider (提供部门)
	provider_name           text        NOT NULL,
	provider_credit_code    text        NOT NULL,
	provider_directory_id   text        NOT NULL,
	provider_region         text        NOT NULL,
	provider_level          smallint    NOT NULL,
	entry_id                text        NOT NULL,          -- 目录代码 of the catalog entry
	entry_version           bigint      NOT NULL,
	attribute               smallint    NOT NULL,          -- govshare.ShareAttribute; 0 until known
	renewal_of              text        NOT NULL,          -- '' unless a renewal
	basis                   text        NOT NULL,          -- 使用依据
	scenario                text        NOT NULL,          -- 使用场景
	items                   text[]      NOT NULL,          -- 使用范围: data items
	systems                 text[]      NOT NULL,          -- 使用范围: systems
	users                   text        NOT NULL,          -- 使用范围: users
	method                  text        NOT NULL,          -- 共享方式, govshare.ShareMethod code
	period_from             timestamptz NOT NULL,          -- 使用时限 [from, to)
	period_to               timestamptz NOT NULL,
	created_at              timestamptz NOT NULL,
	submitted_at            timestamptz,                   -- NULL before submission
	updated_at              timestamptz NOT NULL,
	received_at             timestamptz,                   -- NULL before the provider received it
	sweep_at                timestamptz,                   -- Store.Due's instant; NULL when nothing is due
	history                 json        NOT NULL           -- {"layout":1,...}: the list-shaped parts, see above
);

CREATE INDEX request_applications_due ON {schema}.request_applications (sweep_at) WHERE sweep_at IS NOT NULL;
CREATE INDEX request_applications_requester ON {schema}.request_applications (requester, entry_id);
CREATE INDEX request_applications_provider ON {schema}.request_applications (provider, state);
CREATE INDEX request_applications_entry ON {schema}.request_applications (entry_id);
