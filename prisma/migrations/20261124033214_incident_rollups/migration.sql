-- CreateTable
CREATE TABLE "IncidentDayCount" (
    "workspaceId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "cause" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "fixed" INTEGER NOT NULL,
    "stillFailing" INTEGER NOT NULL,

    CONSTRAINT "IncidentDayCount_pkey" PRIMARY KEY ("workspaceId","day","cause")
);

-- CreateTable
CREATE TABLE "IncidentUserCount" (
    "workspaceId" UUID NOT NULL,
    "cause" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "lastSeen" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "IncidentUserCount_pkey" PRIMARY KEY ("workspaceId","cause","userId")
);

-- CreateTable
CREATE TABLE "IncidentCausePeople" (
    "workspaceId" UUID NOT NULL,
    "cause" TEXT NOT NULL,
    "people" INTEGER NOT NULL,

    CONSTRAINT "IncidentCausePeople_pkey" PRIMARY KEY ("workspaceId","cause")
);

-- CreateTable
CREATE TABLE "IncidentFingerprintCount" (
    "workspaceId" UUID NOT NULL,
    "cause" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "people" INTEGER NOT NULL,
    "lastSeen" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "IncidentFingerprintCount_pkey" PRIMARY KEY ("workspaceId","cause","fingerprint")
);

-- CreateTable
CREATE TABLE "IncidentFingerprintUserCount" (
    "workspaceId" UUID NOT NULL,
    "cause" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "IncidentFingerprintUserCount_pkey" PRIMARY KEY ("workspaceId","cause","fingerprint","userId")
);

-- Hand-written below: the triggers that keep the rollups above exact, then the backfill from existing incidents.
--
-- One statement-level trigger function for INSERT, UPDATE and DELETE on "Incident" (transition tables), so every
-- write path keeps the rollups exact: the store's batched INSERT, bulk loads, feedback, retention purges, cascades
-- from a deleted workspace. The changed rows become signed deltas (+1 added, -1 removed; an UPDATE contributes only
-- the rows whose rolled-up columns changed), aggregated per key and upserted table after table in a fixed order and
-- in key order within each (ORDER BY), so concurrent writers lock rollup rows in the same order and cannot deadlock.
-- Every rollup has a row per workspace and one for all workspaces (the nil UUID). People are counted when a
-- (workspace, cause[, fingerprint], user) row appears (its count equals the delta) or disappears (count 0). A removed
-- row that held a key's "lastSeen" makes it recomputed from what remains (the index on "Incident" per workspace and
-- user or fingerprint serves it), in a later statement than the upsert that locked the row, so a concurrent writer's
-- newer row is either already visible or waits for this transaction; retention purges remove the oldest rows, so
-- they never need it.

-- Less than full pages leave room for HOT updates of the counters (no index column changes).
ALTER TABLE "IncidentDayCount" SET (fillfactor = 80);
ALTER TABLE "IncidentUserCount" SET (fillfactor = 80);
ALTER TABLE "IncidentCausePeople" SET (fillfactor = 50);
ALTER TABLE "IncidentFingerprintCount" SET (fillfactor = 80);
ALTER TABLE "IncidentFingerprintUserCount" SET (fillfactor = 80);

