-- The Mastery Specialist's development years: each participation's timeline of stages (ADR 0018).
-- A stage is a dated period [starts_on, ends_on); an open stage has no end. A participation's
-- stages never overlap, held so by the database: so one date has at most one stage.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE participation_stages (
  id bigserial PRIMARY KEY,
  participation_id bigint NOT NULL REFERENCES participations (id),
  stage text NOT NULL CHECK (stage IN ('year-one', 'year-two', 'active', 'deferred', 'withdrawn')),
  -- Why the person deferred or withdrew; only those stages carry one, and they must.
  reason text CHECK (reason IS NULL OR length(reason) <= 2000),
  starts_on date NOT NULL,
  ends_on date,
  created_by bigint REFERENCES people (id),
  created_at timestamptz NOT NULL,
  CHECK (ends_on IS NULL OR ends_on > starts_on),
  CHECK ((stage IN ('deferred', 'withdrawn')) = (reason IS NOT NULL AND btrim(reason) <> '')),
  CONSTRAINT participation_stages_no_overlap
    EXCLUDE USING gist (participation_id WITH =, daterange(starts_on, ends_on, '[)') WITH &&)
);

-- Every move of a participation's stage: from, to, why, on which date, who and when; a deferral
-- also names the cohort left and the cohort joined.
CREATE TABLE participation_history (
  id bigserial PRIMARY KEY,
  participation_id bigint NOT NULL REFERENCES participations (id),
  event text NOT NULL,
  from_stage text,
  to_stage text NOT NULL,
  reason text,
  from_cohort_id text REFERENCES cohorts (id),
  to_cohort_id text REFERENCES cohorts (id),
  effective_on date NOT NULL,
  actor_person_id bigint REFERENCES people (id),
  at timestamptz NOT NULL
);

CREATE INDEX participation_history_participation ON participation_history (participation_id, id);

-- Every participation made before the timeline begins development year 1 on the day its place
-- was confirmed (the second acceptance), in UK time.
INSERT INTO participation_stages (participation_id, stage, starts_on, created_at)
SELECT id, 'year-one', (started_at AT TIME ZONE 'Europe/London')::date, started_at FROM participations;

INSERT INTO participation_history (participation_id, event, to_stage, to_cohort_id, effective_on, at)
SELECT id, 'start', 'year-one', cohort_id, (started_at AT TIME ZONE 'Europe/London')::date, started_at
FROM participations;
