-- Work Groups (ADR 0025): the Work Group programmes as data (phases, capacity, the sessions each
-- plans), each hub's groups with their lead specialists, their state and every move of it.

-- What each kind of Work Group is. A group's programme sets its phases, its default and largest
-- capacity, and how many sessions it plans; catalogue_programme_id names the catalogue's entry
-- where there is one.
CREATE TABLE work_group_programmes (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL UNIQUE,
  catalogue_programme_id text REFERENCES programmes (id),
  -- The group phases it may run in: primary, secondary, cross-phase.
  phases text[] NOT NULL CHECK (cardinality(phases) > 0 AND phases <@ ARRAY['primary', 'secondary', 'cross-phase']),
  default_capacity integer NOT NULL CHECK (default_capacity BETWEEN 2 AND 8),
  max_capacity integer NOT NULL CHECK (max_capacity BETWEEN 2 AND 8),
  planned_sessions integer NOT NULL CHECK (planned_sessions BETWEEN 1 AND 12),
  -- What a session is called on this programme, like "open-classroom session".
  session_name text NOT NULL,
  -- A school may take this programme only once (Development).
  once_per_school boolean NOT NULL DEFAULT false,
  position integer NOT NULL UNIQUE,
  CHECK (default_capacity <= max_capacity)
);

-- The catalogue gains the two Work Groups it lacked, and lists the Work Groups in a school's order.
UPDATE programmes SET position = position + 100;

INSERT INTO programmes (id, name, description, phases, special_schools_only, year_structure, position)
VALUES
  (
    'primary-development-work-group',
    'Primary Teaching for Mastery Development Work Group',
    'For state-funded primary schools starting out with teaching for mastery. Your school nominates two '
      || 'teachers as Mastery Advocates, who meet with teachers from about five other local schools in a Work '
      || 'Group led by a Primary Mastery Specialist, with a termly visit in school. Fully funded, with a grant '
      || 'towards the cost of supply.',
    ARRAY['Primary', 'Middle deemed primary', 'All-through'],
    false,
    '[
      {"year": 1, "summary": "Six half-day Work Group meetings, a termly in-school visit from your Mastery Specialist, and teaching for mastery begun in every class."}
    ]'::jsonb,
    4
  ),
  (
    'readiness-work-group',
    'Teaching for Mastery Readiness Work Group',
    'An optional first step for primary schools not yet ready to begin Development: up to eight schools '
      || 'look at the culture, leadership and conditions teaching for mastery needs.',
    ARRAY['Primary', 'Middle deemed primary', 'All-through'],
    false,
    '[
      {"year": 1, "summary": "Work Group meetings with up to seven other local schools to prepare for teaching for mastery."}
    ]'::jsonb,
    3
  );

UPDATE programmes SET position = CASE id
    WHEN 'primary-mastery-specialist' THEN 1
    WHEN 'secondary-mastery-specialist' THEN 2
    WHEN 'secondary-development-work-group' THEN 5
    WHEN 'special-schools-work-group' THEN 6
    WHEN 'embedding-work-group' THEN 7
    WHEN 'sustaining-work-group' THEN 8
    WHEN 'pd-lead-accreditation' THEN 9
  END
WHERE position > 100;

INSERT INTO work_group_programmes
  (id, name, catalogue_programme_id, phases, default_capacity, max_capacity, planned_sessions, session_name,
   once_per_school, position)
VALUES
  ('readiness', 'Readiness', 'readiness-work-group', ARRAY['primary'], 8, 8, 4, 'meeting', false, 1),
  ('primary-development', 'Primary Development', 'primary-development-work-group', ARRAY['primary'], 6, 6, 6,
   'half-day meeting', true, 2),
  ('secondary-development', 'Secondary Development (KS3)', 'secondary-development-work-group', ARRAY['secondary'],
   6, 6, 4, 'open-classroom session', true, 3),
  ('embedding', 'Embedding', 'embedding-work-group', ARRAY['primary', 'secondary'], 6, 6, 6, 'meeting', false, 4),
  ('sustaining', 'Sustaining', 'sustaining-work-group', ARRAY['primary', 'secondary'], 6, 6, 6, 'workshop', false, 5),
  ('special-schools', 'Special schools (cross-phase)', 'special-schools-work-group', ARRAY['cross-phase'], 6, 6, 6,
   'meeting', false, 6),
  ('secondary-year-three', 'Secondary Mastery Specialists’ year 3', 'secondary-mastery-specialist',
   ARRAY['secondary'], 6, 6, 4, 'open-classroom session', false, 7);

-- A hub's Work Group for an academic year.
CREATE TABLE work_groups (
  id bigserial PRIMARY KEY,
  hub_id text NOT NULL REFERENCES hubs (id),
  programme_id text NOT NULL REFERENCES work_group_programmes (id),
  academic_year text NOT NULL CHECK (academic_year ~ '^\d{4}/\d{2}$'),
  phase text NOT NULL CHECK (phase IN ('primary', 'secondary', 'cross-phase')),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  capacity integer NOT NULL CHECK (capacity BETWEEN 2 AND 8),
  meeting_area text NOT NULL CHECK (length(btrim(meeting_area)) BETWEEN 1 AND 200),
  planned_sessions integer NOT NULL CHECK (planned_sessions BETWEEN 1 AND 12),
  state text NOT NULL DEFAULT 'planning'
    CHECK (state IN ('planning', 'recruiting', 'running', 'completed', 'cancelled')),
  created_by bigint REFERENCES people (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Two groups of one hub in one year are told apart by their names.
CREATE UNIQUE INDEX work_groups_name ON work_groups (hub_id, academic_year, lower(name));
CREATE INDEX work_groups_hub ON work_groups (hub_id, academic_year);

-- One or two lead specialists, each a Mastery Specialist participation.
CREATE TABLE work_group_leads (
  work_group_id bigint NOT NULL REFERENCES work_groups (id),
  participation_id bigint NOT NULL REFERENCES participations (id),
  PRIMARY KEY (work_group_id, participation_id)
);

CREATE INDEX work_group_leads_participation ON work_group_leads (participation_id);

-- Every move of a group's state, and its creation: from, to, who and when.
CREATE TABLE work_group_history (
  id bigserial PRIMARY KEY,
  work_group_id bigint NOT NULL REFERENCES work_groups (id),
  event text NOT NULL,
  from_state text,
  to_state text NOT NULL,
  actor_person_id bigint REFERENCES people (id),
  at timestamptz NOT NULL
);

CREATE INDEX work_group_history_group ON work_group_history (work_group_id, id);
