-- Erasing a person (ADR 0011) reaches their release time. The ledger and the approvals of extra
-- days stay append-only (0018) with one exception: once a person is erased, an update of one of
-- their rows may blank its free text, and change nothing else. A note may only be removed; a
-- reason (which a reversal and an approval must keep) may only become 'Erased'. Every other
-- update, and every delete, is still refused.
CREATE OR REPLACE FUNCTION release_time_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_row jsonb;
  new_row jsonb;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    old_row := to_jsonb(OLD);
    new_row := to_jsonb(NEW);
    IF (new_row - 'note' - 'reason') = (old_row - 'note' - 'reason')
       AND ((new_row -> 'note') IS NOT DISTINCT FROM (old_row -> 'note')
            OR new_row -> 'note' = 'null'::jsonb)
       AND ((new_row -> 'reason') IS NOT DISTINCT FROM (old_row -> 'reason')
            OR new_row ->> 'reason' = 'Erased')
       AND EXISTS (
         SELECT 1 FROM participations p JOIN people pe ON pe.id = p.person_id
         WHERE p.id = OLD.participation_id AND pe.erased_at IS NOT NULL)
    THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only: a correction is a new entry', TG_TABLE_NAME;
END;
$$;
