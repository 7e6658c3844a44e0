-- CreateEnum
CREATE TYPE "DispositionCode" AS ENUM ('ACCEPTED', 'ACCEPTED_WITH_MODIFICATION', 'REJECTED', 'NOTED', 'DEFERRED');

-- CreateEnum
CREATE TYPE "DispositionStatus" AS ENUM ('UNDECIDED', 'DRAFT', 'PROPOSED', 'FINAL');

-- CreateEnum
CREATE TYPE "DispositionResponseKind" AS ENUM ('AGREE', 'OBJECT');

-- AlterTable
ALTER TABLE "Group" ADD COLUMN     "allowEarlyAdjudication" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Disposition" (
    "id" UUID NOT NULL,
    "commentId" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "code" "DispositionCode",
    "status" "DispositionStatus" NOT NULL DEFAULT 'UNDECIDED',
    "rationale" TEXT NOT NULL DEFAULT '',
    "adoptedText" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 0,
    "assigneeId" UUID,
    "draftedById" UUID,
    "proposedById" UUID,
    "proposedAt" TIMESTAMPTZ(3),
    "respondBy" TIMESTAMPTZ(3),
    "responseKind" "DispositionResponseKind",
    "responseText" TEXT,
    "respondedAt" TIMESTAMPTZ(3),
    "finalisedById" UUID,
    "finalisedAt" TIMESTAMPTZ(3),
    "implementedInRevisionId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Disposition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FinalReport" (
    "id" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "revisionId" UUID NOT NULL,
    "publishedById" UUID,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispositionTable" JSONB NOT NULL,

    CONSTRAINT "FinalReport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Disposition_commentId_key" ON "Disposition"("commentId");

-- CreateIndex
CREATE INDEX "Disposition_documentId_status_idx" ON "Disposition"("documentId", "status");

-- CreateIndex
CREATE INDEX "Disposition_assigneeId_idx" ON "Disposition"("assigneeId");

-- CreateIndex
CREATE INDEX "Disposition_implementedInRevisionId_idx" ON "Disposition"("implementedInRevisionId");

-- CreateIndex
CREATE UNIQUE INDEX "FinalReport_documentId_key" ON "FinalReport"("documentId");

-- AddForeignKey
ALTER TABLE "Disposition" ADD CONSTRAINT "Disposition_commentId_fkey" FOREIGN KEY ("commentId") REFERENCES "Comment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disposition" ADD CONSTRAINT "Disposition_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disposition" ADD CONSTRAINT "Disposition_draftedById_fkey" FOREIGN KEY ("draftedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disposition" ADD CONSTRAINT "Disposition_proposedById_fkey" FOREIGN KEY ("proposedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disposition" ADD CONSTRAINT "Disposition_finalisedById_fkey" FOREIGN KEY ("finalisedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disposition" ADD CONSTRAINT "Disposition_implementedInRevisionId_fkey" FOREIGN KEY ("implementedInRevisionId") REFERENCES "Revision"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FinalReport" ADD CONSTRAINT "FinalReport_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FinalReport" ADD CONSTRAINT "FinalReport_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "Revision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FinalReport" ADD CONSTRAINT "FinalReport_publishedById_fkey" FOREIGN KEY ("publishedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
