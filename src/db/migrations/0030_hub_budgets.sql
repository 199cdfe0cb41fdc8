-- Budgets (ADR 0027): what NCETM allocates each hub for a financial year (April to March), in
-- pence. A change is a new allocation row, never an edit; the latest is the budget.
CREATE TABLE hub_budget_allocations (
  id bigserial PRIMARY KEY,
  hub_id text NOT NULL REFERENCES hubs (id),
  -- The financial year by its first calendar year: 2026 is 1 April 2026 to 31 March 2027.
  financial_year integer NOT NULL CHECK (financial_year BETWEEN 2014 AND 2100),
  allocated_pence bigint NOT NULL CHECK (allocated_pence BETWEEN 0 AND 100000000000),
  reason text CHECK (reason IS NULL OR length(reason) <= 2000),
  set_by bigint REFERENCES people (id),
  set_at timestamptz NOT NULL
);
CREATE INDEX hub_budget_allocations_hub ON hub_budget_allocations (hub_id, financial_year, id);

CREATE TRIGGER hub_budget_allocations_no_update_or_delete
  BEFORE UPDATE OR DELETE ON hub_budget_allocations
  FOR EACH ROW EXECUTE FUNCTION funding_append_only();
