-- The Mastery Specialist's development years: tasks and assignments with their evidence, and NCETM
-- PD Lead accreditation (ADR 0023, "Tasks and accreditation").

-- A task NCETM sets for a cohort: due by 5pm UK time on its date (due_at is that instant, like a
-- review deadline), optionally for one development year only. Changed in place, each version kept
-- in task_history; withdrawn rather than deleted, so its evidence stays.
CREATE TABLE tasks (
  id bigserial PRIMARY KEY,
  cohort_id text NOT NULL REFERENCES cohorts (id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 5000),
  due_on date NOT NULL,
  due_at timestamptz NOT NULL,
  -- 1 or 2 for one development year only; null for every specialist in the cohort.
  for_year integer CHECK (for_year IS NULL OR for_year IN (1, 2)),
  status text NOT NULL DEFAULT 'set' CHECK (status IN ('set', 'withdrawn')),
  withdrawn_at timestamptz,
  withdraw_reason text CHECK (withdraw_reason IS NULL OR length(withdraw_reason) <= 2000),
  created_by bigint REFERENCES people (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL)),
  -- Due by 5pm UK time on the date.
  CHECK (due_at = (due_on + time '17:00') AT TIME ZONE 'Europe/London')
);
CREATE INDEX tasks_cohort ON tasks (cohort_id, due_on);

-- Every version of a task: as set, as changed, as withdrawn; who and when.
CREATE TABLE task_history (
  id bigserial PRIMARY KEY,
  task_id bigint NOT NULL REFERENCES tasks (id),
  event text NOT NULL CHECK (event IN ('set', 'change', 'withdraw')),
  title text NOT NULL,
  description text NOT NULL,
  due_on date NOT NULL,
  for_year integer,
  reason text,
  actor_person_id bigint REFERENCES people (id),
  at timestamptz NOT NULL
);
CREATE INDEX task_history_task ON task_history (task_id, id);

-- An uploaded evidence file, as checked (src/lib/uploads.ts): the bytes, the type found in them,
-- the size, a SHA-256 and the original name made safe. Never deleted with a task.
CREATE TABLE task_evidence_files (
  id bigserial PRIMARY KEY,
  content bytea NOT NULL,
  kind text NOT NULL CHECK (kind IN ('pdf', 'docx', 'xlsx', 'pptx', 'png', 'jpeg')),
  content_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
  uploaded_by bigint REFERENCES people (id),
  uploaded_at timestamptz NOT NULL,
  CHECK (size_bytes = octet_length(content))
);

-- A specialist's evidence that a task is done: text, an https link or a file. Reviewed by NCETM or
-- the participation's hub: accepted, or returned with feedback. A return leads to a new
-- submission; only the latest counts, and at most one is live (waiting or accepted) at a time.
CREATE TABLE task_submissions (
  id bigserial PRIMARY KEY,
  task_id bigint NOT NULL REFERENCES tasks (id),
  participation_id bigint NOT NULL REFERENCES participations (id),
  evidence_kind text NOT NULL CHECK (evidence_kind IN ('text', 'link', 'file')),
  evidence_text text CHECK (evidence_text IS NULL OR length(evidence_text) BETWEEN 1 AND 10000),
  evidence_url text CHECK (evidence_url IS NULL OR (length(evidence_url) <= 2000 AND evidence_url LIKE 'https://%')),
  file_id bigint UNIQUE REFERENCES task_evidence_files (id),
  status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'accepted', 'returned')),
  submitted_by bigint REFERENCES people (id),
  submitted_at timestamptz NOT NULL,
  reviewed_by bigint REFERENCES people (id),
  reviewed_at timestamptz,
  feedback text CHECK (feedback IS NULL OR length(feedback) <= 5000),
  CHECK ((evidence_kind = 'text') = (evidence_text IS NOT NULL)),
  CHECK ((evidence_kind = 'link') = (evidence_url IS NOT NULL)),
  CHECK ((evidence_kind = 'file') = (file_id IS NOT NULL)),
  CHECK ((status = 'submitted') = (reviewed_at IS NULL)),
  CHECK (status <> 'returned' OR (feedback IS NOT NULL AND btrim(feedback) <> ''))
);
CREATE UNIQUE INDEX task_submissions_one_live ON task_submissions (task_id, participation_id)
  WHERE status <> 'returned';
CREATE INDEX task_submissions_participation ON task_submissions (participation_id, task_id, id);

-- NCETM PD Lead accreditation's checklist, for every programme (programme_id null) or for one.
-- Renamed in place; retired rather than deleted, so what was recorded against it stays. Not seeded
-- here: a restore expects only programmes filled by the migrations (ADR 0010); NCETM or the demo
-- adds the checklist (addDefaultRequirements).
CREATE TABLE accreditation_requirements (
  id bigserial PRIMARY KEY,
  programme_id text REFERENCES programmes (id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  position integer NOT NULL,
  created_by bigint REFERENCES people (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  retired_at timestamptz,
  retired_by bigint REFERENCES people (id)
);
CREATE UNIQUE INDEX accreditation_requirements_title ON accreditation_requirements
  (coalesce(programme_id, ''), lower(title)) WHERE retired_at IS NULL;

-- A requirement met by a person: on which date, who recorded it and when, and the participation
-- it was recorded through. Accreditation belongs to the person, not to one participation.
CREATE TABLE accreditation_requirements_met (
  id bigserial PRIMARY KEY,
  person_id bigint NOT NULL REFERENCES people (id),
  requirement_id bigint NOT NULL REFERENCES accreditation_requirements (id),
  participation_id bigint REFERENCES participations (id),
  met_on date NOT NULL,
  recorded_by bigint REFERENCES people (id),
  recorded_at timestamptz NOT NULL,
  CONSTRAINT accreditation_requirements_met_once UNIQUE (person_id, requirement_id)
);

-- A person's PD Lead accreditation, at most one: awarded through a participation once every
-- requirement was met, or recorded as already held (with where it came from).
CREATE TABLE pd_lead_accreditations (
  person_id bigint PRIMARY KEY REFERENCES people (id),
  kind text NOT NULL CHECK (kind IN ('awarded', 'already-accredited')),
  accredited_on date NOT NULL,
  source text CHECK (source IS NULL OR length(source) BETWEEN 1 AND 500),
  participation_id bigint REFERENCES participations (id),
  recorded_by bigint REFERENCES people (id),
  recorded_at timestamptz NOT NULL,
  CHECK (kind <> 'awarded' OR participation_id IS NOT NULL),
  CHECK (kind <> 'already-accredited' OR source IS NOT NULL)
);
