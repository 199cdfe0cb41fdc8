-- Moderation says why: NCETM's reason for sending a hub's decisions back, which the hub lead is
-- emailed and the hub's page shows until the decisions are confirmed again.
ALTER TABLE selection_rounds ADD COLUMN sent_back_reason text;
ALTER TABLE selection_rounds ADD COLUMN sent_back_by bigint REFERENCES people (id);
ALTER TABLE selection_rounds ADD COLUMN sent_back_at timestamptz;

-- The hub's leads take reviews in automatic assignment only when they have said they will.
ALTER TABLE selection_rounds ADD COLUMN leads_review boolean NOT NULL DEFAULT false;

-- When the round's reviews are due; reviewers still without a completed review after it are reminded.
ALTER TABLE selection_rounds ADD COLUMN review_deadline timestamptz;

-- A late reviewer is reminded at most once a UK day, whatever the number of rounds or processes.
CREATE TABLE review_reminders (
  reviewer_id bigint NOT NULL REFERENCES people (id),
  -- The UK calendar day the reminder was sent on.
  sent_on date NOT NULL,
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (reviewer_id, sent_on)
);
