-- PostGraphile 4 side of scripts/bench-api (issue 18), run in the bench
-- database after seeding. psql variables: role, the role PostGraphile's
-- requests run as (named in the role claim of its JWT); auth, the role it
-- connects as (PostGraphile's "authenticator": it can become role and
-- nothing more).
--
-- PostGraphile serves EngLog's own tables (log_entries, projects, tags,
-- log_entry_tags): the same rows, indexes and statistics EngLog reads. The
-- per-user filter EngLog applies in its own SQL is, on this side, row-level
-- security keyed by the user id in the JWT (PostGraphile's documented
-- pattern: each request runs in a transaction that sets jwt.claims.* and
-- SET LOCAL ROLE from the token). EngLog connects as the superuser that
-- owns the tables, which bypasses row-level security, so its path is
-- unchanged.
\set ON_ERROR_STOP on

SELECT format('CREATE ROLE %I NOLOGIN', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('CREATE ROLE %I LOGIN NOINHERIT', :'auth')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'auth') \gexec
GRANT :"role" TO :"auth";

GRANT USAGE ON SCHEMA public TO :"role";
GRANT SELECT ON log_entries, projects, tags, log_entry_tags TO :"role";
GRANT INSERT ON log_entries, tags, log_entry_tags TO :"role";

-- Rows of the user named by the token, as EngLog's "WHERE user_id = $1".
-- log_entry_tags has no user column: a link row is only two ids, reached from
-- an entry the policy let through, and the tag's name is behind tags' policy.
ALTER TABLE log_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE tags ENABLE ROW LEVEL SECURITY;
CREATE POLICY bench_own ON log_entries TO :"role"
  USING (user_id = nullif(current_setting('jwt.claims.user_id', true), '')::uuid)
  WITH CHECK (user_id = nullif(current_setting('jwt.claims.user_id', true), '')::uuid);
CREATE POLICY bench_own ON projects TO :"role"
  USING (user_id = nullif(current_setting('jwt.claims.user_id', true), '')::uuid);
CREATE POLICY bench_own ON tags TO :"role"
  USING (user_id = nullif(current_setting('jwt.claims.user_id', true), '')::uuid)
  WITH CHECK (user_id = nullif(current_setting('jwt.claims.user_id', true), '')::uuid);

-- The create: PostGraphile's generated CRUD mutations write one row each,
-- so an entry with two tags would be four requests. A function mutation is
-- how PostGraphile does a multi-row write in one request; this one does what
-- EngLog's createLogEntry does with tags (entry, tags upserted by name, the
-- links) in one statement from PostGraphile's point of view.
CREATE SCHEMA pgl;
GRANT USAGE ON SCHEMA pgl TO :"role";
CREATE FUNCTION pgl.create_entry(title text, activity_type text, start_time timestamptz,
                                 end_time timestamptz, tag_names text[])
RETURNS public.log_entries
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
  e public.log_entries;
  uid uuid := current_setting('jwt.claims.user_id')::uuid;
BEGIN
  INSERT INTO public.log_entries (id, user_id, title, activity_type, start_time, end_time,
                                  duration_minutes, value_rating, impact_level, created_at, updated_at)
  VALUES (gen_random_uuid(), uid, title, lower(activity_type), start_time, end_time,
          (extract(epoch FROM end_time - start_time) / 60)::int, 'medium', 'personal', now(), now())
  RETURNING * INTO e;
  INSERT INTO public.tags (id, user_id, name, category, created_at, updated_at)
  SELECT gen_random_uuid(), uid, n, 'custom', now(), now() FROM unnest(tag_names) n
  ON CONFLICT (user_id, name) DO NOTHING;
  INSERT INTO public.log_entry_tags (log_entry_id, tag_id)
  SELECT e.id, t.id FROM public.tags t WHERE t.user_id = uid AND t.name = ANY (tag_names);
  RETURN e;
END
$$;
GRANT EXECUTE ON FUNCTION pgl.create_entry(text, text, timestamptz, timestamptz, text[]) TO :"role";
