-- CreateEnum
CREATE TYPE "ApprovalProcess" AS ENUM ('TAP', 'AAP', 'AGREEMENT');

-- CreateEnum
CREATE TYPE "WorkItemStatus" AS ENUM ('NEW_WORK_ITEM', 'IN_PROGRESS', 'DETERMINED', 'CONSENTED', 'CONSULTATION', 'APPROVED', 'AGREED', 'WITHDRAWN', 'DEFERRED');

-- CreateEnum
CREATE TYPE "ConsultationPosition" AS ENUM ('ASSIGNS_AUTHORITY', 'DOES_NOT_ASSIGN_AUTHORITY');

-- CreateEnum
CREATE TYPE "ConsultationOption" AS ENUM ('NO_COMMENTS', 'COMMENTS_ATTACHED');

-- CreateTable
CREATE TABLE "WorkItem" (
    "id" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "acronym" TEXT NOT NULL,
    "number" TEXT,
    "title" TEXT NOT NULL,
    "question" TEXT NOT NULL DEFAULT '',
    "approvalProcess" "ApprovalProcess" NOT NULL,
    "timing" TEXT NOT NULL DEFAULT '',
    "scope" TEXT NOT NULL DEFAULT '',
    "summary" TEXT NOT NULL DEFAULT '',
    "baseText" TEXT NOT NULL DEFAULT '',
    "relations" TEXT NOT NULL DEFAULT '',
    "liaisons" TEXT NOT NULL DEFAULT '',
    "supportingMembers" TEXT NOT NULL DEFAULT '',
    "status" "WorkItemStatus" NOT NULL DEFAULT 'NEW_WORK_ITEM',
    "statusChangedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WorkItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkItemEditor" (
    "workItemId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "affiliation" TEXT NOT NULL DEFAULT '',
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "WorkItemEditor_pkey" PRIMARY KEY ("workItemId","userId")
);

-- CreateTable
CREATE TABLE "WorkItemStatusChange" (
    "id" UUID NOT NULL,
    "workItemId" UUID NOT NULL,
    "from" "WorkItemStatus",
    "to" "WorkItemStatus" NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "actorId" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkItemStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkItemDocument" (
    "workItemId" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkItemDocument_pkey" PRIMARY KEY ("workItemId","documentId")
);

-- CreateTable
CREATE TABLE "Administration" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Administration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Consultation" (
    "id" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "issuedOn" DATE NOT NULL,
    "subject" TEXT NOT NULL,
    "ruleText" TEXT NOT NULL DEFAULT '',
    "deadline" TIMESTAMPTZ(3) NOT NULL,
    "thresholdPercent" INTEGER NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Consultation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsultationDraft" (
    "id" UUID NOT NULL,
    "consultationId" UUID NOT NULL,
    "workItemId" UUID NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "ConsultationDraft_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsultationInvitee" (
    "consultationId" UUID NOT NULL,
    "administrationId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsultationInvitee_pkey" PRIMARY KEY ("consultationId","administrationId")
);

-- CreateTable
CREATE TABLE "ConsultationFocalPoint" (
    "id" UUID NOT NULL,
    "consultationId" UUID NOT NULL,
    "administrationId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsultationFocalPoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsultationAnswer" (
    "id" UUID NOT NULL,
    "consultationId" UUID NOT NULL,
    "draftId" UUID NOT NULL,
    "administrationId" UUID NOT NULL,
    "position" "ConsultationPosition" NOT NULL,
    "option" "ConsultationOption",
    "text" TEXT NOT NULL DEFAULT '',
    "signedName" TEXT NOT NULL,
    "signedRole" TEXT NOT NULL,
    "answeredById" UUID,
    "version" INTEGER NOT NULL DEFAULT 1,
    "answeredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsultationAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WorkItem_groupId_status_idx" ON "WorkItem"("groupId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "WorkItem_groupId_acronym_key" ON "WorkItem"("groupId", "acronym");

-- CreateIndex
CREATE INDEX "WorkItemStatusChange_workItemId_at_idx" ON "WorkItemStatusChange"("workItemId", "at");

-- CreateIndex
CREATE INDEX "WorkItemDocument_documentId_idx" ON "WorkItemDocument"("documentId");

-- CreateIndex
CREATE UNIQUE INDEX "Administration_code_key" ON "Administration"("code");

-- CreateIndex
CREATE INDEX "Consultation_groupId_deadline_idx" ON "Consultation"("groupId", "deadline");

-- CreateIndex
CREATE UNIQUE INDEX "Consultation_groupId_reference_key" ON "Consultation"("groupId", "reference");

-- CreateIndex
CREATE INDEX "ConsultationDraft_workItemId_idx" ON "ConsultationDraft"("workItemId");

-- CreateIndex
CREATE UNIQUE INDEX "ConsultationDraft_consultationId_workItemId_key" ON "ConsultationDraft"("consultationId", "workItemId");

-- CreateIndex
CREATE INDEX "ConsultationFocalPoint_userId_idx" ON "ConsultationFocalPoint"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ConsultationFocalPoint_consultationId_userId_key" ON "ConsultationFocalPoint"("consultationId", "userId");

-- CreateIndex
CREATE INDEX "ConsultationAnswer_consultationId_idx" ON "ConsultationAnswer"("consultationId");

-- CreateIndex
CREATE UNIQUE INDEX "ConsultationAnswer_draftId_administrationId_key" ON "ConsultationAnswer"("draftId", "administrationId");

-- AddForeignKey
ALTER TABLE "WorkItem" ADD CONSTRAINT "WorkItem_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkItemEditor" ADD CONSTRAINT "WorkItemEditor_workItemId_fkey" FOREIGN KEY ("workItemId") REFERENCES "WorkItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkItemEditor" ADD CONSTRAINT "WorkItemEditor_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkItemStatusChange" ADD CONSTRAINT "WorkItemStatusChange_workItemId_fkey" FOREIGN KEY ("workItemId") REFERENCES "WorkItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkItemStatusChange" ADD CONSTRAINT "WorkItemStatusChange_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkItemDocument" ADD CONSTRAINT "WorkItemDocument_workItemId_fkey" FOREIGN KEY ("workItemId") REFERENCES "WorkItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkItemDocument" ADD CONSTRAINT "WorkItemDocument_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consultation" ADD CONSTRAINT "Consultation_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consultation" ADD CONSTRAINT "Consultation_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationDraft" ADD CONSTRAINT "ConsultationDraft_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationDraft" ADD CONSTRAINT "ConsultationDraft_workItemId_fkey" FOREIGN KEY ("workItemId") REFERENCES "WorkItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationInvitee" ADD CONSTRAINT "ConsultationInvitee_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationInvitee" ADD CONSTRAINT "ConsultationInvitee_administrationId_fkey" FOREIGN KEY ("administrationId") REFERENCES "Administration"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationFocalPoint" ADD CONSTRAINT "ConsultationFocalPoint_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationFocalPoint" ADD CONSTRAINT "ConsultationFocalPoint_consultationId_administrationId_fkey" FOREIGN KEY ("consultationId", "administrationId") REFERENCES "ConsultationInvitee"("consultationId", "administrationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationFocalPoint" ADD CONSTRAINT "ConsultationFocalPoint_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationAnswer" ADD CONSTRAINT "ConsultationAnswer_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationAnswer" ADD CONSTRAINT "ConsultationAnswer_draftId_fkey" FOREIGN KEY ("draftId") REFERENCES "ConsultationDraft"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationAnswer" ADD CONSTRAINT "ConsultationAnswer_administrationId_fkey" FOREIGN KEY ("administrationId") REFERENCES "Administration"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationAnswer" ADD CONSTRAINT "ConsultationAnswer_answeredById_fkey" FOREIGN KEY ("answeredById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
