-- Applications to a cohort: a teacher's answers, the headteacher's endorsement through a
-- single-use emailed link, submission before the window closes, and every change of state.

CREATE TABLE applications (
  id bigserial PRIMARY KEY,
  -- Shown to people and quoted in emails, like MH-7K3M9Q2P.
  reference text NOT NULL UNIQUE CHECK (reference ~ '^MH-[0-9A-HJKMNP-TV-Z]{8}$'),
  cohort_id text NOT NULL REFERENCES cohorts (id),
  applicant_id bigint NOT NULL REFERENCES people (id),
  state text NOT NULL CHECK (state IN (
    'draft', 'awaiting-endorsement', 'endorsement-declined', 'endorsed', 'submitted', 'withdrawn'
  )),
  school_urn integer REFERENCES schools (urn),
  -- The hub serving the school when it was chosen: the hub that assesses the application.
  hub_id text REFERENCES hubs (id),
  -- {outcome, reasons[{code, message}]} when the school was chosen.
  eligibility jsonb,
  -- {hasQts, trn, yearsTeachingMaths, currentRole, classesTaught}, each present once answered.
  teaching jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(teaching) = 'object'),
  -- {criterionId: text}
  evidence jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(evidence) = 'object'),
  headteacher_name text,
  headteacher_email text,
  endorsed_at timestamptz,
  endorsement_declined_at timestamptz,
  endorsement_decline_reason text,
  submitted_at timestamptz,
  -- The Idempotency-Key of the request that submitted it, so a retry is answered the same.
  submit_idempotency_key text,
  withdrawn_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (state <> 'submitted' OR submitted_at IS NOT NULL),
  CHECK (state <> 'withdrawn' OR withdrawn_at IS NOT NULL)
);

-- One live application per teacher per cohort: a withdrawn one no longer counts.
CREATE UNIQUE INDEX applications_one_live ON applications (cohort_id, applicant_id)
  WHERE state <> 'withdrawn';
CREATE INDEX applications_applicant ON applications (applicant_id);
CREATE INDEX applications_hub ON applications (hub_id, cohort_id, state);
CREATE INDEX applications_cohort_state ON applications (cohort_id, state);

-- Every change of state, in order: the application's history.
CREATE TABLE application_history (
  id bigserial PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES applications (id),
  event text NOT NULL,
  from_state text,
  to_state text NOT NULL,
  actor_person_id bigint REFERENCES people (id),
  -- Who acted when not signed in: 'headteacher' through the emailed link, 'system' for jobs.
  actor_kind text NOT NULL CHECK (actor_kind IN ('applicant', 'headteacher', 'person', 'system')),
  note text,
  occurred_at timestamptz NOT NULL
);

CREATE INDEX application_history_application ON application_history (application_id, id);

-- Requests to a headteacher to endorse: each carries a single-use link, valid for 14 days. A new
-- request (a changed headteacher, or a resend) replaces the one before.
CREATE TABLE endorsement_requests (
  id bigserial PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES applications (id),
  token_hash text NOT NULL UNIQUE,
  -- The reminder carries a link of its own; the first email's link keeps working beside it.
  reminder_token_hash text UNIQUE,
  headteacher_name text NOT NULL,
  headteacher_email text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  -- One automatic reminder after five working days without an answer.
  remind_after timestamptz NOT NULL,
  reminded_at timestamptz,
  used_at timestamptz,
  replaced_at timestamptz,
  CHECK (expires_at > created_at)
);

CREATE INDEX endorsement_requests_application ON endorsement_requests (application_id);
CREATE INDEX endorsement_requests_due ON endorsement_requests (remind_after)
  WHERE reminded_at IS NULL AND used_at IS NULL AND replaced_at IS NULL;
