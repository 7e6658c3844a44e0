-- CreateTable
CREATE TABLE "RealtimePending" (
    "id" BIGSERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "stream" TEXT,
    "name" TEXT,
    "groupId" UUID,
    "readAction" TEXT,
    "data" JSONB,
    "control" JSONB,

    CONSTRAINT "RealtimePending_pkey" PRIMARY KEY ("id")
);

-- Publishes each pending live event while its transaction commits: the next sequence number of its
-- stream (the upserted counter row keeps committers of one stream in line, so sequence order is
-- commit order), the RealtimeEvent row, and the NOTIFY — the same rows and payload the one-statement
-- writers append (server/modules/realtime/record-events.ts realtimeRecordSql). Deferred row
-- triggers fire in the order the rows were inserted, so a transaction's events keep their order.
CREATE FUNCTION "realtime_publish_pending"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  next_seq int;
  ev_id bigint;
  ev_at timestamptz(3);
BEGIN
  IF NEW."control" IS NOT NULL THEN
    PERFORM pg_notify(NEW."channel", json_build_object('t', 'c', 'control', NEW."control")::text);
  ELSE
    INSERT INTO "RealtimeStream" ("key", "lastSeq") VALUES (NEW."stream", 1)
    ON CONFLICT ("key") DO UPDATE SET "lastSeq" = "RealtimeStream"."lastSeq" + 1
    RETURNING "lastSeq" INTO next_seq;
    INSERT INTO "RealtimeEvent" ("stream", "seq", "name", "groupId", "readAction", "data")
    VALUES (NEW."stream", next_seq, NEW."name", NEW."groupId", NEW."readAction", NEW."data")
    RETURNING "id", "createdAt" INTO ev_id, ev_at;
    -- NOTIFY payloads must stay under 8000 bytes; larger data is read back from the log by id.
    PERFORM pg_notify(NEW."channel", json_build_object(
      't', 'e', 'id', ev_id::text, 'stream', NEW."stream", 'seq', next_seq, 'name', NEW."name",
      'groupId', NEW."groupId"::text, 'read', NEW."readAction", 'at', ev_at,
      'data', CASE WHEN octet_length(NEW."data"::text) <= 7000 THEN NEW."data" ELSE NULL END
    )::text);
  END IF;
  DELETE FROM "RealtimePending" WHERE "id" = NEW."id";
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "RealtimePending_publish" AFTER INSERT ON "RealtimePending"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "realtime_publish_pending"();
