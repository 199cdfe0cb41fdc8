-- Data protection: the erasure of a person's personal data (the person row stays, anonymised, so
-- history keeps its ids), the counts left behind when unsuccessful applications are deleted under
-- the retention policy, and no personal data in the audit trail's details. See docs/adr/0011.

-- When the person's personal data was erased: they can no longer sign in, and pages show
-- "Erased person".
ALTER TABLE people ADD COLUMN erased_at timestamptz;

-- What survives an unsuccessful application deleted under the retention policy: a count per
-- cohort, hub and outcome, for statistics. No person, school or answer is kept.
CREATE TABLE deleted_application_counts (
  id bigserial PRIMARY KEY,
  cohort_id text NOT NULL REFERENCES cohorts (id),
  -- The hub that would have assessed it; none for a draft that never named a school.
  hub_id text REFERENCES hubs (id),
  outcome text NOT NULL CHECK (outcome IN (
    'withdrawn', 'not-submitted', 'endorsement-declined', 'not-selected', 'offer-declined',
    'offer-lapsed', 'reserve-not-offered'
  )),
  applications integer NOT NULL CHECK (applications > 0),
  last_deleted_at timestamptz NOT NULL,
  UNIQUE NULLS NOT DISTINCT (cohort_id, hub_id, outcome)
);

-- The audit trail records who did what, never personal data: a person's creation recorded their
-- name, which is taken out here (the only change ever made to audit rows, before any erasure).
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete;
UPDATE audit_events SET after = after - 'name' WHERE action = 'person.create' AND after IS NOT NULL;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_or_delete;
