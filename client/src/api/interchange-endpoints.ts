// Word and Excel: the download addresses, and the comment-template preview and import.
import type { z } from 'zod';
import type { TemplateImportSchema, TemplatePreviewSchema } from '../../../server/modules/interchange/interchange.schemas.ts';
import { request, urlOf } from './http.ts';
import { ROUTES } from './routes.ts';

export type TemplatePreview = z.output<typeof TemplatePreviewSchema>;
export type TemplateRow = TemplatePreview['rows'][number];
export type TemplateImport = z.output<typeof TemplateImportSchema>;

const doc = (slug: string, documentId: string) => ({ slug, documentId });

/** A revision as .docx; with `against`, its changes against that revision as Word tracked changes. */
export const revisionDocxUrl = (slug: string, documentId: string, sequence: number, against?: number) =>
  urlOf(ROUTES.revisionDocx, { params: { ...doc(slug, documentId), sequence: String(sequence) }, query: against ? { against, anchors: 'true' } : {} });

export const reportUrls = (slug: string, documentId: string, isPublic: boolean) =>
  isPublic
    ? {
        reportDocx: urlOf(ROUTES.publicFinalDocx, { params: doc(slug, documentId) }),
        tableXlsx: urlOf(ROUTES.publicDispositionsXlsx, { params: doc(slug, documentId) }),
      }
    : {
        reportDocx: urlOf(ROUTES.finalReportDocx, { params: doc(slug, documentId) }),
        tableXlsx: urlOf(ROUTES.dispositionTableXlsx, { params: doc(slug, documentId) }),
      };

export const tableXlsxUrl = (slug: string, documentId: string) => urlOf(ROUTES.dispositionTableXlsx, { params: doc(slug, documentId) });

export interface TemplateChoice {
  file: File;
  organisation: string;
  observations: boolean;
  /** Row number → clause number, "general" or "skip". */
  mappings: Record<string, string>;
}

function form(choice: TemplateChoice): FormData {
  const body = new FormData();
  body.append('organisation', choice.organisation);
  body.append('observations', String(choice.observations));
  body.append('mappings', JSON.stringify(choice.mappings));
  body.append('file', choice.file, choice.file.name);
  return body;
}

export const interchangeApi = {
  preview: (slug: string, documentId: string, sequence: number, choice: TemplateChoice) =>
    request<TemplatePreview>(ROUTES.previewCommentTemplate, { params: { ...doc(slug, documentId), sequence: String(sequence) }, form: form(choice) }),
  import: (slug: string, documentId: string, sequence: number, choice: TemplateChoice) =>
    request<TemplateImport>(ROUTES.importCommentTemplate, { params: { ...doc(slug, documentId), sequence: String(sequence) }, form: form(choice) }),
};
