-- Claims (ADR 0027): a school, or a specialist for their own school, claims owed items; the hub
-- approves or rejects each claim, and a claim above NCETM's threshold needs NCETM finance approval
-- as well. A line claims one owed item for its amount at the time; an item is held by at most one
-- claim that is not rejected, whatever the race (a partial unique index), and a rejection frees it.

CREATE TABLE funding_claims (
  id bigserial PRIMARY KEY,
  hub_id text NOT NULL REFERENCES hubs (id),
  school_urn integer NOT NULL REFERENCES schools (urn),
  state text NOT NULL CHECK (state IN ('submitted', 'awaiting-national', 'approved', 'rejected', 'paid')),
  total_pence integer NOT NULL CHECK (total_pence > 0),
  -- Above the threshold when submitted: the hub's approval is not the last.
  needs_national_approval boolean NOT NULL,
  submitted_by bigint NOT NULL REFERENCES people (id),
  submitted_as text NOT NULL CHECK (submitted_as IN ('school-contact', 'specialist')),
  submitted_at timestamptz NOT NULL,
  hub_approved_by bigint REFERENCES people (id),
  hub_approved_at timestamptz,
  national_approved_by bigint REFERENCES people (id),
  national_approved_at timestamptz,
  rejected_by bigint REFERENCES people (id),
  rejected_at timestamptz,
  rejection_reason text CHECK (rejection_reason IS NULL OR length(rejection_reason) <= 2000),
  updated_at timestamptz NOT NULL,
  -- The approver is never the submitter.
  CHECK (hub_approved_by IS DISTINCT FROM submitted_by),
  CHECK (national_approved_by IS DISTINCT FROM submitted_by),
  CHECK ((state = 'rejected') = (rejected_at IS NOT NULL)),
  CHECK (state <> 'rejected' OR btrim(coalesce(rejection_reason, '')) <> ''),
  CHECK (state NOT IN ('approved', 'paid') OR hub_approved_at IS NOT NULL),
  CHECK (state NOT IN ('approved', 'paid') OR NOT needs_national_approval OR national_approved_at IS NOT NULL)
);
CREATE INDEX funding_claims_hub ON funding_claims (hub_id, state, submitted_at);
CREATE INDEX funding_claims_school ON funding_claims (school_urn, submitted_at);

CREATE TABLE funding_claim_lines (
  id bigserial PRIMARY KEY,
  claim_id bigint NOT NULL REFERENCES funding_claims (id),
  owed_item_id bigint NOT NULL REFERENCES owed_items (id),
  amount_pence integer NOT NULL CHECK (amount_pence > 0),
  -- Set when the claim is rejected: the item may be claimed again.
  released_at timestamptz
);
CREATE UNIQUE INDEX funding_claim_lines_claimed_once ON funding_claim_lines (owed_item_id)
  WHERE released_at IS NULL;
CREATE INDEX funding_claim_lines_claim ON funding_claim_lines (claim_id);

CREATE TABLE funding_claim_history (
  id bigserial PRIMARY KEY,
  claim_id bigint NOT NULL REFERENCES funding_claims (id),
  from_state text,
  to_state text NOT NULL,
  by_person_id bigint REFERENCES people (id),
  reason text CHECK (reason IS NULL OR length(reason) <= 2000),
  at timestamptz NOT NULL
);
CREATE INDEX funding_claim_history_claim ON funding_claim_history (claim_id, at);
