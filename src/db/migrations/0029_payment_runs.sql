-- Payment runs and statements (ADR 0027). A hub opens a run for a period; the approved claims not
-- yet paid become statement lines, one statement per school, and every paid item whose amount
-- owed has changed since gets a correction line (positive or negative) that names the line it
-- corrects. Issuing the run locks it: a statement and its lines are never changed after, and a
-- later correction is a line in a later run.

CREATE TABLE payment_runs (
  id bigserial PRIMARY KEY,
  hub_id text NOT NULL REFERENCES hubs (id),
  period_start date NOT NULL,
  period_end date NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'issued')),
  opened_by bigint REFERENCES people (id),
  opened_at timestamptz NOT NULL,
  issued_by bigint REFERENCES people (id),
  issued_at timestamptz,
  CHECK (period_end >= period_start),
  CHECK ((state = 'issued') = (issued_at IS NOT NULL))
);
-- One open run per hub at a time.
CREATE UNIQUE INDEX payment_runs_one_open ON payment_runs (hub_id) WHERE state = 'open';
CREATE INDEX payment_runs_hub ON payment_runs (hub_id, period_end);

CREATE TABLE statements (
  id bigserial PRIMARY KEY,
  payment_run_id bigint NOT NULL REFERENCES payment_runs (id),
  school_urn integer NOT NULL REFERENCES schools (urn),
  total_pence integer NOT NULL,
  CONSTRAINT statements_one_per_school UNIQUE (payment_run_id, school_urn)
);

CREATE TABLE statement_lines (
  id bigserial PRIMARY KEY,
  statement_id bigint NOT NULL REFERENCES statements (id),
  owed_item_id bigint NOT NULL REFERENCES owed_items (id),
  -- The claim line it pays; null for a correction.
  claim_line_id bigint REFERENCES funding_claim_lines (id),
  -- A correction names the line it corrects (the item's latest line before it).
  corrects_line_id bigint REFERENCES statement_lines (id),
  amount_pence integer NOT NULL CHECK (amount_pence <> 0),
  description text NOT NULL CHECK (length(description) <= 500),
  CHECK ((claim_line_id IS NULL) = (corrects_line_id IS NOT NULL))
);
-- A claim line is paid once.
CREATE UNIQUE INDEX statement_lines_claim_line_paid_once ON statement_lines (claim_line_id)
  WHERE claim_line_id IS NOT NULL;
CREATE INDEX statement_lines_statement ON statement_lines (statement_id);
CREATE INDEX statement_lines_item ON statement_lines (owed_item_id);

-- An issued run's statements and lines never change; nor does an issued run.
CREATE FUNCTION statements_locked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  run_state text;
BEGIN
  IF TG_TABLE_NAME = 'payment_runs' THEN
    IF OLD.state = 'issued' THEN
      RAISE EXCEPTION 'payment run % is issued and locked', OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  ELSIF TG_TABLE_NAME = 'statements' THEN
    SELECT state INTO run_state FROM payment_runs WHERE id = OLD.payment_run_id;
  ELSE
    SELECT r.state INTO run_state FROM statements s JOIN payment_runs r ON r.id = s.payment_run_id
    WHERE s.id = OLD.statement_id;
  END IF;
  IF run_state = 'issued' THEN
    RAISE EXCEPTION '% of an issued payment run is locked', TG_TABLE_NAME;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER payment_runs_locked BEFORE UPDATE OR DELETE ON payment_runs
  FOR EACH ROW EXECUTE FUNCTION statements_locked();
CREATE TRIGGER statements_locked BEFORE UPDATE OR DELETE ON statements
  FOR EACH ROW EXECUTE FUNCTION statements_locked();
CREATE TRIGGER statement_lines_locked BEFORE UPDATE OR DELETE ON statement_lines
  FOR EACH ROW EXECUTE FUNCTION statements_locked();
