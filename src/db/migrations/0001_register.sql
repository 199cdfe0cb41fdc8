-- The school register (from the DfE's Get Information About Schools), its links, the Maths Hubs
-- and the local authorities each serves, and a record of every import run.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE import_runs (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('schools', 'school-links', 'hubs')),
  file_name text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('full', 'partial')),
  status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
  encoding text,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  rows_read integer NOT NULL DEFAULT 0,
  inserted integer NOT NULL DEFAULT 0,
  updated integer NOT NULL DEFAULT 0,
  unchanged integer NOT NULL DEFAULT 0,
  closed integer NOT NULL DEFAULT 0,
  rejected integer NOT NULL DEFAULT 0,
  -- The first problems found, as [{line, field, message}], for the person who ran the import.
  problems jsonb NOT NULL DEFAULT '[]'::jsonb,
  message text
);

CREATE TABLE schools (
  urn integer PRIMARY KEY CHECK (urn > 0),
  name text NOT NULL,
  -- Lower case, punctuation folded: what name search matches against.
  search_name text NOT NULL,
  type_name text NOT NULL,
  type_group text NOT NULL,
  phase text NOT NULL,
  la_code text NOT NULL,
  la_name text NOT NULL,
  postcode text,
  -- Upper case without spaces, for postcode search.
  postcode_key text,
  town text,
  easting integer,
  northing integer,
  pupils integer,
  percentage_fsm numeric(5, 2),
  trust_code text,
  trust_name text,
  website text,
  telephone text,
  status text NOT NULL,
  open boolean NOT NULL,
  in_england boolean NOT NULL,
  state_funded boolean NOT NULL,
  created_by_import_id bigint REFERENCES import_runs (id),
  updated_by_import_id bigint REFERENCES import_runs (id),
  closed_by_import_id bigint REFERENCES import_runs (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX schools_search_name_trgm ON schools USING gin (search_name gin_trgm_ops);
CREATE INDEX schools_postcode_key ON schools (postcode_key text_pattern_ops);
CREATE INDEX schools_la_code ON schools (la_code);
CREATE INDEX schools_phase ON schools (phase);

-- GIAS establishment links: for URN, LinkURN is its predecessor or successor (academy conversions,
-- mergers). Kept for URNs the register may no longer hold, so an old URN still finds the school.
CREATE TABLE school_links (
  urn integer NOT NULL,
  link_urn integer NOT NULL,
  link_name text,
  link_type text NOT NULL,
  established_on date,
  PRIMARY KEY (urn, link_urn, link_type)
);

CREATE INDEX school_links_link_urn ON school_links (link_urn);

CREATE TABLE hubs (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL UNIQUE,
  contact_email text,
  contact_phone text,
  website text,
  lead_school_urn integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One hub per local authority.
CREATE TABLE hub_areas (
  la_code text PRIMARY KEY,
  la_name text,
  hub_id text NOT NULL REFERENCES hubs (id) ON DELETE CASCADE,
  import_id bigint REFERENCES import_runs (id)
);

CREATE INDEX hub_areas_hub_id ON hub_areas (hub_id);

-- The exceptions: a school served by a hub other than its local authority's.
CREATE TABLE school_hub_overrides (
  urn integer PRIMARY KEY REFERENCES schools (urn),
  hub_id text NOT NULL REFERENCES hubs (id) ON DELETE CASCADE,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The hub that serves each school: its own override, else its local authority's hub.
CREATE VIEW school_hubs AS
SELECT
  s.urn,
  coalesce(o.hub_id, a.hub_id) AS hub_id,
  (o.hub_id IS NOT NULL) AS overridden
FROM schools s
LEFT JOIN school_hub_overrides o ON o.urn = s.urn
LEFT JOIN hub_areas a ON a.la_code = s.la_code;

CREATE TABLE service_settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL
);
