-- CreateTable
CREATE TABLE "CommentImport" (
    "id" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "revisionId" UUID NOT NULL,
    "importedById" UUID,
    "importedAs" TEXT NOT NULL,
    "organisation" TEXT NOT NULL DEFAULT '',
    "fileName" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "fileSha256" TEXT NOT NULL,
    "rowCount" INTEGER NOT NULL,
    "commentCount" INTEGER NOT NULL,
    "dispositionCount" INTEGER NOT NULL,
    "periodState" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CommentImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportedComment" (
    "commentId" UUID NOT NULL,
    "importId" UUID NOT NULL,
    "sourceRow" INTEGER NOT NULL,
    "memberBody" TEXT NOT NULL,
    "memberMatched" BOOLEAN NOT NULL,
    "line" TEXT NOT NULL DEFAULT '',
    "paragraph" TEXT NOT NULL DEFAULT '',
    "clauseAsWritten" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "ImportedComment_pkey" PRIMARY KEY ("commentId")
);

-- CreateIndex
CREATE INDEX "CommentImport_documentId_createdAt_idx" ON "CommentImport"("documentId", "createdAt");

-- CreateIndex
CREATE INDEX "ImportedComment_importId_idx" ON "ImportedComment"("importId");

-- AddForeignKey
ALTER TABLE "CommentImport" ADD CONSTRAINT "CommentImport_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommentImport" ADD CONSTRAINT "CommentImport_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommentImport" ADD CONSTRAINT "CommentImport_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "Revision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommentImport" ADD CONSTRAINT "CommentImport_importedById_fkey" FOREIGN KEY ("importedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportedComment" ADD CONSTRAINT "ImportedComment_commentId_fkey" FOREIGN KEY ("commentId") REFERENCES "Comment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportedComment" ADD CONSTRAINT "ImportedComment_importId_fkey" FOREIGN KEY ("importId") REFERENCES "CommentImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;
