-- Schema version 4: the change feed of applications (request.ChangeFeed).
-- Every stored transition adds a row to request_changes in the same
-- transaction as the application, numbered from the one-row counter
-- request_change_head, which the transaction updates last: the update
-- locks the row until the commit, so sequence numbers are gapless and
-- become visible in their order (a reader that sees seq s sees every
-- smaller one). The transaction also sends pg_notify on the feed's channel
-- (govshare_ and a hash of the schema name) with the seq; a replica that
-- misses the notification finds the change at its next read of the
-- sequence.

CREATE TABLE {schema}.request_change_head (
	one boolean PRIMARY KEY DEFAULT true CHECK (one),
	seq bigint  NOT NULL CHECK (seq >= 0)                  -- the last seq given out
);
INSERT INTO {schema}.request_change_head (one, seq) VALUES (true, 0);

CREATE TABLE {schema}.request_changes (
	seq          bigint      PRIMARY KEY CHECK (seq > 0),
	application  text        NOT NULL,                     -- request_applications.id
	version      bigint      NOT NULL CHECK (version > 0), -- the version stored
	committed_at timestamptz NOT NULL DEFAULT now()        -- the transaction's start, for operators
);
