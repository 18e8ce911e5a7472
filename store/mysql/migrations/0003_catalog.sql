-- Schema version 3: the catalog (catalog.Store). Every version of every
-- entry is a row of catalog_entries, its data items rows of
-- catalog_items. The versions Find can return — the latest of each entry
-- (latest = 1) and the one in force while a newer draft hides it
-- (in_force = 1) — are flagged; a write locks the entry's latest row and
-- moves the flags in the same transaction. change_seq orders Find, most
-- recently changed first. Enumerations are stored as their numbers in the
-- Go packages (catalog, classify, govshare); text as given, utf8mb4_bin.

CREATE TABLE IF NOT EXISTS {catalog_entries} (
	id                    VARCHAR(191)  NOT NULL,          -- 目录代码
	version               BIGINT        NOT NULL,
	change_seq            BIGINT        NOT NULL AUTO_INCREMENT, -- Find's order
	status                TINYINT       NOT NULL,          -- catalog.Status: 1 draft, 2 published, 3 withdrawn
	latest                TINYINT       NOT NULL,          -- 1: the entry's latest version
	in_force              TINYINT       NOT NULL,          -- 1: the published version in force
	resource_class        VARCHAR(255)  NOT NULL,
	name                  TEXT          NOT NULL,
	summary               TEXT          NOT NULL,
	provider_name         VARCHAR(255)  NOT NULL,
	provider_credit_code  VARCHAR(64)   NOT NULL,          -- 统一社会信用代码, '' if none
	provider_directory_id VARCHAR(255)  NOT NULL,
	provider_region       VARCHAR(16)   NOT NULL,          -- 行政区划代码, '' if none
	provider_level        TINYINT       NOT NULL,          -- govshare.Level
	provider_code         VARCHAR(255)  NOT NULL,
	level                 TINYINT       NOT NULL,          -- catalog.Level
	format                TINYINT       NOT NULL,          -- catalog.Format
	frequency             TINYINT       NOT NULL,          -- catalog.Frequency
	share                 TINYINT       NOT NULL,          -- govshare.ShareAttribute
	conditions            TEXT          NOT NULL,
	legal_basis           TEXT          NOT NULL,
	methods               TEXT          NOT NULL,          -- govshare.ShareMethod codes in order, a JSON array of strings
	methods_key           TEXT          NOT NULL,          -- the same as ",code,code,": what Find's Method looks for
	category              VARCHAR(255)  NOT NULL,          -- classify.Category
	grade                 TINYINT       NOT NULL,          -- classify.Grade
	open_attribute        TINYINT       NOT NULL,          -- catalog.OpenAttribute
	related               TEXT          NOT NULL,          -- a JSON array of strings
	release_date          CHAR(10)      NULL,              -- YYYY-MM-DD; NULL when not given
	updated_ns            BIGINT        NOT NULL,
	published_ns          BIGINT        NULL,              -- NULL before the first publication
	search_text           LONGTEXT      NOT NULL,          -- catalog.SearchText: what Find's Text is looked for in
	PRIMARY KEY (id, version),
	UNIQUE KEY catalog_entries_order (change_seq),
	KEY catalog_entries_latest (latest, change_seq),
	KEY catalog_entries_in_force (in_force, change_seq),
	KEY catalog_entries_provider_code (provider_credit_code, change_seq),
	KEY catalog_entries_provider_name (provider_name(191), change_seq),
	KEY catalog_entries_region (provider_region, change_seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS {catalog_items} (
	id          VARCHAR(191) NOT NULL,
	version     BIGINT       NOT NULL,
	position    INT          NOT NULL,                     -- 0-based, the order of Entry.Items
	name        TEXT         NOT NULL,
	column_name TEXT         NOT NULL,
	data_type   TINYINT      NOT NULL,                     -- catalog.DataType
	length      INT          NOT NULL,
	description TEXT         NOT NULL,
	share       TINYINT      NOT NULL,                     -- govshare.ShareAttribute; 0: the entry's
	kind        TINYINT      NOT NULL,                     -- classify.Kind
	PRIMARY KEY (id, version, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
