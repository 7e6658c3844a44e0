-- AlterTable
ALTER TABLE "DigestDelivery" ADD COLUMN     "leasedBy" TEXT,
ADD COLUMN     "leasedUntil" TIMESTAMPTZ(3);