-- The "lastSeen" of rows of `tbl` (a rollup keyed by workspace, cause and `col`, a column of "Incident" too) whose
-- newest incident was removed and not replaced by an added one: recomputed per workspace from "Incident" (its index
-- per workspace and user or fingerprint serves it), then for all workspaces from the per-workspace rows. Only deletes
-- and updates that move rows get here.
CREATE FUNCTION "incident_rollups_last_seen"(tbl text, col text, d_ws uuid[], d_cause text[], d_key text[], d_at timestamptz[], d_sign int[])
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE format($sql$
    WITH k AS (
      SELECT d.ws, d.cause, d.key, max(d.at) FILTER (WHERE d.sign < 0) AS gone, max(d.at) FILTER (WHERE d.sign > 0) AS added
      FROM unnest($1, $2, $3, $4, $5) AS d(ws, cause, key, at, sign)
      WHERE d.key IS NOT NULL
      GROUP BY 1, 2, 3
    )
    UPDATE %1$I t
    SET "lastSeen" = (SELECT max(i."createdAt") FROM "Incident" i
                      WHERE i."workspaceId" = t."workspaceId" AND i.%2$I = t.%2$I AND i."cause" = t."cause")
    FROM k
    WHERE t."workspaceId" = k.ws AND t."cause" = k.cause AND t.%2$I = k.key
      AND k.gone IS NOT NULL AND (k.added IS NULL OR k.added < k.gone) AND t."lastSeen" <= k.gone
  $sql$, tbl, col) USING d_ws, d_cause, d_key, d_at, d_sign;
  EXECUTE format($sql$
    WITH k AS (
      SELECT g.cause, g.key FROM (
        SELECT d.cause, d.key, max(d.at) FILTER (WHERE d.sign < 0) AS gone, max(d.at) FILTER (WHERE d.sign > 0) AS added
        FROM unnest($1, $2, $3, $4) AS d(cause, key, at, sign)
        WHERE d.key IS NOT NULL
        GROUP BY 1, 2) g
      JOIN %1$I a ON a."workspaceId" = $5 AND a."cause" = g.cause AND a.%2$I = g.key
      WHERE g.gone IS NOT NULL AND (g.added IS NULL OR g.added < g.gone) AND a."lastSeen" <= g.gone
    ),
    m AS (
      SELECT r."cause", r.%2$I AS key, max(r."lastSeen") AS last
      FROM %1$I r JOIN k ON r."cause" = k.cause AND r.%2$I = k.key
      WHERE r."workspaceId" <> $5
      GROUP BY 1, 2
    )
    UPDATE %1$I t SET "lastSeen" = m.last
    FROM m
    WHERE t."workspaceId" = $5 AND t."cause" = m."cause" AND t.%2$I = m.key
  $sql$, tbl, col) USING d_cause, d_key, d_at, d_sign, '00000000-0000-0000-0000-000000000000'::uuid;
END
$fn$;

