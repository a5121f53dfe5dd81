-- The floor of the one-year dashboard (scripts/bench-analytics): the same
-- four statements the API issues for it, in order, run by pgbench -M
-- prepared. Variables (pgbench -D): heavy (user id); p_lo, p_start (the
-- period's first UTC instant, p_lo = p_start − 24 h) and r_end (the end of
-- the Sunday that ends the period's last week: the server reads that far
-- because the 12 trend weeks are selected, and computes them from these
-- rows). The API's project-name query filters on the ids it saw; here the
-- user's projects stand in for them (same 5 rows). The tag links are read
-- by the owner and start they carry on PostgreSQL (migration
-- m20261206_000032), one row per tag with its entries' ids in an array.
SELECT "users"."timezone" FROM "users" WHERE "users"."id" = :heavy LIMIT 1;
SELECT "log_entries"."id", "log_entries"."project_id", "log_entries"."activity_type", "log_entries"."start_time", "log_entries"."end_time", "log_entries"."value_rating", "log_entries"."impact_level", "log_entries"."is_draft" FROM "log_entries" WHERE "log_entries"."user_id" = :heavy AND "log_entries"."start_time" >= :p_lo AND "log_entries"."start_time" < :r_end AND "log_entries"."end_time" > :p_start ORDER BY "log_entries"."start_time" ASC, "log_entries"."id" ASC;
SELECT "tags"."name", array_agg("log_entry_tags"."log_entry_id") FROM "log_entry_tags" INNER JOIN "tags" ON "log_entry_tags"."tag_id" = "tags"."id" WHERE "log_entry_tags"."user_id" = :heavy AND "tags"."user_id" = :heavy AND "log_entry_tags"."start_time" >= :p_lo AND "log_entry_tags"."start_time" < :r_end GROUP BY "tags"."name";
SELECT "projects"."id", "projects"."user_id", "projects"."name", "projects"."description", "projects"."status", "projects"."start_date", "projects"."end_date", "projects"."color", "projects"."created_at", "projects"."updated_at" FROM "projects" WHERE "projects"."user_id" = :heavy;
