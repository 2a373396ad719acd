CREATE TABLE ledger_entries (id TEXT PRIMARY KEY, amount_cents BIGINT NOT NULL, currency CHAR(3) NOT NULL);
-- rollback: DROP TABLE ledger_entries;
