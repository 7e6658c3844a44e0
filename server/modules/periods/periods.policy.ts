// Who may do what with comment periods (after authentication and the group's membership scope).
import { definePolicy } from '../../lib/policy.ts';

export type PeriodAction = 'periods.manage';

export const periodPolicy = definePolicy<PeriodAction>({
  allowed: {
    // Opening, closing and extending comment periods is the conveners' act.
    'periods.manage': ['CONVENER'],
  },
});
