-- "Tell me when it opens": when the email saying applications are open was queued.
ALTER TABLE cohort_interest ADD COLUMN notified_at timestamptz;

CREATE INDEX cohort_interest_waiting ON cohort_interest (cohort_id) WHERE notified_at IS NULL;
