-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "replyPurpose" TEXT,
ADD COLUMN     "replyTag" TEXT,
ADD COLUMN     "replyTargetId" UUID;

-- CreateTable
CREATE TABLE "ReplyAddress" (
    "id" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "targetId" UUID NOT NULL,
    "tag" TEXT NOT NULL DEFAULT '',
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReplyAddress_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundMessage" (
    "id" UUID NOT NULL,
    "messageId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "envelopeFrom" TEXT,
    "envelopeTo" TEXT[],
    "remoteAddress" TEXT,
    "helo" TEXT,
    "raw" BYTEA NOT NULL,
    "deliveries" INTEGER NOT NULL DEFAULT 1,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMPTZ(3),
    "fromAddress" TEXT,
    "subject" TEXT,
    "outcome" TEXT,
    "reason" TEXT,
    "detail" TEXT,
    "purpose" TEXT,
    "targetId" UUID,
    "userId" UUID,
    "resultUrl" TEXT,
    "authentication" JSONB,
    "answered" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "InboundMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReplyAddress_userId_purpose_targetId_tag_key" ON "ReplyAddress"("userId", "purpose", "targetId", "tag");

-- CreateIndex
CREATE UNIQUE INDEX "InboundMessage_messageId_key" ON "InboundMessage"("messageId");

-- CreateIndex
CREATE INDEX "InboundMessage_receivedAt_idx" ON "InboundMessage"("receivedAt");

-- CreateIndex
CREATE INDEX "InboundMessage_processedAt_idx" ON "InboundMessage"("processedAt");
