-- Selection of Mastery Specialists by each hub, moderated by NCETM: where each hub's round stands
-- for a cohort, who reviews which application, their scores, the hub's proposed decisions, the
-- release of decisions, the offer of a place and its answer, and the participation it creates.

-- Where a reviewer works, so that nobody reviews an applicant from their own school or trust.
ALTER TABLE people ADD COLUMN workplace_urn integer REFERENCES schools (urn);

-- One hub's selection for one cohort. NCETM sets the places; the hub states its priorities and
-- whether reviewers see names; the hub lead confirms the proposals; NCETM approves them; the
-- decisions go out on the cohort's release date.
CREATE TABLE selection_rounds (
  hub_id text NOT NULL REFERENCES hubs (id),
  cohort_id text NOT NULL REFERENCES cohorts (id),
  places integer CHECK (places >= 0 AND places <= 1000),
  places_set_by bigint REFERENCES people (id),
  places_set_at timestamptz,
  -- Reviewers score without the applicant's name and school.
  blind_review boolean NOT NULL DEFAULT false,
  reviews_per_application integer NOT NULL DEFAULT 2 CHECK (reviews_per_application BETWEEN 1 AND 5),
  -- The hub's strategic plan, as reviewers read it: areas to reach, phases, disadvantage, new schools.
  priorities text NOT NULL DEFAULT '',
  state text NOT NULL DEFAULT 'reviewing' CHECK (state IN ('reviewing', 'confirmed', 'approved', 'released')),
  confirmed_by bigint REFERENCES people (id),
  confirmed_at timestamptz,
  approved_by bigint REFERENCES people (id),
  approved_at timestamptz,
  released_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (hub_id, cohort_id)
);

-- A reviewer assigned to an application (by a hub lead, or by the balanced automatic assignment).
-- An assignment ends when it is taken away or the reviewer declares a conflict.
CREATE TABLE review_assignments (
  id bigserial PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES applications (id),
  reviewer_id bigint NOT NULL REFERENCES people (id),
  assigned_by bigint REFERENCES people (id),
  assigned_at timestamptz NOT NULL,
  ended_at timestamptz,
  conflict_reason text,
  CHECK (ended_at IS NOT NULL OR conflict_reason IS NULL)
);

CREATE UNIQUE INDEX review_assignments_live ON review_assignments (application_id, reviewer_id)
  WHERE ended_at IS NULL;
CREATE INDEX review_assignments_reviewer ON review_assignments (reviewer_id) WHERE ended_at IS NULL;

-- A reviewer's scores: essential criteria met or not, desirable criteria and strategic fit on a
-- 0 to 4 scale, each with a note. Saved as a draft until completed.
CREATE TABLE reviews (
  assignment_id bigint PRIMARY KEY REFERENCES review_assignments (id),
  -- {criterionId: {met: boolean, note: string}}
  essential jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(essential) = 'object'),
  -- {criterionId: {score: 0..4, note: string}}
  desirable jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(desirable) = 'object'),
  strategic_score integer CHECK (strategic_score BETWEEN 0 AND 4),
  strategic_note text NOT NULL DEFAULT '',
  completed_at timestamptz,
  updated_at timestamptz NOT NULL
);

-- The hub's decision for an application: proposed, confirmed by the hub lead, approved by NCETM,
-- released on the cohort's date; then the offer of a place and the teacher's and headteacher's answers.
CREATE TABLE selection_decisions (
  application_id bigint PRIMARY KEY REFERENCES applications (id),
  hub_id text NOT NULL REFERENCES hubs (id),
  cohort_id text NOT NULL REFERENCES cohorts (id),
  decision text NOT NULL CHECK (decision IN ('selected', 'reserve', 'not-selected')),
  reason_code text NOT NULL,
  feedback text NOT NULL DEFAULT '',
  share_feedback boolean NOT NULL DEFAULT true,
  -- Order among reserves: 1 is offered a place first.
  reserve_rank integer,
  decided_by bigint REFERENCES people (id),
  decided_at timestamptz NOT NULL,
  released_at timestamptz,
  -- The offer of a place, once released (or passed on from a declined place).
  offer_state text CHECK (offer_state IN ('offered', 'accepted', 'declined', 'lapsed')),
  offered_at timestamptz,
  respond_by timestamptz,
  teacher_accepted_at timestamptz,
  headteacher_accepted_at timestamptz,
  declined_at timestamptz,
  decline_reason text,
  -- The single-use link the headteacher answers through, stored as a hash.
  headteacher_token_hash text UNIQUE,
  updated_at timestamptz NOT NULL
);

CREATE INDEX selection_decisions_round ON selection_decisions (hub_id, cohort_id, decision);

-- A Mastery Specialist's place in a cohort, made when the teacher and headteacher accept it.
CREATE TABLE participations (
  id bigserial PRIMARY KEY,
  person_id bigint NOT NULL REFERENCES people (id),
  cohort_id text NOT NULL REFERENCES cohorts (id),
  application_id bigint NOT NULL UNIQUE REFERENCES applications (id),
  school_urn integer REFERENCES schools (urn),
  hub_id text REFERENCES hubs (id),
  role text NOT NULL DEFAULT 'mastery-specialist',
  started_at timestamptz NOT NULL
);

CREATE UNIQUE INDEX participations_one_per_cohort ON participations (person_id, cohort_id);
