-- Funding (ADR 0027): the rules that price what happened, and what is owed to each school because
-- of it. Money is integer pence everywhere. What is owed is a ledger: one owed item per record
-- behind it (a half day of release used, a support visit, a grant due), and the changes to its
-- amount as rows that are only ever added, so a withdrawal or a correction is history, never an edit.

-- A programme's funding from a date: the rule applying to a day is the latest one from on or before it.
CREATE TABLE funding_rules (
  id bigserial PRIMARY KEY,
  programme_id text NOT NULL REFERENCES programmes (id),
  applies_from date NOT NULL,
  -- A day of release time; half days are paid at half of it, so it is a whole number of 2p.
  release_day_rate_pence integer NOT NULL CHECK (release_day_rate_pence BETWEEN 0 AND 10000000
    AND release_day_rate_pence % 2 = 0),
  -- Funded release by participation year, in half days: the first is year 1, and the last
  -- applies to every later year.
  release_half_days_by_year integer[] NOT NULL CHECK (cardinality(release_half_days_by_year) BETWEEN 1 AND 10
    AND 0 <= ALL (release_half_days_by_year) AND 200 >= ALL (release_half_days_by_year)),
  -- A bursary to the specialist's department, once, in the development year.
  bursary_pence integer NOT NULL CHECK (bursary_pence BETWEEN 0 AND 10000000),
  -- A day of in-school support (support visits are recorded in half days).
  support_day_rate_pence integer NOT NULL CHECK (support_day_rate_pence BETWEEN 0 AND 10000000
    AND support_day_rate_pence % 2 = 0),
  -- Travel to residentials is the actual cost, up to these caps.
  travel_journey_cap_pence integer NOT NULL CHECK (travel_journey_cap_pence BETWEEN 0 AND 10000000),
  travel_night_cap_pence integer NOT NULL CHECK (travel_night_cap_pence BETWEEN 0 AND 10000000),
  note text CHECK (note IS NULL OR length(note) <= 2000),
  created_by bigint REFERENCES people (id),
  created_at timestamptz NOT NULL,
  CONSTRAINT funding_rules_one_a_day UNIQUE (programme_id, applies_from)
);

-- The rules the programmes' own pages give, from September 2020 (ADR 0027 lists the sources).
INSERT INTO funding_rules (programme_id, applies_from, release_day_rate_pence, release_half_days_by_year,
  bursary_pence, support_day_rate_pence, travel_journey_cap_pence, travel_night_cap_pence, note, created_at)
SELECT p.id, DATE '2020-09-01', r.rate, r.half_days, r.bursary, r.support, 15000, 12000, r.note,
  TIMESTAMPTZ '2020-09-01 00:00:00+00'
FROM programmes p
JOIN (VALUES
    ('primary-mastery-specialist', 20000, ARRAY[30, 30, 24], 0, 35000,
      '15 days of release in the development year; about 12 to 37 days a year from year 2, agreed with the hub.'),
    ('secondary-mastery-specialist', 20000, ARRAY[20, 30, 24], 100000, 35000,
      '10 days at £200 in year 1 and a £1,000 bursary to the department; 15 days in year 2.')
  ) AS r (programme_id, rate, half_days, bursary, support, note) ON r.programme_id = p.id;

-- One owed item per record behind it. The item never changes; its amount is the sum of its changes.
CREATE TABLE owed_items (
  id bigserial PRIMARY KEY,
  -- 'release-time': a release_entries use; 'support-visit': a work_group_support_visits row;
  -- 'grant': a work_group_grants_due row.
  kind text NOT NULL CHECK (kind IN ('release-time', 'support-visit', 'grant')),
  source_id bigint NOT NULL,
  -- Who pays (the hub) and who is paid (the school).
  hub_id text NOT NULL REFERENCES hubs (id),
  school_urn integer NOT NULL REFERENCES schools (urn),
  -- For release time and support visits, the specialist's participation.
  participation_id bigint REFERENCES participations (id),
  work_group_id bigint REFERENCES work_groups (id),
  -- The day it happened (a grant: the day it became due).
  on_date date NOT NULL,
  description text NOT NULL CHECK (length(description) <= 500),
  created_at timestamptz NOT NULL,
  CONSTRAINT owed_items_one_per_record UNIQUE (kind, source_id)
);
CREATE INDEX owed_items_hub ON owed_items (hub_id, on_date);
CREATE INDEX owed_items_school ON owed_items (school_urn, on_date);

-- Each change to an item's amount, signed: the first is what became owed, later ones correct it.
CREATE TABLE owed_changes (
  id bigserial PRIMARY KEY,
  owed_item_id bigint NOT NULL REFERENCES owed_items (id),
  amount_pence integer NOT NULL CHECK (amount_pence <> 0 AND amount_pence BETWEEN -10000000 AND 10000000),
  funding_rule_id bigint REFERENCES funding_rules (id),
  -- Why: 'Logged', 'Reversed: …', 'Rate from 1 September 2026'.
  reason text NOT NULL CHECK (btrim(reason) <> '' AND length(reason) <= 2000),
  created_at timestamptz NOT NULL
);
CREATE INDEX owed_changes_item ON owed_changes (owed_item_id);

CREATE FUNCTION funding_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: a correction is a new row', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER owed_items_no_update_or_delete
  BEFORE UPDATE OR DELETE ON owed_items
  FOR EACH ROW EXECUTE FUNCTION funding_append_only();

CREATE TRIGGER owed_changes_no_update_or_delete
  BEFORE UPDATE OR DELETE ON owed_changes
  FOR EACH ROW EXECUTE FUNCTION funding_append_only();
