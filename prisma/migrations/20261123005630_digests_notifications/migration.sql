-- CreateEnum
CREATE TYPE "DigestKind" AS ENUM ('DRAFT_POSTED', 'REMINDER', 'PERIOD_CLOSED', 'DEADLINE_EXTENDED', 'CONVENERS_DRAFT_POSTED', 'FINAL_REPORT_PUBLISHED', 'MILESTONE_REACHED');

-- CreateEnum
CREATE TYPE "DeliveryState" AS ENUM ('PENDING', 'SENT', 'FAILED', 'DEAD');

-- CreateEnum
CREATE TYPE "SubscriptionState" AS ENUM ('PENDING', 'CONFIRMED', 'UNSUBSCRIBED');

-- CreateEnum
CREATE TYPE "NotificationKind" AS ENUM ('COMMENT_DECIDED', 'THREAD_REPLY', 'DISPOSITION_AWAITING_RESPONSE', 'PERIOD_CLOSING');

-- CreateEnum
CREATE TYPE "NotificationMode" AS ENUM ('IMMEDIATELY', 'DAILY', 'OFF');

-- CreateTable
CREATE TABLE "Digest" (
    "id" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "DigestKind" NOT NULL,
    "milestoneId" UUID,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "subject" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "props" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Digest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DigestDelivery" (
    "id" UUID NOT NULL,
    "digestId" UUID NOT NULL,
    "recipient" TEXT NOT NULL,
    "subscriptionId" UUID,
    "messageId" TEXT NOT NULL,
    "state" "DeliveryState" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DigestDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DigestSubscription" (
    "id" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "userId" UUID,
    "state" "SubscriptionState" NOT NULL DEFAULT 'PENDING',
    "confirmTokenHash" TEXT,
    "confirmExpiresAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmedAt" TIMESTAMPTZ(3),
    "unsubscribedAt" TIMESTAMPTZ(3),

    CONSTRAINT "DigestSubscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BouncingAddress" (
    "email" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BouncingAddress_pkey" PRIMARY KEY ("email")
);

-- CreateTable
CREATE TABLE "GroupDigestSettings" (
    "groupId" UUID NOT NULL,
    "reminderHours" INTEGER[] DEFAULT ARRAY[168, 24]::INTEGER[],
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "GroupDigestSettings_pkey" PRIMARY KEY ("groupId")
);

-- CreateTable
CREATE TABLE "NotificationSetting" (
    "userId" UUID NOT NULL,
    "kind" "NotificationKind" NOT NULL,
    "mode" "NotificationMode" NOT NULL,

    CONSTRAINT "NotificationSetting_pkey" PRIMARY KEY ("userId","kind")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "kind" "NotificationKind" NOT NULL,
    "mode" "NotificationMode" NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "mailedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Digest_key_key" ON "Digest"("key");

-- CreateIndex
CREATE INDEX "Digest_groupId_createdAt_idx" ON "Digest"("groupId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DigestDelivery_messageId_key" ON "DigestDelivery"("messageId");

-- CreateIndex
CREATE INDEX "DigestDelivery_state_nextAttemptAt_idx" ON "DigestDelivery"("state", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "DigestDelivery_digestId_recipient_key" ON "DigestDelivery"("digestId", "recipient");

-- CreateIndex
CREATE UNIQUE INDEX "DigestSubscription_confirmTokenHash_key" ON "DigestSubscription"("confirmTokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "DigestSubscription_groupId_email_key" ON "DigestSubscription"("groupId", "email");

-- CreateIndex
CREATE INDEX "Notification_userId_mailedAt_idx" ON "Notification"("userId", "mailedAt");

-- AddForeignKey
ALTER TABLE "Digest" ADD CONSTRAINT "Digest_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DigestDelivery" ADD CONSTRAINT "DigestDelivery_digestId_fkey" FOREIGN KEY ("digestId") REFERENCES "Digest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DigestSubscription" ADD CONSTRAINT "DigestSubscription_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupDigestSettings" ADD CONSTRAINT "GroupDigestSettings_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationSetting" ADD CONSTRAINT "NotificationSetting_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
