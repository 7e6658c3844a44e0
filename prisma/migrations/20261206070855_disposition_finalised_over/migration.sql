-- CreateEnum
CREATE TYPE "DispositionFinalisedOver" AS ENUM ('OBJECTION', 'PENDING_ANSWER');

-- AlterTable
ALTER TABLE "Disposition" ADD COLUMN     "finalisedOver" "DispositionFinalisedOver";
