-- AlterTable
ALTER TABLE "User" ADD COLUMN     "anonymisedAt" TIMESTAMPTZ(3);
