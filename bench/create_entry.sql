-- Fallback floor of the create, used only when scripts/bench-api cannot
-- capture the server's SQL from the run (see bench/floor_from_log.pl). It
-- predates issue 18 and lags behind the server (no tags, 4 statements
-- where bb5b57e issues 13–15): a run that falls back to it says so.
-- pgbench script for scripts/bench-api: the statements the server issues
-- for createLogEntry (no tags, no project), as captured with
-- log_statement = 'all': the session check, then a transaction. The server binds all 13 values as parameters and
-- generates a UUIDv7 id; here the id comes from gen_random_uuid() and the
-- timestamps from now(). Variables (pgbench -D): uid, the bench user's id;
-- sid, the id of its session (refresh_tokens.family_id).
-- Run with -M prepared, as the server uses prepared statements.
\set duration 60
\set one 1
-- Authentication: the access token's session must be live (one query per
-- request; the server also writes last_used_at at most once a minute, left out).
SELECT "refresh_tokens"."id", "refresh_tokens"."family_id", "refresh_tokens"."user_id", "refresh_tokens"."token_hash", "refresh_tokens"."user_agent", "refresh_tokens"."expires_at", "refresh_tokens"."rotated_at", "refresh_tokens"."revoked_at", "refresh_tokens"."last_used_at", "refresh_tokens"."created_at" FROM "refresh_tokens" WHERE "refresh_tokens"."user_id" = :uid AND "refresh_tokens"."revoked_at" IS NULL AND "refresh_tokens"."rotated_at" IS NULL AND "refresh_tokens"."expires_at" > now() AND "refresh_tokens"."family_id" = :sid LIMIT :one;
-- The operation.
BEGIN;
INSERT INTO "log_entries" ("id", "user_id", "project_id", "title", "description", "activity_type", "start_time", "end_time", "duration_minutes", "value_rating", "impact_level", "created_at", "updated_at") VALUES (gen_random_uuid(), :uid, NULL, 'Bench', NULL, 'code', '2026-03-01 09:00:00+00', '2026-03-01 10:00:00+00', :duration, 'medium', 'personal', now(), now()) RETURNING "id", "user_id", "project_id", "title", "description", "activity_type", "start_time", "end_time", "duration_minutes", "value_rating", "impact_level", "created_at", "updated_at" \gset
SELECT "log_entry_tags"."log_entry_id", "tags"."name" FROM "log_entry_tags" INNER JOIN "tags" ON "log_entry_tags"."tag_id" = "tags"."id" WHERE "log_entry_tags"."log_entry_id" IN (:id) ORDER BY "tags"."name" ASC;
COMMIT;
