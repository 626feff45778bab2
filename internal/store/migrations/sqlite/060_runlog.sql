-- +goose Up
-- The run log at a million outcomes (SPEC OP3, issue 23). Search compares what people type:
-- search_name is the name folded (lower case, no accents) and search_doc the document's letters
-- and digits only, both written by InsertOutcome; existing rows are folded here as well as SQL can.
ALTER TABLE outcomes ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
ALTER TABLE outcomes ADD COLUMN search_doc TEXT NOT NULL DEFAULT '';
UPDATE outcomes SET search_name = REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(LOWER(name), 'á', 'a'), 'à', 'a'), 'â', 'a'), 'ã', 'a'), 'ä', 'a'), 'Á', 'a'), 'À', 'a'), 'Â', 'a'), 'Ã', 'a'), 'Ä', 'a'), 'é', 'e'), 'è', 'e'), 'ê', 'e'), 'ë', 'e'), 'É', 'e'), 'È', 'e'), 'Ê', 'e'), 'Ë', 'e'), 'í', 'i'), 'ì', 'i'), 'î', 'i'), 'ï', 'i'), 'Í', 'i'), 'Ì', 'i'), 'Î', 'i'), 'Ï', 'i'), 'ó', 'o'), 'ò', 'o'), 'ô', 'o'), 'õ', 'o'), 'ö', 'o'), 'Ó', 'o'), 'Ò', 'o'), 'Ô', 'o'), 'Õ', 'o'), 'Ö', 'o'), 'ú', 'u'), 'ù', 'u'), 'û', 'u'), 'ü', 'u'), 'Ú', 'u'), 'Ù', 'u'), 'Û', 'u'), 'Ü', 'u'), 'ç', 'c'), 'Ç', 'c'), 'ñ', 'n'), 'Ñ', 'n'),
    search_doc = UPPER(REPLACE(REPLACE(REPLACE(REPLACE(document, '.', ''), '-', ''), '/', ''), ' ', ''));

-- Pages are read newest first by (at, id), by keyset; one index per filter that can lead.
CREATE INDEX outcomes_at ON outcomes (integration_id, at, id);
CREATE INDEX outcomes_flow_at ON outcomes (integration_id, flow, at, id);
CREATE INDEX outcomes_action_at ON outcomes (integration_id, action, at, id);
CREATE INDEX outcomes_reason_at ON outcomes (integration_id, reason, at, id);
CREATE INDEX outcomes_doc ON outcomes (integration_id, search_doc);

-- Per-run counts by flow, action and reason, kept by triggers in the same statement as the
-- outcome, so the reason list and the totals never count the whole history. Outcomes outside a
-- run count under run_id 0.
CREATE TABLE outcome_counts (
    tenant_id      INTEGER NOT NULL,
    integration_id INTEGER NOT NULL,
    run_id         INTEGER NOT NULL,
    flow           TEXT NOT NULL,
    action         TEXT NOT NULL,
    reason         TEXT NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (integration_id, run_id, flow, action, reason)
);
INSERT INTO outcome_counts (tenant_id, integration_id, run_id, flow, action, reason, n)
    SELECT tenant_id, integration_id, COALESCE(run_id, 0), flow, action, reason, COUNT(*)
    FROM outcomes GROUP BY tenant_id, integration_id, COALESCE(run_id, 0), flow, action, reason;

-- +goose StatementBegin
CREATE TRIGGER outcomes_count_insert AFTER INSERT ON outcomes BEGIN
    INSERT INTO outcome_counts (tenant_id, integration_id, run_id, flow, action, reason, n)
    VALUES (NEW.tenant_id, NEW.integration_id, COALESCE(NEW.run_id, 0), NEW.flow, NEW.action, NEW.reason, 1)
    ON CONFLICT (integration_id, run_id, flow, action, reason) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outcomes_count_delete AFTER DELETE ON outcomes BEGIN
    UPDATE outcome_counts SET n = n - 1
    WHERE integration_id = OLD.integration_id AND run_id = COALESCE(OLD.run_id, 0) AND flow = OLD.flow
        AND action = OLD.action AND reason = OLD.reason;
END;
-- +goose StatementEnd

-- Retention (issue 23) finds old rows by time.
CREATE INDEX runs_started ON runs (started_at);
CREATE INDEX cycles_started ON cycles (started_at);
CREATE INDEX link_events_at ON link_events (at);
CREATE INDEX runs_cycle ON runs (cycle_id);

-- +goose Down
DROP INDEX runs_cycle;
DROP INDEX link_events_at;
DROP INDEX cycles_started;
DROP INDEX runs_started;
DROP TRIGGER outcomes_count_delete;
DROP TRIGGER outcomes_count_insert;
DROP TABLE outcome_counts;
DROP INDEX outcomes_doc;
DROP INDEX outcomes_reason_at;
DROP INDEX outcomes_action_at;
DROP INDEX outcomes_flow_at;
DROP INDEX outcomes_at;
ALTER TABLE outcomes DROP COLUMN search_doc;
ALTER TABLE outcomes DROP COLUMN search_name;
