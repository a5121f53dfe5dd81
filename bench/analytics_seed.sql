-- Bench dataset for scripts/bench-analytics (issue 5). psql variables:
--   heavy          the heavy user's id (registered through the API)
--   users          how many ordinary users to add (1000)
--   per_user       entries per ordinary user (2000), over 4 years
--   heavy_entries  entries of the heavy user (20000), over 8 years
--   end_day        the last day of the data ('2026-11-21')
-- Deterministic: the same variables give the same rows (ids aside).
-- Entries are inserted in start-time order across all users, so each
-- user's rows are scattered over the table as in a real journal, and about
-- one in six crosses midnight UTC.
\set ON_ERROR_STOP on

INSERT INTO users (id, email, password_hash, email_verified, first_name, last_name,
                   timezone, preferences, created_at, updated_at)
SELECT gen_random_uuid(), 'bench-' || g || '@example.com', NULL, false, 'Bench', 'User ' || g,
       (ARRAY['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'UTC'])[1 + g % 4],
       '{}'::json, now(), now()
FROM generate_series(1, :users) g;

CREATE TEMP TABLE bench_users AS
SELECT id, CASE WHEN id = :'heavy' THEN :heavy_entries ELSE :per_user END AS n,
       CASE WHEN id = :'heavy' THEN 8 * 365 ELSE 4 * 365 END AS days
FROM users WHERE email LIKE 'bench-%@example.com' OR id = :'heavy';

INSERT INTO projects (id, user_id, name, status, created_at, updated_at)
SELECT gen_random_uuid(), u.id, 'Project ' || p, 'active', now(), now()
FROM bench_users u CROSS JOIN generate_series(1, 5) p;

INSERT INTO tags (id, user_id, name, category, created_at, updated_at)
SELECT gen_random_uuid(), u.id, t, 'custom', now(), now()
FROM bench_users u CROSS JOIN unnest(ARRAY['bench-backend', 'bench-frontend', 'bench-bugfix', 'bench-infra']) t;

CREATE TEMP TABLE bench_refs AS
SELECT u.id AS user_id, u.n, u.days,
       ARRAY(SELECT id FROM projects p WHERE p.user_id = u.id ORDER BY name) AS projects,
       ARRAY(SELECT id FROM tags t WHERE t.user_id = u.id AND t.name LIKE 'bench-%' ORDER BY name) AS tags
FROM bench_users u;

-- Entry k of a user starts (k × days / n) days before end_day, between
-- 06:00 and 22:59 UTC, and lasts 15 to 180 minutes.
INSERT INTO log_entries (id, user_id, project_id, title, activity_type, start_time, end_time,
                         duration_minutes, value_rating, impact_level, created_at, updated_at)
SELECT gen_random_uuid(), r.user_id,
       CASE WHEN k % 6 = 0 THEN NULL ELSE r.projects[1 + k % 5] END,
       'Bench entry ' || k,
       (ARRAY['code', 'meeting', 'debug', 'docs', 'review', 'planning', 'mentoring',
              'learning', 'ops', 'admin'])[1 + (k * 7) % 10],
       s.start_time, s.start_time + make_interval(mins => s.minutes), s.minutes,
       (ARRAY['low', 'medium', 'medium', 'high'])[1 + k % 4],
       (ARRAY['personal', 'team', 'team', 'product', 'company'])[1 + k % 5],
       s.start_time, s.start_time
FROM bench_refs r
CROSS JOIN generate_series(0, r.n - 1) k
CROSS JOIN LATERAL (
  SELECT (:'end_day'::date - (k::bigint * r.days / r.n)::int)::timestamp AT TIME ZONE 'UTC'
           + make_interval(hours => 6 + (k * 5) % 17, mins => (k * 13) % 60) AS start_time,
         15 + (k * 37) % 166 AS minutes
) s
ORDER BY s.start_time;

-- Half of the entries carry one of their user's bench tags.
INSERT INTO log_entry_tags (log_entry_id, tag_id)
SELECT e.id, r.tags[1 + (extract(hour FROM e.start_time)::int % 4)]
FROM log_entries e JOIN bench_refs r ON r.user_id = e.user_id
WHERE extract(minute FROM e.start_time)::int % 2 = 0;

VACUUM ANALYZE;
