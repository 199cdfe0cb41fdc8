-- "Ask again": where the service could not tell that the headteacher a teacher named is the school's
-- headteacher, the hub's lead can ask a headteacher whose address the hub has checked (from the
-- school, say) to confirm the application. The email carries a single-use link valid for 14 days;
-- a newer request retires the older. A "yes" verifies the headteacher; a "no" is shown to the hub.
CREATE TABLE headteacher_confirmations (
  id bigserial PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES applications (id),
  token_hash text NOT NULL UNIQUE,
  headteacher_name text NOT NULL,
  headteacher_email text NOT NULL,
  asked_by bigint NOT NULL REFERENCES people (id),
  asked_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  replaced_at timestamptz,
  answered_at timestamptz,
  answer text CHECK (answer IN ('confirmed', 'not-confirmed')),
  CHECK ((answer IS NULL) = (answered_at IS NULL))
);
CREATE INDEX headteacher_confirmations_application ON headteacher_confirmations (application_id);

-- 'headteacher': the headteacher the hub asked confirmed the application.
ALTER TABLE applications DROP CONSTRAINT applications_headteacher_verification_check;
ALTER TABLE applications ADD CONSTRAINT applications_headteacher_verification_check
  CHECK (headteacher_verification IN ('school-contact', 'hub', 'headteacher'));
