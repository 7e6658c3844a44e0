-- CreateEnum
CREATE TYPE "CommentOpenness" AS ENUM ('MEMBERS', 'INVITED_ORGANISATIONS', 'ANYONE');

-- CreateEnum
CREATE TYPE "OutsideModeration" AS ENUM ('IMMEDIATE', 'AFTER_REVIEW');

-- CreateEnum
CREATE TYPE "OutsideCommentState" AS ENUM ('PENDING', 'PUBLISHED', 'REJECTED');

-- CreateEnum
CREATE TYPE "OutsideRejectionReason" AS ENUM ('SPAM', 'OFF_TOPIC', 'OTHER');

-- CreateEnum
CREATE TYPE "StakeholderGroup" AS ENUM ('GOVERNMENT', 'PRIVATE_SECTOR', 'CIVIL_SOCIETY', 'TECHNICAL_COMMUNITY', 'ACADEMIA', 'INTERGOVERNMENTAL_ORGANISATION');

-- CreateEnum
CREATE TYPE "WorldRegion" AS ENUM ('AFRICA', 'ASIA_PACIFIC', 'EASTERN_EUROPE', 'LATIN_AMERICA_CARIBBEAN', 'WESTERN_EUROPE_AND_OTHERS');

-- CreateEnum
CREATE TYPE "ConsultationQuestionKind" AS ENUM ('FREE_TEXT', 'SINGLE_CHOICE', 'MULTIPLE_CHOICE');

-- CreateEnum
CREATE TYPE "LiaisonPurpose" AS ENUM ('INFORMATION', 'ACTION', 'COMMENT');

-- AlterEnum
ALTER TYPE "SignInPurpose" ADD VALUE 'CONSULTATION';

