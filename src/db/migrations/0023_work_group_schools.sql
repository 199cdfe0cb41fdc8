-- Schools in Work Groups (ADR 0026): a school's interest in a programme for a year, the support of
-- its head of maths and a senior leader (single-use emailed links, as for a headteacher's
-- endorsement), its two Mastery Advocates over time, the hub's decision (a group, or a place on the
-- waiting list), allocation plans, sessions with attendance and lesson study, the specialist's
-- support visits, each school's teaching-for-mastery stage as dated periods, the end-of-year
-- evaluation, and participation grants as data.

-- A school's expression of interest in a Work Group programme for an academic year, made by a
-- signed-in person at the school. It waits for support, is ready for the hub, and is then accepted
-- into a group or kept on the waiting list (with a position), or declined or withdrawn.
CREATE TABLE work_group_interests (
  id bigserial PRIMARY KEY,
  school_urn integer NOT NULL REFERENCES schools (urn),
  hub_id text NOT NULL REFERENCES hubs (id),
  programme_id text NOT NULL REFERENCES work_group_programmes (id),
  academic_year text NOT NULL CHECK (academic_year ~ '^\d{4}/\d{2}$'),
  status text NOT NULL DEFAULT 'awaiting-support'
    CHECK (status IN ('awaiting-support', 'ready', 'accepted', 'waiting', 'declined', 'withdrawn')),
  -- Set while accepted: the group the school is in.
  work_group_id bigint REFERENCES work_groups (id),
  -- Set while on the waiting list: 1 is next.
  waiting_position integer CHECK (waiting_position IS NULL OR waiting_position > 0),
  -- Why the school is interested, in its own words.
  statement text CHECK (statement IS NULL OR length(statement) <= 2000),
  registered_by bigint REFERENCES people (id),
  decided_by bigint REFERENCES people (id),
  decided_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((status = 'accepted') = (work_group_id IS NOT NULL)),
  CHECK ((status = 'waiting') = (waiting_position IS NOT NULL))
);
-- One live interest per school, programme and year.
CREATE UNIQUE INDEX work_group_interests_one_live ON work_group_interests (school_urn, programme_id, academic_year)
  WHERE status NOT IN ('declined', 'withdrawn');
CREATE UNIQUE INDEX work_group_interests_waiting_position
  ON work_group_interests (hub_id, programme_id, academic_year, waiting_position) WHERE status = 'waiting';
CREATE INDEX work_group_interests_hub ON work_group_interests (hub_id, academic_year, programme_id);
CREATE INDEX work_group_interests_group ON work_group_interests (work_group_id) WHERE work_group_id IS NOT NULL;
CREATE INDEX work_group_interests_school ON work_group_interests (school_urn);

-- Every move of an interest: registered, supported, accepted, waiting, moved, declined, withdrawn.
CREATE TABLE work_group_interest_history (
  id bigserial PRIMARY KEY,
  interest_id bigint NOT NULL REFERENCES work_group_interests (id),
  event text NOT NULL,
  from_status text,
  to_status text NOT NULL,
  work_group_id bigint REFERENCES work_groups (id),
  waiting_position integer,
  actor_person_id bigint REFERENCES people (id),
  at timestamptz NOT NULL
);
CREATE INDEX work_group_interest_history_interest ON work_group_interest_history (interest_id, id);

-- The head of maths and a senior leader each confirm their support by a single-use emailed link,
-- valid for 14 days; a newer request for the same role retires the older.
CREATE TABLE work_group_support_requests (
  id bigserial PRIMARY KEY,
  interest_id bigint NOT NULL REFERENCES work_group_interests (id),
  role text NOT NULL CHECK (role IN ('head-of-maths', 'senior-leader')),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  email text NOT NULL CHECK (length(email) <= 320),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  replaced_at timestamptz,
  answered_at timestamptz,
  answer text CHECK (answer IN ('supported', 'not-supported')),
  CHECK ((answer IS NULL) = (answered_at IS NULL)),
  CHECK (expires_at > created_at)
);
CREATE INDEX work_group_support_requests_interest ON work_group_support_requests (interest_id, role);

