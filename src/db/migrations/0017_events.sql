-- The Mastery Specialist's development years: events, their days and venues, bookings and
-- attendance (ADR 0022). An event is a national residential for a cohort, a hub session, a
-- bespoke support visit (half-day units at the specialist's school) or the pilot collaborative
-- lesson observation workshop.

CREATE TABLE events (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('residential', 'hub-session', 'support-visit', 'workshop')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  -- A residential and the workshop belong to a cohort; a hub session and a support visit to a
  -- hub; a support visit is for one participation.
  cohort_id text REFERENCES cohorts (id),
  hub_id text REFERENCES hubs (id),
  participation_id bigint REFERENCES participations (id),
  -- 'planned' is "subject to confirmation" until NCETM or the hub confirms it.
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'confirmed', 'cancelled')),
  -- Raised on every change a booked person's calendar must follow (iCalendar SEQUENCE).
  sequence integer NOT NULL DEFAULT 0 CHECK (sequence >= 0),
  -- Support visits are counted in half days.
  half_days integer CHECK (half_days IS NULL OR half_days BETWEEN 1 AND 20),
  -- Access and dietary needs recorded for it are deleted after this date.
  needs_retained_until date,
  created_by bigint REFERENCES people (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  confirmed_at timestamptz,
  cancelled_at timestamptz,
  cancel_reason text CHECK (cancel_reason IS NULL OR length(cancel_reason) <= 2000),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
  CHECK (kind NOT IN ('residential', 'workshop') OR cohort_id IS NOT NULL),
  CHECK (kind NOT IN ('hub-session', 'support-visit') OR hub_id IS NOT NULL),
  CHECK ((kind = 'support-visit') = (participation_id IS NOT NULL)),
  CHECK ((kind = 'support-visit') = (half_days IS NOT NULL))
);
CREATE INDEX events_cohort ON events (cohort_id) WHERE cohort_id IS NOT NULL;
CREATE INDEX events_hub ON events (hub_id) WHERE hub_id IS NOT NULL;
CREATE INDEX events_participation ON events (participation_id) WHERE participation_id IS NOT NULL;

-- Each day of an event, with its hours (UK time is shown; the instants are stored). A two-day
-- residential has two. An attendance code is valid only within its day's hours.
CREATE TABLE event_days (
  id bigserial PRIMARY KEY,
  event_id bigint NOT NULL REFERENCES events (id),
  day_number integer NOT NULL CHECK (day_number BETWEEN 1 AND 10),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  -- The hash of the short code shown at the event that day, when one has been shown.
  attendance_code_hash text,
  CHECK (ends_at > starts_at),
  UNIQUE (event_id, day_number)
);

-- Where an event is held. A residential may have two (London or Manchester): a booking names one.
CREATE TABLE event_venues (
  id bigserial PRIMARY KEY,
  event_id bigint NOT NULL REFERENCES events (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  address text NOT NULL CHECK (length(address) BETWEEN 1 AND 1000),
  capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
  UNIQUE (event_id, name)
);

-- A participation's place at an event (at one venue), or on its waiting list when the venue is
-- full. Access and dietary needs are seen only by the organisers and the person.
CREATE TABLE bookings (
  id bigserial PRIMARY KEY,
  event_id bigint NOT NULL REFERENCES events (id),
  venue_id bigint NOT NULL REFERENCES event_venues (id),
  participation_id bigint NOT NULL REFERENCES participations (id),
  status text NOT NULL CHECK (status IN ('booked', 'waiting', 'cancelled')),
  access_needs text CHECK (access_needs IS NULL OR length(access_needs) <= 2000),
  dietary_needs text CHECK (dietary_needs IS NULL OR length(dietary_needs) <= 2000),
  needs_deleted_at timestamptz,
  booked_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  cancelled_at timestamptz,
  cancel_reason text CHECK (cancel_reason IS NULL OR length(cancel_reason) <= 2000),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
-- One live booking (or waiting place) per participation per event.
CREATE UNIQUE INDEX bookings_one_live ON bookings (event_id, participation_id) WHERE status <> 'cancelled';
CREATE INDEX bookings_participation ON bookings (participation_id);
CREATE INDEX bookings_venue ON bookings (venue_id, status, booked_at);

-- Attendance per event day: present, late, left early, or absent with a reason; how it was
-- recorded (on screen, an upload, or the attendee's code) and by whom.
CREATE TABLE attendance (
  id bigserial PRIMARY KEY,
  event_day_id bigint NOT NULL REFERENCES event_days (id),
  booking_id bigint NOT NULL REFERENCES bookings (id),
  status text NOT NULL CHECK (status IN ('present', 'late', 'left-early', 'absent')),
  absence_reason text CHECK (absence_reason IS NULL OR length(absence_reason) <= 2000),
  method text NOT NULL CHECK (method IN ('screen', 'upload', 'code')),
  recorded_by bigint REFERENCES people (id),
  recorded_at timestamptz NOT NULL,
  CHECK ((status = 'absent') = (absence_reason IS NOT NULL AND btrim(absence_reason) <> '')),
  UNIQUE (event_day_id, booking_id)
);
CREATE INDEX attendance_booking ON attendance (booking_id);

-- Today's residentials on cohorts become real events, each with its days (09:00 to 17:00 UK
-- time) and one venue to be named. The JSON stays as the cohort's history of what was planned.
CREATE TEMP TABLE residentials_to_move AS
SELECT nextval('events_id_seq') AS event_id, c.id AS cohort_id, r.value ->> 'name' AS name,
       (r.value ->> 'startsOn')::date AS starts_on, (r.value ->> 'endsOn')::date AS ends_on,
       coalesce((r.value ->> 'subjectToConfirmation')::boolean, true) AS subject_to_confirmation,
       c.created_at
FROM cohorts c, jsonb_array_elements(c.residentials::jsonb) WITH ORDINALITY AS r (value, ordinality)
ORDER BY c.id, r.ordinality;

INSERT INTO events (id, kind, title, cohort_id, status, created_at, updated_at, confirmed_at, needs_retained_until)
SELECT event_id, 'residential', left(name, 200), cohort_id,
       CASE WHEN subject_to_confirmation THEN 'planned' ELSE 'confirmed' END,
       created_at, created_at, CASE WHEN subject_to_confirmation THEN NULL ELSE created_at END,
       ends_on + 30
FROM residentials_to_move;

INSERT INTO event_days (event_id, day_number, starts_at, ends_at)
SELECT m.event_id, d.n, ((m.starts_on + d.n - 1) + time '09:00') AT TIME ZONE 'Europe/London',
       ((m.starts_on + d.n - 1) + time '17:00') AT TIME ZONE 'Europe/London'
FROM residentials_to_move m
CROSS JOIN LATERAL generate_series(1, least(greatest(m.ends_on - m.starts_on + 1, 1), 10)) AS d (n);

INSERT INTO event_venues (event_id, name, address, capacity)
SELECT event_id, 'Venue to be confirmed', 'To be confirmed', 100 FROM residentials_to_move;

DROP TABLE residentials_to_move;
