-- AlterTable
ALTER TABLE "Milestone" ADD COLUMN     "sequence" INTEGER NOT NULL DEFAULT 0;

-- Calendars subscribed before this column existed saw SEQUENCE as the whole seconds between
-- the creation of a milestone and its last update. The counter starts there, so that no
-- event goes back to a lower SEQUENCE for them.
UPDATE "Milestone"
SET "sequence" = LEAST(2147483647, GREATEST(0, floor(extract(epoch FROM "updatedAt" - "createdAt"))))::integer;
