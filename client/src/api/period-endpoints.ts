// Typed calls of the comment-period screen: open a period on a revision, extend it with a reason,
// close it now (conveners). The reads are in document-endpoints.ts (docsApi.periods).
import type { z } from 'zod';
import type { ClosePeriodBody, ExtendPeriodBody, OpenPeriodBody } from '../../../server/modules/periods/periods.schemas.ts';
import type { Period } from './document-endpoints.ts';
import { request } from './http.ts';
import { ROUTES } from './routes.ts';

type In<S extends z.ZodType> = z.input<S>;
export type OpenPeriod = In<typeof OpenPeriodBody>;
export type ExtendPeriod = In<typeof ExtendPeriodBody>;
export type ClosePeriod = In<typeof ClosePeriodBody>;

const doc = (slug: string, documentId: string) => ({ slug, documentId });

export const periodsApi = {
  open: (slug: string, documentId: string, body: OpenPeriod) => request<Period>(ROUTES.openPeriod, { params: doc(slug, documentId), body }),
  extend: (slug: string, documentId: string, periodId: string, body: ExtendPeriod) =>
    request<Period>(ROUTES.extendPeriod, { params: { ...doc(slug, documentId), periodId }, body }),
  close: (slug: string, documentId: string, periodId: string, body: ClosePeriod) =>
    request<Period>(ROUTES.closePeriod, { params: { ...doc(slug, documentId), periodId }, body }),
};