-- AlterTable
ALTER TABLE "CommentPeriod" ADD COLUMN     "consultationIntro" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "openness" "CommentOpenness" NOT NULL DEFAULT 'MEMBERS',
ADD COLUMN     "outsideModeration" "OutsideModeration" NOT NULL DEFAULT 'AFTER_REVIEW',
ADD COLUMN     "publishMemberComments" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "ConsultationQuestion" (
    "id" UUID NOT NULL,
    "periodId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "prompt" TEXT NOT NULL,
    "kind" "ConsultationQuestionKind" NOT NULL,
    "choices" TEXT[],
    "required" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ConsultationQuestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutsideParticipant" (
    "id" UUID NOT NULL,
    "periodId" UUID NOT NULL,
    "userId" UUID,
    "liaisonContactId" UUID,
    "name" TEXT NOT NULL,
    "organisation" TEXT NOT NULL DEFAULT '',
    "stakeholderGroup" "StakeholderGroup" NOT NULL,
    "countryCode" TEXT,
    "region" "WorldRegion",
    "publishName" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "anonymisedAt" TIMESTAMPTZ(3),

    CONSTRAINT "OutsideParticipant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutsideComment" (
    "id" UUID NOT NULL,
    "periodId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "commentId" UUID,
    "clauseId" UUID,
    "type" "CommentType" NOT NULL,
    "body" TEXT NOT NULL,
    "proposedChange" TEXT NOT NULL DEFAULT '',
    "quotedText" TEXT,
    "state" "OutsideCommentState" NOT NULL,
    "rejectionReason" "OutsideRejectionReason",
    "moderationNote" TEXT NOT NULL DEFAULT '',
    "moderatedById" UUID,
    "moderatedAt" TIMESTAMPTZ(3),
    "withdrawnAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutsideComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuestionAnswer" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "questionId" UUID NOT NULL,
    "text" TEXT NOT NULL DEFAULT '',
    "choices" INTEGER[],
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QuestionAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Liaison" (
    "id" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "periodId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "purpose" "LiaisonPurpose" NOT NULL,
    "text" TEXT NOT NULL,
    "deadline" TIMESTAMPTZ(3) NOT NULL,
    "createdById" UUID,
    "sentAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Liaison_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LiaisonBody" (
    "id" UUID NOT NULL,
    "liaisonId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "stakeholderGroup" "StakeholderGroup" NOT NULL DEFAULT 'TECHNICAL_COMMUNITY',

    CONSTRAINT "LiaisonBody_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LiaisonContact" (
    "id" UUID NOT NULL,
    "bodyId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "tokenHash" TEXT NOT NULL,
    "usedAt" TIMESTAMPTZ(3),

    CONSTRAINT "LiaisonContact_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ConsultationQuestion_periodId_position_key" ON "ConsultationQuestion"("periodId", "position");

-- CreateIndex
CREATE INDEX "OutsideParticipant_periodId_stakeholderGroup_idx" ON "OutsideParticipant"("periodId", "stakeholderGroup");

-- CreateIndex
CREATE UNIQUE INDEX "OutsideParticipant_periodId_userId_key" ON "OutsideParticipant"("periodId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "OutsideComment_commentId_key" ON "OutsideComment"("commentId");

-- CreateIndex
CREATE INDEX "OutsideComment_periodId_state_id_idx" ON "OutsideComment"("periodId", "state", "id");

-- CreateIndex
CREATE INDEX "OutsideComment_participantId_idx" ON "OutsideComment"("participantId");

-- CreateIndex
CREATE INDEX "QuestionAnswer_questionId_idx" ON "QuestionAnswer"("questionId");

-- CreateIndex
CREATE UNIQUE INDEX "QuestionAnswer_participantId_questionId_key" ON "QuestionAnswer"("participantId", "questionId");

-- CreateIndex
CREATE INDEX "Liaison_documentId_idx" ON "Liaison"("documentId");

-- CreateIndex
CREATE INDEX "Liaison_periodId_idx" ON "Liaison"("periodId");

-- CreateIndex
CREATE INDEX "LiaisonBody_liaisonId_idx" ON "LiaisonBody"("liaisonId");

-- CreateIndex
CREATE UNIQUE INDEX "LiaisonContact_tokenHash_key" ON "LiaisonContact"("tokenHash");

-- CreateIndex
CREATE INDEX "LiaisonContact_bodyId_idx" ON "LiaisonContact"("bodyId");

-- AddForeignKey
ALTER TABLE "ConsultationQuestion" ADD CONSTRAINT "ConsultationQuestion_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "CommentPeriod"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutsideParticipant" ADD CONSTRAINT "OutsideParticipant_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "CommentPeriod"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutsideParticipant" ADD CONSTRAINT "OutsideParticipant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutsideParticipant" ADD CONSTRAINT "OutsideParticipant_liaisonContactId_fkey" FOREIGN KEY ("liaisonContactId") REFERENCES "LiaisonContact"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutsideComment" ADD CONSTRAINT "OutsideComment_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "CommentPeriod"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutsideComment" ADD CONSTRAINT "OutsideComment_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "OutsideParticipant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutsideComment" ADD CONSTRAINT "OutsideComment_commentId_fkey" FOREIGN KEY ("commentId") REFERENCES "Comment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutsideComment" ADD CONSTRAINT "OutsideComment_moderatedById_fkey" FOREIGN KEY ("moderatedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuestionAnswer" ADD CONSTRAINT "QuestionAnswer_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "OutsideParticipant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuestionAnswer" ADD CONSTRAINT "QuestionAnswer_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "ConsultationQuestion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Liaison" ADD CONSTRAINT "Liaison_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Liaison" ADD CONSTRAINT "Liaison_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Liaison" ADD CONSTRAINT "Liaison_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "CommentPeriod"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Liaison" ADD CONSTRAINT "Liaison_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LiaisonBody" ADD CONSTRAINT "LiaisonBody_liaisonId_fkey" FOREIGN KEY ("liaisonId") REFERENCES "Liaison"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LiaisonContact" ADD CONSTRAINT "LiaisonContact_bodyId_fkey" FOREIGN KEY ("bodyId") REFERENCES "LiaisonBody"("id") ON DELETE CASCADE ON UPDATE CASCADE;
