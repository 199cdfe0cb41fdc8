-- People, their role grants, sign-in, sessions, API tokens, the audit trail and the email outbox.

CREATE TABLE people (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  -- Teacher Reference Number: 7 digits.
  trn text CHECK (trn ~ '^\d{7}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Email addresses are unique whatever their case.
CREATE UNIQUE INDEX people_email_unique ON people (lower(email));

CREATE TABLE grants (
  id bigserial PRIMARY KEY,
  person_id bigint NOT NULL REFERENCES people (id),
  role text NOT NULL CHECK (role IN (
    'national-admin', 'national-viewer', 'hub-lead', 'hub-admin', 'reviewer',
    'mastery-specialist', 'school-contact', 'teacher', 'mastery-advocate')),
  hub_id text REFERENCES hubs (id),
  -- A cohort is named by its id once cohorts exist; until then reviewers are scoped to a hub.
  cohort_id text,
  school_urn integer REFERENCES schools (urn),
  created_by bigint REFERENCES people (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_by bigint REFERENCES people (id),
  CHECK (
    (role IN ('national-admin', 'national-viewer') AND hub_id IS NULL AND school_urn IS NULL)
    OR (role IN ('hub-lead', 'hub-admin', 'reviewer') AND hub_id IS NOT NULL AND school_urn IS NULL)
    OR (role IN ('school-contact') AND school_urn IS NOT NULL AND hub_id IS NULL)
    OR (role IN ('mastery-specialist', 'teacher', 'mastery-advocate'))
  )
);

CREATE INDEX grants_person ON grants (person_id) WHERE revoked_at IS NULL;
CREATE INDEX grants_hub ON grants (hub_id) WHERE revoked_at IS NULL;
CREATE INDEX grants_school ON grants (school_urn) WHERE revoked_at IS NULL;
-- One live grant of a role in one scope.
CREATE UNIQUE INDEX grants_live_unique ON grants (
  person_id, role, coalesce(hub_id, ''), coalesce(cohort_id, ''), coalesce(school_urn, 0)
) WHERE revoked_at IS NULL;

-- Server-side sessions, shared by every app process. Only a hash of the cookie value is stored.
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  person_id bigint REFERENCES people (id),
  csrf_token text NOT NULL,
  -- Short-lived sign-in state (OpenID Connect state, nonce, PKCE verifier).
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE sign_in_tokens (
  token_hash text PRIMARY KEY,
  person_id bigint NOT NULL REFERENCES people (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

-- Fixed-window counters for rate limits, shared by every app process.
CREATE TABLE rate_limits (
  key text NOT NULL,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL,
  PRIMARY KEY (key, window_start)
);

CREATE TABLE api_tokens (
  id bigserial PRIMARY KEY,
  person_id bigint NOT NULL REFERENCES people (id),
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  -- The first characters, shown so people can tell their tokens apart.
  token_prefix text NOT NULL,
  -- The grant whose scope the token carries.
  grant_id bigint NOT NULL REFERENCES grants (id),
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- Append-only: every change of state, who made it, before and after.
CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  occurred_at timestamptz NOT NULL,
  actor_person_id bigint REFERENCES people (id),
  -- 'person', 'api-token', 'system' or 'command-line'
  actor_kind text NOT NULL,
  action text NOT NULL,
  record_type text NOT NULL,
  record_id text NOT NULL,
  before jsonb,
  after jsonb,
  request_id text,
  -- The transaction that made the change; equal to the changed rows' xmin.
  transaction_id bigint NOT NULL DEFAULT (txid_current() % 4294967296)
);

CREATE INDEX audit_events_actor ON audit_events (actor_person_id, occurred_at);
CREATE INDEX audit_events_record ON audit_events (record_type, record_id, occurred_at);
CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$;

CREATE TRIGGER audit_events_no_update_or_delete
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

-- Email is written here in the same transaction as the change that causes it, and sent afterwards.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  to_address text NOT NULL,
  subject text NOT NULL,
  body_text text NOT NULL,
  template text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- A worker that claims a message holds it until then; a crashed worker's claim runs out.
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  -- The Message-ID header: the same on every attempt, so a receiver can drop a repeat.
  message_id text NOT NULL
);

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
