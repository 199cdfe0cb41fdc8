-- Applications can no longer be used to email strangers or to endorse one's own application.

-- "Tell me when it opens": an address counts only once its owner follows the single-use link
-- emailed to it (its hash is kept, as for sign-in links). Unconfirmed rows expire and are deleted
-- by housekeeping. Rows from before this change were never confirmed: those already told stay as
-- they were; the rest are expired now, so no unconfirmed address is ever emailed a notice.
ALTER TABLE cohort_interest ADD COLUMN confirm_token_hash text;
ALTER TABLE cohort_interest ADD COLUMN confirm_expires_at timestamptz;
ALTER TABLE cohort_interest ADD COLUMN confirmed_at timestamptz;
UPDATE cohort_interest SET confirmed_at = notified_at WHERE notified_at IS NOT NULL;
UPDATE cohort_interest SET confirm_expires_at = now() WHERE notified_at IS NULL;
CREATE UNIQUE INDEX cohort_interest_confirm_token ON cohort_interest (confirm_token_hash);
DROP INDEX cohort_interest_waiting;
CREATE INDEX cohort_interest_waiting ON cohort_interest (cohort_id)
  WHERE notified_at IS NULL AND confirmed_at IS NOT NULL;

-- Who vouches that the headteacher named on an application is the school's: 'school-contact' when
-- the request went to a person holding a school-contact role at the school; 'hub' when a hub lead
-- checked it. Null: not verified, which the hub sees.
ALTER TABLE applications ADD COLUMN headteacher_verification text
  CHECK (headteacher_verification IN ('school-contact', 'hub'));
ALTER TABLE applications ADD COLUMN headteacher_verified_at timestamptz;
ALTER TABLE applications ADD COLUMN headteacher_verified_by bigint REFERENCES people (id);

-- Applications already naming a school contact of their school as headteacher are verified.
UPDATE applications a SET headteacher_verification = 'school-contact', headteacher_verified_at = now()
WHERE a.headteacher_email IS NOT NULL AND EXISTS (
  SELECT 1 FROM grants g JOIN people p ON p.id = g.person_id
  WHERE g.role = 'school-contact' AND g.revoked_at IS NULL AND g.school_urn = a.school_urn
    AND lower(p.email) = lower(a.headteacher_email) AND p.id <> a.applicant_id
);
