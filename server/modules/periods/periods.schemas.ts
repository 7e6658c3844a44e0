// Request bodies of the comment-period routes (also the client's types for its period forms).
import { z } from 'zod';
import { Instant, int32, Uuid } from '../../lib/schemas.ts';
import { DocumentParams } from '../revisions/revisions.schemas.ts';

const Reason = z.string().trim().min(1, 'must not be empty: an extension or early close is explained').max(2000);

export const OpenPeriodBody = z.strictObject({
  revision: int32({ min: 1, error: 'must be a revision number' }).describe('Revision number'),
  opensAt: Instant.optional(),
  opensWithMilestoneId: Uuid.optional().describe('An existing milestone that marks the opening'),
  closesAt: Instant.optional(),
  closesWithMilestoneId: Uuid.optional().describe('An existing milestone that marks the close'),
  openingLabel: z.string().trim().min(1).max(200).optional(),
  closingLabel: z.string().trim().min(1).max(200).optional(),
});
export const ExtendPeriodBody = z.strictObject({ closesAt: Instant, reason: Reason });
export const ClosePeriodBody = z.strictObject({ reason: Reason });
export const PeriodParams = DocumentParams.extend({ periodId: Uuid });
