-- CreateEnum
CREATE TYPE "MilestoneEffect" AS ENUM ('OPEN_COMMENTS', 'CLOSE_COMMENTS', 'PUBLISH_REVISION');

-- CreateEnum
CREATE TYPE "DocumentState" AS ENUM ('DRAFT', 'PUBLISHED');

-- CreateEnum
CREATE TYPE "RevisionFormat" AS ENUM ('MARKDOWN', 'DOCX');

-- CreateEnum
CREATE TYPE "CommentType" AS ENUM ('GENERAL', 'TECHNICAL', 'EDITORIAL');

-- CreateEnum
CREATE TYPE "CommentStatus" AS ENUM ('OPEN', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "CarryForwardReason" AS ENUM ('SAME_NUMBER_AND_HEADING', 'SAME_HEADING', 'TEXT_SIMILARITY', 'DOCUMENT_LEVEL', 'ORPHANED');

-- AlterTable
ALTER TABLE "Milestone" ADD COLUMN     "effect" "MilestoneEffect",
ADD COLUMN     "revisionId" UUID;

-- CreateTable
CREATE TABLE "Document" (
    "id" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "state" "DocumentState" NOT NULL DEFAULT 'DRAFT',
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Revision" (
    "id" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "format" "RevisionFormat" NOT NULL,
    "notes" TEXT[],
    "postedById" UUID,
    "postedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Revision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Clause" (
    "id" UUID NOT NULL,
    "revisionId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "number" TEXT NOT NULL,
    "heading" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "Clause_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Comment" (
    "id" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "revisionId" UUID NOT NULL,
    "clauseId" UUID,
    "parentId" UUID,
    "authorId" UUID NOT NULL,
    "type" "CommentType",
    "body" TEXT NOT NULL,
    "bodyHtml" TEXT NOT NULL,
    "proposedChange" TEXT NOT NULL DEFAULT '',
    "quotedText" TEXT,
    "status" "CommentStatus" NOT NULL DEFAULT 'OPEN',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" TIMESTAMPTZ(3),

    CONSTRAINT "Comment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommentEdit" (
    "id" UUID NOT NULL,
    "commentId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "type" "CommentType",
    "body" TEXT NOT NULL,
    "bodyHtml" TEXT NOT NULL,
    "proposedChange" TEXT NOT NULL,
    "quotedText" TEXT,
    "editedById" UUID,
    "replacedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CommentEdit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommentPeriod" (
    "id" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "revisionId" UUID NOT NULL,
    "opensAt" TIMESTAMPTZ(3) NOT NULL,
    "closesAt" TIMESTAMPTZ(3) NOT NULL,
    "openingMilestoneId" UUID,
    "closingMilestoneId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CommentPeriod_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PeriodExtension" (
    "id" UUID NOT NULL,
    "periodId" UUID NOT NULL,
    "previousClosesAt" TIMESTAMPTZ(3) NOT NULL,
    "newClosesAt" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "actorId" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PeriodExtension_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommentCarryForward" (
    "id" UUID NOT NULL,
    "commentId" UUID NOT NULL,
    "revisionId" UUID NOT NULL,
    "clauseId" UUID,
    "reason" "CarryForwardReason" NOT NULL,
    "similarity" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CommentCarryForward_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Document_groupId_idx" ON "Document"("groupId");

-- CreateIndex
CREATE UNIQUE INDEX "Revision_documentId_sequence_key" ON "Revision"("documentId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "Clause_revisionId_position_key" ON "Clause"("revisionId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Clause_revisionId_number_key" ON "Clause"("revisionId", "number");

-- CreateIndex
CREATE INDEX "Comment_documentId_createdAt_id_idx" ON "Comment"("documentId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Comment_revisionId_clauseId_idx" ON "Comment"("revisionId", "clauseId");

-- CreateIndex
CREATE INDEX "Comment_parentId_idx" ON "Comment"("parentId");

-- CreateIndex
CREATE UNIQUE INDEX "CommentEdit_commentId_version_key" ON "CommentEdit"("commentId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "CommentPeriod_openingMilestoneId_key" ON "CommentPeriod"("openingMilestoneId");

-- CreateIndex
CREATE UNIQUE INDEX "CommentPeriod_closingMilestoneId_key" ON "CommentPeriod"("closingMilestoneId");

-- CreateIndex
CREATE INDEX "CommentPeriod_revisionId_closesAt_idx" ON "CommentPeriod"("revisionId", "closesAt");

-- CreateIndex
CREATE INDEX "CommentPeriod_documentId_idx" ON "CommentPeriod"("documentId");

-- CreateIndex
CREATE INDEX "PeriodExtension_periodId_idx" ON "PeriodExtension"("periodId");

-- CreateIndex
CREATE INDEX "CommentCarryForward_revisionId_clauseId_idx" ON "CommentCarryForward"("revisionId", "clauseId");

-- CreateIndex
CREATE UNIQUE INDEX "CommentCarryForward_commentId_revisionId_key" ON "CommentCarryForward"("commentId", "revisionId");

-- AddForeignKey
ALTER TABLE "Milestone" ADD CONSTRAINT "Milestone_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "Revision"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Revision" ADD CONSTRAINT "Revision_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Revision" ADD CONSTRAINT "Revision_postedById_fkey" FOREIGN KEY ("postedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Clause" ADD CONSTRAINT "Clause_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "Revision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "Revision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_clauseId_fkey" FOREIGN KEY ("clauseId") REFERENCES "Clause"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Comment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommentEdit" ADD CONSTRAINT "CommentEdit_commentId_fkey" FOREIGN KEY ("commentId") REFERENCES "Comment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommentEdit" ADD CONSTRAINT "CommentEdit_editedById_fkey" FOREIGN KEY ("editedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommentPeriod" ADD CONSTRAINT "CommentPeriod_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommentPeriod" ADD CONSTRAINT "CommentPeriod_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "Revision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommentPeriod" ADD CONSTRAINT "CommentPeriod_openingMilestoneId_fkey" FOREIGN KEY ("openingMilestoneId") REFERENCES "Milestone"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommentPeriod" ADD CONSTRAINT "CommentPeriod_closingMilestoneId_fkey" FOREIGN KEY ("closingMilestoneId") REFERENCES "Milestone"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PeriodExtension" ADD CONSTRAINT "PeriodExtension_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "CommentPeriod"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PeriodExtension" ADD CONSTRAINT "PeriodExtension_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommentCarryForward" ADD CONSTRAINT "CommentCarryForward_commentId_fkey" FOREIGN KEY ("commentId") REFERENCES "Comment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommentCarryForward" ADD CONSTRAINT "CommentCarryForward_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "Revision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommentCarryForward" ADD CONSTRAINT "CommentCarryForward_clauseId_fkey" FOREIGN KEY ("clauseId") REFERENCES "Clause"("id") ON DELETE CASCADE ON UPDATE CASCADE;
