-- Each person's private iCalendar feed of the events they are booked on (ADR 0022): a secret URL,
-- kept only as a hash, which the person can reset (the old URL then answers not found).
CREATE TABLE calendar_feeds (
  person_id bigint PRIMARY KEY REFERENCES people (id),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
);