-- A school's two Mastery Advocates. A change ends one advocate's period and starts another's in the
-- same slot, so there are never more than two current advocates.
CREATE TABLE work_group_advocates (
  id bigserial PRIMARY KEY,
  interest_id bigint NOT NULL REFERENCES work_group_interests (id),
  slot smallint NOT NULL CHECK (slot IN (1, 2)),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  email text NOT NULL CHECK (length(email) <= 320),
  role text NOT NULL CHECK (length(btrim(role)) BETWEEN 1 AND 200),
  from_date date NOT NULL,
  to_date date,
  change_reason text CHECK (change_reason IS NULL OR length(change_reason) <= 2000),
  created_by bigint REFERENCES people (id),
  created_at timestamptz NOT NULL,
  CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE UNIQUE INDEX work_group_advocates_current ON work_group_advocates (interest_id, slot) WHERE to_date IS NULL;
CREATE INDEX work_group_advocates_interest ON work_group_advocates (interest_id);

-- Pairs of schools the hub keeps apart (different groups) or together (the same group) when it
-- allocates a programme's schools for a year.
CREATE TABLE work_group_pair_rules (
  id bigserial PRIMARY KEY,
  hub_id text NOT NULL REFERENCES hubs (id),
  programme_id text NOT NULL REFERENCES work_group_programmes (id),
  academic_year text NOT NULL CHECK (academic_year ~ '^\d{4}/\d{2}$'),
  kind text NOT NULL CHECK (kind IN ('apart', 'together')),
  school_a integer NOT NULL REFERENCES schools (urn),
  school_b integer NOT NULL REFERENCES schools (urn),
  created_by bigint REFERENCES people (id),
  created_at timestamptz NOT NULL,
  CHECK (school_a < school_b)
);
CREATE UNIQUE INDEX work_group_pair_rules_pair
  ON work_group_pair_rules (hub_id, programme_id, academic_year, school_a, school_b);

-- A proposed allocation: what the solver returned (travel, its lower bound and gap, the greedy
-- plan's travel beside it) and each school's group, which the hub may change before applying it.
CREATE TABLE work_group_allocation_plans (
  id bigserial PRIMARY KEY,
  hub_id text NOT NULL REFERENCES hubs (id),
  programme_id text NOT NULL REFERENCES work_group_programmes (id),
  academic_year text NOT NULL CHECK (academic_year ~ '^\d{4}/\d{2}$'),
  status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'applied', 'discarded')),
  solver_status text NOT NULL,
  proven_optimal boolean NOT NULL,
  total_travel_metres bigint NOT NULL,
  lower_bound_metres bigint NOT NULL,
  gap numeric(8, 6) NOT NULL,
  greedy_travel_metres bigint,
  solve_ms integer NOT NULL,
  -- [{urn, workGroupId, hostUrn, distanceMetres, moved}] and [{workGroupId, hostUrn}]
  assignments jsonb NOT NULL,
  hosts jsonb NOT NULL,
  created_by bigint REFERENCES people (id),
  created_at timestamptz NOT NULL,
  applied_by bigint REFERENCES people (id),
  applied_at timestamptz,
  CHECK ((status = 'applied') = (applied_at IS NOT NULL))
);
CREATE INDEX work_group_allocation_plans_hub ON work_group_allocation_plans (hub_id, academic_year, programme_id);

-- Where a group meets: a school (a specialist's, or one of the group's) chosen by allocation or by the hub.
ALTER TABLE work_groups ADD COLUMN host_school_urn integer REFERENCES schools (urn);

