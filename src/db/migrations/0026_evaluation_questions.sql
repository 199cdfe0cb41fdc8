-- The end-of-year questionnaire's default questions, so every service has a questionnaire to send
-- from the start; NCETM rewords, reorders, retires and adds to them on the questions page.
INSERT INTO evaluation_questions (audience, kind, text, position, created_at)
VALUES
  ('advocate', 'scale', 'How much has the Work Group developed your understanding of teaching for mastery?', 1, now()),
  ('advocate', 'scale', 'How much has your teaching changed because of the Work Group?', 2, now()),
  ('advocate', 'scale', 'How well has your school supported your work as a Mastery Advocate?', 3, now()),
  ('advocate', 'scale', 'How useful were the lesson observations and discussions at the sessions?', 4, now()),
  ('advocate', 'text', 'What has made the biggest difference to pupils in your school?', 5, now()),
  ('advocate', 'text', 'What would have made the Work Group more useful to you?', 6, now()),
  ('specialist', 'scale', 'How far have the group’s schools moved towards teaching for mastery this year?', 1, now()),
  ('specialist', 'scale', 'How well did the schools’ leaders support their advocates?', 2, now()),
  ('specialist', 'text', 'What worked well in leading this group?', 3, now()),
  ('specialist', 'text', 'What support from the hub or NCETM would help you next year?', 4, now());
