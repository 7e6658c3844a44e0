// Who may do what with a group's work programme (after authentication and the group's
// membership scope). The secretariat of a study group (TSB's counsellor) is the group's convener
// in Convene's roles: it keeps the work programme and runs consultations; there is no separate
// role, so every other module's table stays as it is.
import { definePolicy } from '../../lib/policy.ts';

export type WorkProgrammeAction = 'workItems.read' | 'workItems.manage';

export const workProgrammePolicy = definePolicy<WorkProgrammeAction>({
  allowed: {
    'workItems.read': ['CONVENER', 'EDITOR', 'PARTICIPANT', 'OBSERVER'],
    'workItems.manage': ['CONVENER'],
  },
  denied: {
    'workItems.manage': 'Only the conveners (the secretariat) keep the work programme.',
  },
});
