-- Fallback floor of the create, used only when scripts/bench-api cannot
-- capture the server's SQL from the run (see bench/floor_from_log.pl): the
-- two statements 43daf21 issues for createLogEntry with two tags when the
-- person's enrichment backlog is full (the state the benchmark measures):
-- the preference and backlog probe, then the entry and its tags in one
-- statement (no transaction). The server binds every value as a parameter
-- and generates UUIDv7 ids; here ids come from gen_random_uuid() and the
-- timestamps from now(). The session check is cached for 5 s and left out.
-- Variables (pgbench -D): uid, the creating user's id (sid is passed too
-- and unused). Run with -M prepared.
SELECT "users"."preferences", EXISTS(SELECT "jobs"."id" FROM "jobs" WHERE "jobs"."user_id" = :uid::uuid AND "jobs"."kind" = 'enrichment' AND "jobs"."status" IN ('pending', 'running', 'retrying') LIMIT '1' OFFSET '19') FROM "users" WHERE "users"."id" = :uid::uuid LIMIT '1';
WITH entry AS (INSERT INTO "log_entries" ("id", "user_id", "project_id", "title", "description", "activity_type", "start_time", "end_time", "duration_minutes", "value_rating", "impact_level", "is_draft", "source", "external_uid", "created_at", "updated_at") VALUES (gen_random_uuid(), :uid::uuid, NULL, 'Bench', NULL, 'code', '2026-03-01 09:00:00+00', '2026-03-01 10:00:00+00', '60', 'medium', 'personal', 'f', NULL, NULL, now(), now()) RETURNING id), wanted (id, name) AS (VALUES (gen_random_uuid(), 'backend'::text), (gen_random_uuid(), 'bug-fix'::text)), existing AS (SELECT t.id, t.name FROM tags t WHERE t.user_id = :uid::uuid AND t.name IN (SELECT name FROM wanted)), created AS (INSERT INTO tags (id, user_id, name, category, color, created_at, updated_at) SELECT w.id, :uid::uuid, w.name, 'custom', NULL, now(), now() FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.name = w.name) ON CONFLICT (user_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id, name), found AS (SELECT id, name FROM existing UNION ALL SELECT id, name FROM created), linked AS (INSERT INTO log_entry_tags (log_entry_id, tag_id) SELECT n.id, f.id FROM entry n CROSS JOIN found f ON CONFLICT DO NOTHING) SELECT name FROM found ORDER BY name;
