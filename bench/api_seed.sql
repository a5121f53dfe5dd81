-- Bench dataset for scripts/bench-api (issue 18). psql variables:
--   list_user    the id of the user whose first page is listed (registered
--                through the API)
--   create_user  the id of the user that creates entries during the run
--                (registered through the API: creates go to another user so
--                the listed page never changes and list and create rounds can
--                interleave)
--   users        users in all, the two above included (1000)
--   per_user     entries per user (200)
-- Every user gets one project ("Bench project") and two tags (backend,
-- bug-fix); every entry carries the project and both tags. Entry k of a
-- user starts 4k hours before 2026-02-28T00:00Z and lasts one hour, so every
-- seeded entry is older than the ones the create runs add (2026-03-01).
-- Entries are inserted in start-time order across users, so each user's
-- rows are scattered over the table as in a shared server's journal.
\set ON_ERROR_STOP on

INSERT INTO users (id, email, password_hash, email_verified, first_name, last_name,
                   timezone, preferences, created_at, updated_at)
SELECT gen_random_uuid(), 'bench-' || g || '@example.com', NULL, false, 'Bench', 'User ' || g,
       'UTC', '{}'::json, now(), now()
FROM generate_series(1, :users - 2) g;

CREATE TEMP TABLE bench_users AS
SELECT id FROM users
WHERE email LIKE 'bench-%@example.com' OR id IN (:'list_user', :'create_user');

INSERT INTO projects (id, user_id, name, status, created_at, updated_at)
SELECT gen_random_uuid(), u.id, 'Bench project', 'active', now(), now()
FROM bench_users u;

INSERT INTO tags (id, user_id, name, category, created_at, updated_at)
SELECT gen_random_uuid(), u.id, t, 'custom', now(), now()
FROM bench_users u CROSS JOIN unnest(ARRAY['backend', 'bug-fix']) t
ON CONFLICT (user_id, name) DO NOTHING;

INSERT INTO log_entries (id, user_id, project_id, title, activity_type, start_time, end_time,
                         duration_minutes, value_rating, impact_level, created_at, updated_at)
SELECT gen_random_uuid(), u.id, p.id, 'Seed entry ' || k,
       (ARRAY['code', 'debug', 'review', 'meeting', 'docs', 'ops', 'planning', 'learning',
              'mentoring', 'admin'])[1 + k % 10],
       s.start_time, s.start_time + interval '1 hour', 60, 'medium', 'personal',
       s.start_time, s.start_time
FROM bench_users u
JOIN projects p ON p.user_id = u.id
CROSS JOIN generate_series(0, :per_user - 1) k
CROSS JOIN LATERAL (SELECT timestamptz '2026-02-28 00:00:00+00' - k * interval '4 hours' AS start_time) s
ORDER BY s.start_time, u.id;

INSERT INTO log_entry_tags (log_entry_id, tag_id)
SELECT e.id, t.id
FROM log_entries e JOIN tags t ON t.user_id = e.user_id AND t.name IN ('backend', 'bug-fix');

VACUUM ANALYZE;