-- A group's sessions: when, at which school, the big idea studied and the lesson observed.
CREATE TABLE work_group_sessions (
  id bigserial PRIMARY KEY,
  work_group_id bigint NOT NULL REFERENCES work_groups (id),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  host_school_urn integer NOT NULL REFERENCES schools (urn),
  big_idea text NOT NULL CHECK (big_idea IN (
    'coherence', 'representation-and-structure', 'mathematical-thinking', 'fluency', 'variation')),
  lesson_observed text NOT NULL CHECK (length(btrim(lesson_observed)) BETWEEN 1 AND 2000),
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
  -- The short code advocates enter at the session to mark themselves present (hashed).
  attendance_code_hash text,
  created_by bigint REFERENCES people (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (ends_at > starts_at)
);
CREATE INDEX work_group_sessions_group ON work_group_sessions (work_group_id, starts_at);

-- Each advocate's attendance at a session: the development years' states and methods.
CREATE TABLE work_group_attendance (
  id bigserial PRIMARY KEY,
  session_id bigint NOT NULL REFERENCES work_group_sessions (id),
  advocate_id bigint NOT NULL REFERENCES work_group_advocates (id),
  status text NOT NULL CHECK (status IN ('present', 'late', 'left-early', 'absent')),
  absence_reason text CHECK (absence_reason IS NULL OR length(absence_reason) <= 2000),
  method text NOT NULL CHECK (method IN ('screen', 'upload', 'code')),
  recorded_by bigint REFERENCES people (id),
  recorded_at timestamptz NOT NULL,
  CHECK ((status = 'absent') = (absence_reason IS NOT NULL AND btrim(absence_reason) <> '')),
  UNIQUE (session_id, advocate_id)
);
CREATE INDEX work_group_attendance_advocate ON work_group_attendance (advocate_id);

-- After a session, each school's lesson study: the lesson taught in its own department, by whom,
-- with which classes, and what was learned.
CREATE TABLE work_group_lesson_studies (
  id bigserial PRIMARY KEY,
  session_id bigint NOT NULL REFERENCES work_group_sessions (id),
  school_urn integer NOT NULL REFERENCES schools (urn),
  lesson_taught text NOT NULL CHECK (length(btrim(lesson_taught)) BETWEEN 1 AND 2000),
  taught_by text NOT NULL CHECK (length(btrim(taught_by)) BETWEEN 1 AND 500),
  classes text NOT NULL CHECK (length(btrim(classes)) BETWEEN 1 AND 500),
  learned text NOT NULL CHECK (length(btrim(learned)) BETWEEN 1 AND 5000),
  recorded_by bigint REFERENCES people (id),
  recorded_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (session_id, school_urn)
);

-- A lead specialist's in-school support visits, in half-days; they count towards release time and funding.
CREATE TABLE work_group_support_visits (
  id bigserial PRIMARY KEY,
  work_group_id bigint NOT NULL REFERENCES work_groups (id),
  participation_id bigint NOT NULL REFERENCES participations (id),
  school_urn integer NOT NULL REFERENCES schools (urn),
  visited_on date NOT NULL,
  half_days smallint NOT NULL CHECK (half_days BETWEEN 1 AND 4),
  notes text CHECK (notes IS NULL OR length(notes) <= 2000),
  recorded_by bigint REFERENCES people (id),
  recorded_at timestamptz NOT NULL
);
CREATE INDEX work_group_support_visits_group ON work_group_support_visits (work_group_id, visited_on);
CREATE INDEX work_group_support_visits_participation ON work_group_support_visits (participation_id, visited_on);

-- A school's teaching-for-mastery stage as dated periods: one open period at a time, each move
-- decided by the hub with its evidence.
CREATE TABLE school_mastery_stages (
  id bigserial PRIMARY KEY,
  school_urn integer NOT NULL REFERENCES schools (urn),
  stage text NOT NULL CHECK (stage IN ('readiness', 'development', 'embedding', 'sustaining')),
  from_date date NOT NULL,
  to_date date,
  evidence text NOT NULL CHECK (length(btrim(evidence)) BETWEEN 1 AND 5000),
  hub_id text NOT NULL REFERENCES hubs (id),
  decided_by bigint REFERENCES people (id),
  decided_at timestamptz NOT NULL,
  CHECK (to_date IS NULL OR to_date > from_date)
);
CREATE UNIQUE INDEX school_mastery_stages_current ON school_mastery_stages (school_urn) WHERE to_date IS NULL;
CREATE INDEX school_mastery_stages_school ON school_mastery_stages (school_urn, from_date);

-- The end-of-year questionnaire's questions, managed by NCETM: for advocates or for specialists,
-- a scale of 1 to 5 or free text. A retired question is kept for the answers it has.
CREATE TABLE evaluation_questions (
  id bigserial PRIMARY KEY,
  audience text NOT NULL CHECK (audience IN ('advocate', 'specialist')),
  kind text NOT NULL CHECK (kind IN ('scale', 'text')),
  text text NOT NULL CHECK (length(btrim(text)) BETWEEN 1 AND 500),
  position integer NOT NULL,
  retired_at timestamptz,
  created_by bigint REFERENCES people (id),
  created_at timestamptz NOT NULL
);

-- One questionnaire returned for a group: by an advocate (through a single-use link) or by a lead specialist.
CREATE TABLE evaluation_responses (
  id bigserial PRIMARY KEY,
  work_group_id bigint NOT NULL REFERENCES work_groups (id),
  audience text NOT NULL CHECK (audience IN ('advocate', 'specialist')),
  advocate_id bigint REFERENCES work_group_advocates (id),
  participation_id bigint REFERENCES participations (id),
  -- An advocate's single-use link (hashed); used_at is set when the answers are sent.
  token_hash text UNIQUE,
  sent_at timestamptz,
  submitted_at timestamptz,
  created_at timestamptz NOT NULL,
  CHECK ((audience = 'advocate') = (advocate_id IS NOT NULL)),
  CHECK ((audience = 'specialist') = (participation_id IS NOT NULL))
);
CREATE UNIQUE INDEX evaluation_responses_advocate ON evaluation_responses (work_group_id, advocate_id)
  WHERE advocate_id IS NOT NULL;
CREATE UNIQUE INDEX evaluation_responses_specialist ON evaluation_responses (work_group_id, participation_id)
  WHERE participation_id IS NOT NULL;

CREATE TABLE evaluation_answers (
  response_id bigint NOT NULL REFERENCES evaluation_responses (id),
  question_id bigint NOT NULL REFERENCES evaluation_questions (id),
  scale_value smallint CHECK (scale_value BETWEEN 1 AND 5),
  text_value text CHECK (text_value IS NULL OR length(text_value) <= 5000),
  PRIMARY KEY (response_id, question_id),
  CHECK ((scale_value IS NULL) <> (text_value IS NULL))
);

-- Participation grants as data: for a programme, an academic year and the school's year on it, the
-- grant in pence, and the rule that makes it due (by default both advocates attended at least three
-- quarters of the sessions held).
CREATE TABLE work_group_grant_rules (
  programme_id text NOT NULL REFERENCES work_group_programmes (id),
  academic_year text NOT NULL CHECK (academic_year ~ '^\d{4}/\d{2}$'),
  participation_year smallint NOT NULL CHECK (participation_year BETWEEN 1 AND 3),
  amount_pence integer NOT NULL CHECK (amount_pence > 0),
  -- {"advocates": 2, "attendedShare": 0.75}: how many advocates must each have attended that share of the sessions held.
  rule jsonb NOT NULL DEFAULT '{"advocates": 2, "attendedShare": 0.75}',
  description text NOT NULL,
  PRIMARY KEY (programme_id, academic_year, participation_year)
);

INSERT INTO work_group_grant_rules (programme_id, academic_year, participation_year, amount_pence, description)
SELECT p.programme_id, y.academic_year, p.participation_year, p.amount_pence, p.description
FROM (VALUES
    ('primary-development', 1, 100000, 'Towards the cost of supply'),
    ('secondary-development', 1, 200000, 'First year, subject to DfE confirmation'),
    ('secondary-development', 2, 100000, 'Second year, subject to DfE confirmation')
  ) AS p (programme_id, participation_year, amount_pence, description)
CROSS JOIN (VALUES ('2024/25'), ('2025/26'), ('2026/27'), ('2027/28')) AS y (academic_year);

-- A grant that has become due: one event per school per group, in pence, for funding to claim and pay.
CREATE TABLE work_group_grants_due (
  id bigserial PRIMARY KEY,
  work_group_id bigint NOT NULL REFERENCES work_groups (id),
  school_urn integer NOT NULL REFERENCES schools (urn),
  programme_id text NOT NULL,
  academic_year text NOT NULL,
  participation_year smallint NOT NULL,
  amount_pence integer NOT NULL CHECK (amount_pence > 0),
  -- What made it due: sessions held and each advocate's sessions attended.
  evidence jsonb NOT NULL,
  due_at timestamptz NOT NULL,
  FOREIGN KEY (programme_id, academic_year, participation_year)
    REFERENCES work_group_grant_rules (programme_id, academic_year, participation_year),
  UNIQUE (work_group_id, school_urn)
);
CREATE INDEX work_group_grants_due_school ON work_group_grants_due (school_urn);