CREATE FUNCTION "incident_rollups_apply"() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  all_ws CONSTANT uuid := '00000000-0000-0000-0000-000000000000';
  d_ws uuid[];
  d_cause text[];
  d_user text[];
  d_fp text[];
  d_at timestamptz[];
  d_fb text[];
  d_sign int[];
  -- some (workspace, cause, user, fingerprint, time) left: counts can reach 0 and a lastSeen can go
  shrinks boolean := TG_OP = 'DELETE';
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(r."workspaceId"), array_agg(r."cause"), array_agg(r."userId"), array_agg(r."fingerprint"),
           array_agg(r."createdAt"), array_agg(r."feedback"::text), array_agg(1)
      INTO d_ws, d_cause, d_user, d_fp, d_at, d_fb, d_sign
      FROM new_rows r;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(r."workspaceId"), array_agg(r."cause"), array_agg(r."userId"), array_agg(r."fingerprint"),
           array_agg(r."createdAt"), array_agg(r."feedback"::text), array_agg(-1)
      INTO d_ws, d_cause, d_user, d_fp, d_at, d_fb, d_sign
      FROM old_rows r;
  ELSE
    -- only what changed in the rolled-up columns (setFeedback changes the day counts' feedback, nothing else)
    SELECT array_agg(r.ws), array_agg(r.cause), array_agg(r.usr), array_agg(r.fp), array_agg(r.at), array_agg(r.fb), array_agg(r.sign)
      INTO d_ws, d_cause, d_user, d_fp, d_at, d_fb, d_sign
      FROM (
        SELECT a.*, 1 AS sign FROM (
          SELECT "workspaceId" AS ws, "cause", "userId" AS usr, "fingerprint" AS fp, "createdAt" AS at, "feedback"::text AS fb FROM new_rows
          EXCEPT ALL
          SELECT "workspaceId", "cause", "userId", "fingerprint", "createdAt", "feedback"::text FROM old_rows) a
        UNION ALL
        SELECT b.*, -1 FROM (
          SELECT "workspaceId" AS ws, "cause", "userId" AS usr, "fingerprint" AS fp, "createdAt" AS at, "feedback"::text AS fb FROM old_rows
          EXCEPT ALL
          SELECT "workspaceId", "cause", "userId", "fingerprint", "createdAt", "feedback"::text FROM new_rows) b
      ) r;
    shrinks := EXISTS (
      SELECT "workspaceId", "cause", "userId", "fingerprint", "createdAt" FROM old_rows
      EXCEPT ALL
      SELECT "workspaceId", "cause", "userId", "fingerprint", "createdAt" FROM new_rows);
  END IF;
  IF d_sign IS NULL THEN
    RETURN NULL;
  END IF;

  -- per user, and the people per cause they make
  WITH delta AS (
    SELECT s.ws, d.cause, d.usr, sum(d.sign)::int AS n, max(d.at) FILTER (WHERE d.sign > 0) AS added
    FROM unnest(d_ws, d_cause, d_user, d_at, d_sign) AS d(ws, cause, usr, at, sign)
    CROSS JOIN LATERAL (VALUES (d.ws), (all_ws)) AS s(ws)
    WHERE d.usr IS NOT NULL
    GROUP BY 1, 2, 3
  ),
  up AS (
    INSERT INTO "IncidentUserCount" AS t ("workspaceId", "cause", "userId", "count", "lastSeen")
    SELECT ws, cause, usr, n, coalesce(added, '-infinity') FROM delta ORDER BY 1, 2, 3
    ON CONFLICT ("workspaceId", "cause", "userId") DO UPDATE
      SET "count" = t."count" + excluded."count", "lastSeen" = greatest(t."lastSeen", excluded."lastSeen")
    RETURNING t."workspaceId" AS ws, t."cause", t."userId" AS usr, t."count"
  ),
  people AS (
    SELECT up.ws, up.cause, CASE WHEN up."count" = 0 THEN -1 WHEN up."count" = delta.n THEN 1 ELSE 0 END AS dp
    FROM up JOIN delta USING (ws, cause, usr)
    WHERE up.ws <> all_ws
  )
  INSERT INTO "IncidentCausePeople" AS t ("workspaceId", "cause", "people")
  SELECT s.ws, p.cause, sum(p.dp)
  FROM people p CROSS JOIN LATERAL (VALUES (p.ws), (all_ws)) AS s(ws)
  GROUP BY 1, 2
  HAVING sum(p.dp) <> 0
  ORDER BY 1, 2
  ON CONFLICT ("workspaceId", "cause") DO UPDATE SET "people" = t."people" + excluded."people";

  -- per fingerprint and user, then per fingerprint with the people it makes
  WITH fu_delta AS (
    SELECT d.ws, d.cause, d.fp, d.usr, sum(d.sign)::int AS n
    FROM unnest(d_ws, d_cause, d_fp, d_user, d_sign) AS d(ws, cause, fp, usr, sign)
    WHERE d.fp IS NOT NULL AND d.usr IS NOT NULL
    GROUP BY 1, 2, 3, 4
    HAVING sum(d.sign) <> 0
  ),
  fu_up AS (
    INSERT INTO "IncidentFingerprintUserCount" AS t ("workspaceId", "cause", "fingerprint", "userId", "count")
    SELECT ws, cause, fp, usr, n FROM fu_delta ORDER BY 1, 2, 3, 4
    ON CONFLICT ("workspaceId", "cause", "fingerprint", "userId") DO UPDATE SET "count" = t."count" + excluded."count"
    RETURNING t."workspaceId" AS ws, t."cause", t."fingerprint" AS fp, t."userId" AS usr, t."count"
  ),
  fp_people AS (
    SELECT s.ws, x.cause, x.fp, sum(x.dp)::int AS dp
    FROM (
      SELECT fu_up.ws, fu_up.cause, fu_up.fp, CASE WHEN fu_up."count" = 0 THEN -1 WHEN fu_up."count" = fu_delta.n THEN 1 ELSE 0 END AS dp
      FROM fu_up JOIN fu_delta USING (ws, cause, fp, usr)
    ) x
    CROSS JOIN LATERAL (VALUES (x.ws), (all_ws)) AS s(ws)
    GROUP BY 1, 2, 3
  ),
  fp_delta AS (
    SELECT s.ws, d.cause, d.fp, sum(d.sign)::int AS n, max(d.at) FILTER (WHERE d.sign > 0) AS added
    FROM unnest(d_ws, d_cause, d_fp, d_at, d_sign) AS d(ws, cause, fp, at, sign)
    CROSS JOIN LATERAL (VALUES (d.ws), (all_ws)) AS s(ws)
    WHERE d.fp IS NOT NULL
    GROUP BY 1, 2, 3
  )
  INSERT INTO "IncidentFingerprintCount" AS t ("workspaceId", "cause", "fingerprint", "count", "people", "lastSeen")
  SELECT f.ws, f.cause, f.fp, f.n, coalesce(p.dp, 0), coalesce(f.added, '-infinity')
  FROM fp_delta f LEFT JOIN fp_people p USING (ws, cause, fp)
  ORDER BY 1, 2, 3
  ON CONFLICT ("workspaceId", "cause", "fingerprint") DO UPDATE
    SET "count" = t."count" + excluded."count", "people" = t."people" + excluded."people",
        "lastSeen" = greatest(t."lastSeen", excluded."lastSeen");

  -- per UTC day and cause: counts and feedback. Last, because its rows are the hottest (every incident of a cause
  -- on a day): concurrent writers wait on them for the shortest time.
  INSERT INTO "IncidentDayCount" AS t ("workspaceId", "day", "cause", "count", "fixed", "stillFailing")
  SELECT s.ws, (d.at AT TIME ZONE 'UTC')::date, d.cause, sum(d.sign),
         coalesce(sum(d.sign) FILTER (WHERE d.fb = 'fixed'), 0), coalesce(sum(d.sign) FILTER (WHERE d.fb = 'still_failing'), 0)
  FROM unnest(d_ws, d_cause, d_at, d_fb, d_sign) AS d(ws, cause, at, fb, sign)
  CROSS JOIN LATERAL (VALUES (d.ws), (all_ws)) AS s(ws)
  GROUP BY 1, 2, 3
  ORDER BY 1, 2, 3
  ON CONFLICT ("workspaceId", "day", "cause") DO UPDATE
    SET "count" = t."count" + excluded."count", "fixed" = t."fixed" + excluded."fixed", "stillFailing" = t."stillFailing" + excluded."stillFailing";

  IF NOT shrinks THEN
    RETURN NULL;
  END IF;

  -- rows removed: drop the rollup rows that reached 0
  DELETE FROM "IncidentDayCount" t
  WHERE t."count" = 0 AND (t."workspaceId", t."day", t."cause") IN (
    SELECT s.ws, (d.at AT TIME ZONE 'UTC')::date, d.cause
    FROM unnest(d_ws, d_cause, d_at, d_sign) AS d(ws, cause, at, sign) CROSS JOIN LATERAL (VALUES (d.ws), (all_ws)) AS s(ws)
    WHERE d.sign < 0);
  DELETE FROM "IncidentUserCount" t
  WHERE t."count" = 0 AND (t."workspaceId", t."cause", t."userId") IN (
    SELECT s.ws, d.cause, d.usr
    FROM unnest(d_ws, d_cause, d_user, d_sign) AS d(ws, cause, usr, sign) CROSS JOIN LATERAL (VALUES (d.ws), (all_ws)) AS s(ws)
    WHERE d.sign < 0 AND d.usr IS NOT NULL);
  DELETE FROM "IncidentCausePeople" t
  WHERE t."people" = 0 AND (t."workspaceId", t."cause") IN (
    SELECT s.ws, d.cause
    FROM unnest(d_ws, d_cause, d_sign) AS d(ws, cause, sign) CROSS JOIN LATERAL (VALUES (d.ws), (all_ws)) AS s(ws)
    WHERE d.sign < 0);
  DELETE FROM "IncidentFingerprintUserCount" t
  WHERE t."count" = 0 AND (t."workspaceId", t."cause", t."fingerprint", t."userId") IN (
    SELECT d.ws, d.cause, d.fp, d.usr
    FROM unnest(d_ws, d_cause, d_fp, d_user, d_sign) AS d(ws, cause, fp, usr, sign)
    WHERE d.sign < 0 AND d.fp IS NOT NULL AND d.usr IS NOT NULL);
  DELETE FROM "IncidentFingerprintCount" t
  WHERE t."count" = 0 AND (t."workspaceId", t."cause", t."fingerprint") IN (
    SELECT s.ws, d.cause, d.fp
    FROM unnest(d_ws, d_cause, d_fp, d_sign) AS d(ws, cause, fp, sign) CROSS JOIN LATERAL (VALUES (d.ws), (all_ws)) AS s(ws)
    WHERE d.sign < 0 AND d.fp IS NOT NULL);

  PERFORM "incident_rollups_last_seen"('IncidentUserCount', 'userId', d_ws, d_cause, d_user, d_at, d_sign);
  PERFORM "incident_rollups_last_seen"('IncidentFingerprintCount', 'fingerprint', d_ws, d_cause, d_fp, d_at, d_sign);

  RETURN NULL;
END
$fn$;

CREATE FUNCTION "incident_rollups_truncate"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE "IncidentDayCount", "IncidentUserCount", "IncidentCausePeople", "IncidentFingerprintCount", "IncidentFingerprintUserCount";
  RETURN NULL;
END
$fn$;

-- Triggers first: creating them locks "Incident" against writers until this migration commits, so the backfill
-- below sees every committed row and no row slips between it and the triggers.
CREATE TRIGGER "Incident_rollups_insert" AFTER INSERT ON "Incident"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "incident_rollups_apply"();
CREATE TRIGGER "Incident_rollups_update" AFTER UPDATE ON "Incident"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "incident_rollups_apply"();
CREATE TRIGGER "Incident_rollups_delete" AFTER DELETE ON "Incident"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "incident_rollups_apply"();
CREATE TRIGGER "Incident_rollups_truncate" AFTER TRUNCATE ON "Incident"
  FOR EACH STATEMENT EXECUTE FUNCTION "incident_rollups_truncate"();

-- Backfill from the incidents already stored.
INSERT INTO "IncidentDayCount" ("workspaceId", "day", "cause", "count", "fixed", "stillFailing")
SELECT coalesce(ws, '00000000-0000-0000-0000-000000000000'), day, cause, count(*),
       count(*) FILTER (WHERE fb = 'fixed'), count(*) FILTER (WHERE fb = 'still_failing')
FROM (SELECT "workspaceId" AS ws, ("createdAt" AT TIME ZONE 'UTC')::date AS day, "cause", "feedback"::text AS fb FROM "Incident") i
GROUP BY GROUPING SETS ((ws, day, cause), (day, cause));

INSERT INTO "IncidentUserCount" ("workspaceId", "cause", "userId", "count", "lastSeen")
SELECT coalesce(ws, '00000000-0000-0000-0000-000000000000'), cause, usr, count(*), max(at)
FROM (SELECT "workspaceId" AS ws, "cause", "userId" AS usr, "createdAt" AS at FROM "Incident" WHERE "userId" IS NOT NULL) i
GROUP BY GROUPING SETS ((ws, cause, usr), (cause, usr));

INSERT INTO "IncidentCausePeople" ("workspaceId", "cause", "people")
-- ws2: the workspace inside the aggregate, also in the all-workspaces grouping set
SELECT coalesce(ws, '00000000-0000-0000-0000-000000000000'), cause, count(DISTINCT (ws2, usr))
FROM (SELECT "workspaceId" AS ws, "workspaceId" AS ws2, "cause", "userId" AS usr FROM "Incident" WHERE "userId" IS NOT NULL) i
GROUP BY GROUPING SETS ((ws, cause), (cause));

INSERT INTO "IncidentFingerprintUserCount" ("workspaceId", "cause", "fingerprint", "userId", "count")
SELECT "workspaceId", "cause", "fingerprint", "userId", count(*)
FROM "Incident" WHERE "fingerprint" IS NOT NULL AND "userId" IS NOT NULL
GROUP BY 1, 2, 3, 4;

INSERT INTO "IncidentFingerprintCount" ("workspaceId", "cause", "fingerprint", "count", "people", "lastSeen")
SELECT coalesce(ws, '00000000-0000-0000-0000-000000000000'), cause, fp, count(*),
       count(DISTINCT (ws2, usr)) FILTER (WHERE usr IS NOT NULL), max(at)
FROM (SELECT "workspaceId" AS ws, "workspaceId" AS ws2, "cause", "fingerprint" AS fp, "userId" AS usr, "createdAt" AS at
      FROM "Incident" WHERE "fingerprint" IS NOT NULL) i
GROUP BY GROUPING SETS ((ws, cause, fp), (cause, fp));
