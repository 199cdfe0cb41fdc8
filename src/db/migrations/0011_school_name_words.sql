-- "Did you mean …?" for school search: the distinct words of open schools' folded names, towns and
-- local authorities, each with how many schools use it, and a trigram index to find the word
-- nearest a mistyped one ("aldgte" -> "aldgate"). A materialized view, refreshed by each import of
-- schools and each restore, so a backup never holds it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE MATERIALIZED VIEW school_name_words AS
  SELECT word, count(*)::int AS schools
  FROM (SELECT DISTINCT urn, unnest(string_to_array(search_name, ' ')) AS word FROM schools WHERE open) AS w
  WHERE length(word) >= 3
  GROUP BY word;

CREATE UNIQUE INDEX school_name_words_word ON school_name_words (word);
CREATE INDEX school_name_words_trgm ON school_name_words USING gin (word gin_trgm_ops);
