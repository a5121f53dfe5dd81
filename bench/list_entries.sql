-- pgbench script for scripts/bench-api: the statements the server issues
-- for logEntries(first: 50) over entries without a project, as captured
-- with log_statement = 'all' (three statements, no transaction: the
-- session check, the page, its tags). Variables (pgbench -D): uid, the bench
-- user's id; sid, the id of its session (refresh_tokens.family_id); id1 ..
-- id50, the ids of the first page in order (the server sends the ids the first query returned; the page
-- does not change while this runs). Run with -M prepared, as the server
-- uses prepared statements.
\set lim 51
\set one 1
-- Authentication: the access token's session must be live (one query per
-- request; the server also writes last_used_at at most once a minute, left out).
SELECT "refresh_tokens"."id", "refresh_tokens"."family_id", "refresh_tokens"."user_id", "refresh_tokens"."token_hash", "refresh_tokens"."user_agent", "refresh_tokens"."expires_at", "refresh_tokens"."rotated_at", "refresh_tokens"."revoked_at", "refresh_tokens"."last_used_at", "refresh_tokens"."created_at" FROM "refresh_tokens" WHERE "refresh_tokens"."user_id" = :uid AND "refresh_tokens"."revoked_at" IS NULL AND "refresh_tokens"."rotated_at" IS NULL AND "refresh_tokens"."expires_at" > now() AND "refresh_tokens"."family_id" = :sid LIMIT :one;
-- The operation.
SELECT "log_entries"."id", "log_entries"."user_id", "log_entries"."project_id", "log_entries"."title", "log_entries"."description", "log_entries"."activity_type", "log_entries"."start_time", "log_entries"."end_time", "log_entries"."duration_minutes", "log_entries"."value_rating", "log_entries"."impact_level", "log_entries"."created_at", "log_entries"."updated_at" FROM "log_entries" WHERE "log_entries"."user_id" = :uid ORDER BY "log_entries"."start_time" DESC, "log_entries"."id" DESC LIMIT :lim;
SELECT "log_entry_tags"."log_entry_id", "tags"."name" FROM "log_entry_tags" INNER JOIN "tags" ON "log_entry_tags"."tag_id" = "tags"."id" WHERE "log_entry_tags"."log_entry_id" IN (:id1, :id2, :id3, :id4, :id5, :id6, :id7, :id8, :id9, :id10, :id11, :id12, :id13, :id14, :id15, :id16, :id17, :id18, :id19, :id20, :id21, :id22, :id23, :id24, :id25, :id26, :id27, :id28, :id29, :id30, :id31, :id32, :id33, :id34, :id35, :id36, :id37, :id38, :id39, :id40, :id41, :id42, :id43, :id44, :id45, :id46, :id47, :id48, :id49, :id50) ORDER BY "tags"."name" ASC;
