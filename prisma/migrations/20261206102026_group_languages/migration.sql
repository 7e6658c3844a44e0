-- AlterTable
ALTER TABLE "Group" ADD COLUMN     "languages" TEXT[] DEFAULT ARRAY['en']::TEXT[];
