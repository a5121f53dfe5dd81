-- pgbench script for scripts/bench-api: the fallback floor of the 50-entry
-- list, used when the run cannot capture the server's SQL itself (a server
-- given by BENCH_PG_URL, or a captured script that does not replay). The
-- statement the server issues for bench/list_entries.json since issue 18's
-- sixth pass (only the columns the document asks for; tag names as a text
-- array; one statement, the session check is cached for 5 s), written as
-- scripts/bench-api captures it. Variables (pgbench -D): uid, the listed
-- user's id (sid and id1..id50 are passed too and unused). Run with -M prepared.
\set lim 51
SELECT "log_entries"."id", "log_entries"."title", "log_entries"."activity_type", "log_entries"."start_time", "log_entries"."end_time", "log_entries"."duration_minutes", "projects"."id" AS "p_id", "projects"."name" AS "p_name", (SELECT array_agg(t.name ORDER BY t.name) FROM log_entry_tags et JOIN tags t ON t.id = et.tag_id WHERE et.log_entry_id = log_entries.id) AS "tag_names" FROM "log_entries" LEFT JOIN "projects" ON "log_entries"."project_id" = "projects"."id" AND "projects"."user_id" = "log_entries"."user_id" WHERE "log_entries"."user_id" = :uid ORDER BY "log_entries"."start_time" DESC, "log_entries"."id" DESC LIMIT :lim;
