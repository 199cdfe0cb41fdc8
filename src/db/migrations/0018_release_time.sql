-- Release time (ADR 0023): the ledger of half days a Mastery Specialist is released from school,
-- and the extra days a hub approves beyond the cohort's funding. Both are append-only: a mistake
-- is corrected by a new entry reversing the old one, and nothing is ever updated or deleted.
-- Funding work claims and pays from these rows, so they are exact integers of half days.

CREATE TABLE release_entries (
  id bigserial PRIMARY KEY,
  participation_id bigint NOT NULL REFERENCES participations (id),
  -- 'use': a half day used; 'reversal': the correction that takes a use back out of the count.
  kind text NOT NULL CHECK (kind IN ('use', 'reversal')),
  on_date date NOT NULL,
  half text NOT NULL CHECK (half IN ('morning', 'afternoon')),
  activity text NOT NULL CHECK (activity IN ('residential', 'hub-work', 'department', 'other-schools',
    'work-group', 'pd-lead', 'teaching-for-mastery')),
  note text CHECK (note IS NULL OR length(note) <= 500),
  -- A reversal names the use it takes back (once only) and why.
  reverses_entry_id bigint CONSTRAINT release_entries_reversed_once UNIQUE,
  reason text CHECK (reason IS NULL OR length(reason) <= 2000),
  -- A use logged again after an earlier use of the same half day was reversed names that reversal
  -- (once only): so one half day has at most one use not reversed, whatever the race.
  follows_reversal_id bigint CONSTRAINT release_entries_followed_once UNIQUE,
  -- Constants the foreign keys below compare with the kind of the entry they name.
  reversed_kind text NOT NULL DEFAULT 'use' CHECK (reversed_kind = 'use'),
  followed_kind text NOT NULL DEFAULT 'reversal' CHECK (followed_kind = 'reversal'),
  logged_by bigint REFERENCES people (id),
  -- Who logged it: the specialist, their hub's team, or NCETM.
  logged_as text NOT NULL CHECK (logged_as IN ('specialist', 'hub', 'ncetm')),
  created_at timestamptz NOT NULL,
  CHECK ((kind = 'reversal') = (reverses_entry_id IS NOT NULL)),
  CHECK ((kind = 'reversal') = (reason IS NOT NULL AND btrim(reason) <> '')),
  CHECK (kind = 'use' OR (follows_reversal_id IS NULL AND note IS NULL)),
  CONSTRAINT release_entries_same_half_day UNIQUE (id, participation_id, on_date, half, kind),
  -- A reversal takes back a use of the same participation's same half day.
  CONSTRAINT release_entries_reverses_a_use
    FOREIGN KEY (reverses_entry_id, participation_id, on_date, half, reversed_kind)
    REFERENCES release_entries (id, participation_id, on_date, half, kind),
  -- A use logged again follows a reversal of the same participation's same half day.
  CONSTRAINT release_entries_follows_a_reversal
    FOREIGN KEY (follows_reversal_id, participation_id, on_date, half, followed_kind)
    REFERENCES release_entries (id, participation_id, on_date, half, kind)
);

-- The first use of a half day; any later one must follow a reversal, each reversal at most once.
CREATE UNIQUE INDEX release_entries_one_first_use ON release_entries (participation_id, on_date, half)
  WHERE kind = 'use' AND follows_reversal_id IS NULL;
CREATE INDEX release_entries_participation ON release_entries (participation_id, on_date);

-- Extra half days the hub (or NCETM) approves for one participation year, beyond the funded days.
CREATE TABLE release_extra_days (
  id bigserial PRIMARY KEY,
  participation_id bigint NOT NULL REFERENCES participations (id),
  -- The participation year: 1 and 2 the development years, then each 12 months active.
  year integer NOT NULL CHECK (year BETWEEN 1 AND 50),
  half_days integer NOT NULL CHECK (half_days BETWEEN 1 AND 200),
  reason text NOT NULL CHECK (btrim(reason) <> '' AND length(reason) <= 2000),
  approved_by bigint REFERENCES people (id),
  approved_as text NOT NULL CHECK (approved_as IN ('hub', 'ncetm')),
  created_at timestamptz NOT NULL
);
CREATE INDEX release_extra_days_participation ON release_extra_days (participation_id, year);

CREATE FUNCTION release_time_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: a correction is a new entry', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER release_entries_no_update_or_delete
  BEFORE UPDATE OR DELETE ON release_entries
  FOR EACH ROW EXECUTE FUNCTION release_time_append_only();

CREATE TRIGGER release_extra_days_no_update_or_delete
  BEFORE UPDATE OR DELETE ON release_extra_days
  FOR EACH ROW EXECUTE FUNCTION release_time_append_only();
