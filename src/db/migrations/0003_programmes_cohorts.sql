-- The programmes Maths Hubs run, their cohorts (each with its application window, criteria and
-- funding), and "tell me when it opens" for a cohort not yet open.

CREATE TABLE programmes (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL UNIQUE,
  description text NOT NULL,
  -- The GIAS phases of education (PhaseOfEducation names) whose schools the programme serves.
  phases text[] NOT NULL CHECK (cardinality(phases) > 0),
  -- Only special schools (of any phase) may take part.
  special_schools_only boolean NOT NULL DEFAULT false,
  -- What each year of the programme involves: [{year, summary}].
  year_structure jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(year_structure) = 'array'),
  -- The order the catalogue lists programmes in.
  position integer NOT NULL UNIQUE
);

CREATE TABLE cohorts (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  programme_id text NOT NULL REFERENCES programmes (id),
  number integer NOT NULL CHECK (number > 0),
  -- The academic year of the development year, like 2025/26.
  development_year text NOT NULL CHECK (development_year ~ '^\d{4}/\d{2}$'),
  opens_at timestamptz NOT NULL,
  closes_at timestamptz NOT NULL,
  decisions_released_on date NOT NULL,
  -- [{id, text, evidence, wordLimit}]
  essential_criteria jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(essential_criteria) = 'array'),
  desirable_criteria jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(desirable_criteria) = 'array'),
  -- [text]: what the headteacher commits to.
  headteacher_commitments jsonb NOT NULL DEFAULT '[]'::jsonb
    CHECK (jsonb_typeof(headteacher_commitments) = 'array'),
  -- [{name, startsOn, endsOn, subjectToConfirmation}]
  residentials jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(residentials) = 'array'),
  -- {releaseDaysPerYear, dayRatePence, bursaryPence}: money in whole pence.
  funding jsonb NOT NULL CHECK (jsonb_typeof(funding) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (programme_id, number),
  CHECK (opens_at < closes_at)
);

-- People who asked to be told when a cohort opens: one row per address, whatever its case.
CREATE TABLE cohort_interest (
  id bigserial PRIMARY KEY,
  cohort_id text NOT NULL REFERENCES cohorts (id),
  email text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX cohort_interest_unique ON cohort_interest (cohort_id, lower(email));

INSERT INTO programmes (id, name, description, phases, special_schools_only, year_structure, position)
VALUES
  (
    'primary-mastery-specialist',
    'Primary Mastery Specialist Programme',
    'For expert primary school teachers. In a training and development year you develop teaching for '
      || 'mastery in your own classroom and across your school, with three two-day residentials led by the '
      || 'NCETM. From the second year you lead Work Groups that help other schools in your Maths Hub '
      || 'develop, embed and sustain teaching for mastery.',
    ARRAY['Primary', 'Middle deemed primary', 'All-through'],
    false,
    '[
      {"year": 1, "summary": "Development year: three two-day residentials led by the NCETM, teaching for mastery in your own class and across your school, and 15 days’ release time funded by your Maths Hub."},
      {"year": 2, "summary": "Year 2 and beyond: lead Work Groups to develop, embed and sustain teaching for mastery in other schools, and gain NCETM PD Lead Accreditation if you do not already hold it. Release time of about 12 to 37 days a year, subject to DfE funding."}
    ]'::jsonb,
    1
  ),
  (
    'secondary-mastery-specialist',
    'Secondary Mastery Specialist Programme',
    'For secondary maths teachers who want to develop teaching for mastery in their own classroom and '
      || 'across their maths department, and their skills in leading professional development. Fully '
      || 'funded by the Maths Hubs Programme, so free to schools.',
    ARRAY['Secondary', 'Middle deemed secondary', 'All-through'],
    false,
    '[
      {"year": 1, "summary": "Develop your own knowledge, understanding and skills of teaching for mastery, with three half-days of bespoke support from your Maths Hub’s secondary team."},
      {"year": 2, "summary": "Develop teaching for mastery across your department, and take part in sessions leading to NCETM PD Lead Accreditation, with three more half-days of support from your hub."},
      {"year": 3, "summary": "Year 3 and beyond: you and a colleague join a Teaching for Mastery Work Group to keep developing your department. Where it suits your school, you may go on to lead work with other schools."}
    ]'::jsonb,
    2
  ),
  (
    'secondary-development-work-group',
    'Secondary Teaching for Mastery Development Work Group',
    'For state-funded secondary schools starting out with teaching for mastery. Your school nominates two '
      || 'teachers as Mastery Advocates, who join a local Work Group led by a Secondary Mastery Specialist '
      || 'and get support in school. Fully funded, so free to schools.',
    ARRAY['Secondary', 'Middle deemed secondary', 'All-through'],
    false,
    '[
      {"year": 1, "summary": "Two Mastery Advocates meet regularly with teachers from local schools in a Work Group, and get in-school support from a Mastery Specialist."},
      {"year": 2, "summary": "Keep working with your Maths Hub in a Work Group as you embed teaching for mastery across your department."}
    ]'::jsonb,
    3
  ),
  (
    'special-schools-work-group',
    'Special Schools Teaching for Mastery Work Group',
    'A regional, cross-phase Work Group for teachers in special schools. Primary and secondary special '
      || 'school teachers work together to develop teaching for mastery in their own settings.',
    ARRAY['Nursery', 'Primary', 'Middle deemed primary', 'Middle deemed secondary', 'Secondary',
      'All-through', '16 plus', 'Not applicable'],
    true,
    '[
      {"year": 1, "summary": "Teachers from special schools meet regularly in a regional Work Group to develop teaching for mastery in their own contexts."}
    ]'::jsonb,
    4
  ),
  (
    'embedding-work-group',
    'Teaching for Mastery Embedding Work Group',
    'For schools that have started teaching for mastery and want to embed it across the whole school or '
      || 'maths department, working with a Mastery Specialist and other local schools.',
    ARRAY['Primary', 'Middle deemed primary', 'Middle deemed secondary', 'Secondary', 'All-through'],
    false,
    '[
      {"year": 1, "summary": "Work with a Mastery Specialist and other local schools in a Work Group to embed teaching for mastery in every class."}
    ]'::jsonb,
    5
  ),
  (
    'sustaining-work-group',
    'Teaching for Mastery Sustaining Work Group',
    'For schools where teaching for mastery is established, to sustain it across the school or maths '
      || 'department, working with a Mastery Specialist and other local schools.',
    ARRAY['Primary', 'Middle deemed primary', 'Middle deemed secondary', 'Secondary', 'All-through'],
    false,
    '[
      {"year": 1, "summary": "Work with a Mastery Specialist and other local schools in a Work Group to sustain teaching for mastery as your school changes."}
    ]'::jsonb,
    6
  ),
  (
    'pd-lead-accreditation',
    'NCETM PD Lead Accreditation',
    'For teachers who lead professional development in maths. Develop your skills in leading professional '
      || 'development in your own school and beyond, and gain NCETM PD Lead Accreditation.',
    ARRAY['Primary', 'Middle deemed primary', 'Middle deemed secondary', 'Secondary', 'All-through',
      '16 plus'],
    false,
    '[
      {"year": 1, "summary": "Take part in PD Lead sessions and develop your skills in leading professional development, working towards NCETM accreditation."}
    ]'::jsonb,
    7
  );
