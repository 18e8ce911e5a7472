-- Schema version 1: the catalog (catalog.Store). Every version of every
-- entry is a row of catalog_entries, its data items rows of catalog_items.
-- The versions Find can return — the latest of each entry, and the one in
-- force while a newer draft hides it — are the rows with latest or
-- in_force set, and only they are in the partial indexes Find uses.
-- Enumerations are stored as their numbers in the Go packages (catalog,
-- classify, govshare); text is stored as given.

CREATE SEQUENCE {schema}.catalog_change_seq;

CREATE TABLE {schema}.catalog_entries (
	id                    text        NOT NULL,           -- 目录代码
	version               bigint      NOT NULL CHECK (version > 0),
	change_seq            bigint      NOT NULL DEFAULT nextval('{schema}.catalog_change_seq'), -- order of change: Find's order
	status                smallint    NOT NULL,           -- catalog.Status: 1 draft, 2 published, 3 withdrawn
	latest                boolean     NOT NULL,           -- the entry's latest version
	in_force              boolean     NOT NULL,           -- the published version in force
	resource_class        text        NOT NULL,
	name                  text        NOT NULL,
	summary               text        NOT NULL,
	provider_name         text        NOT NULL,
	provider_credit_code  text        NOT NULL,           -- 统一社会信用代码, '' if none
	provider_directory_id text        NOT NULL,
	provider_region       text COLLATE "C" NOT NULL,      -- 行政区划代码, '' if none
	provider_level        smallint    NOT NULL,           -- govshare.Level
	provider_code         text        NOT NULL,
	level                 smallint    NOT NULL,           -- catalog.Level
	format                smallint    NOT NULL,           -- catalog.Format
	frequency             smallint    NOT NULL,           -- catalog.Frequency
	share                 smallint    NOT NULL,           -- govshare.ShareAttribute
	conditions            text        NOT NULL,
	legal_basis           text        NOT NULL,
	methods               text[]      NOT NULL,           -- govshare.ShareMethod codes, in order
	category              text        NOT NULL,           -- classify.Category
	grade                 smallint    NOT NULL,           -- classify.Grade
	open_attribute        smallint    NOT NULL,           -- catalog.OpenAttribute
	related               text[]      NOT NULL,
	release_date          date,                           -- NULL when not given
	updated_at            timestamptz NOT NULL,
	published_at          timestamptz,                    -- NULL before the first publication
	search_text           text        NOT NULL,           -- catalog.SearchText: what Find's text matches
	search_features       bigint[]    NOT NULL,           -- catalog.TextFeatures of search_text
	PRIMARY KEY (id, version)
);

-- At most one latest and one version in force per entry.
CREATE UNIQUE INDEX catalog_entries_latest ON {schema}.catalog_entries (id) WHERE latest;
CREATE UNIQUE INDEX catalog_entries_in_force ON {schema}.catalog_entries (id) WHERE in_force;
-- Find: order of change, and each filter, over the documents only.
CREATE INDEX catalog_entries_latest_order ON {schema}.catalog_entries (change_seq DESC) WHERE latest;
CREATE INDEX catalog_entries_in_force_order ON {schema}.catalog_entries (change_seq DESC) WHERE in_force;
CREATE INDEX catalog_entries_provider_code ON {schema}.catalog_entries (provider_credit_code, change_seq DESC) WHERE latest OR in_force;
CREATE INDEX catalog_entries_provider_name ON {schema}.catalog_entries (provider_name, change_seq DESC) WHERE latest OR in_force;
CREATE INDEX catalog_entries_region ON {schema}.catalog_entries (provider_region, change_seq DESC) WHERE latest OR in_force;
CREATE INDEX catalog_entries_features ON {schema}.catalog_entries USING gin (search_features) WHERE latest OR in_force;
CREATE INDEX catalog_entries_methods ON {schema}.catalog_entries USING gin (methods) WHERE latest OR in_force;

CREATE TABLE {schema}.catalog_items (
	id          text     NOT NULL,
	version     bigint   NOT NULL,
	position    integer  NOT NULL,                        -- 0-based, the order of Entry.Items
	name        text     NOT NULL,
	column_name text     NOT NULL,
	data_type   smallint NOT NULL,                        -- catalog.DataType
	length      integer  NOT NULL,
	description text     NOT NULL,
	share       smallint NOT NULL,                        -- govshare.ShareAttribute; 0: the entry's
	kind        smallint NOT NULL,                        -- classify.Kind
	PRIMARY KEY (id, version, position),
	FOREIGN KEY (id, version) REFERENCES {schema}.catalog_entries (id, version) ON DELETE CASCADE
);
