// Who may do what with Member State consultations. The secretariat (TSB for a study group) is the
// group's convener in Convene's roles, and the operator may act for it; members of the group read
// the circular and, after the deadline, the result. Answering is not a role at all: only the
// designated focal points of an invited Administration answer (consultation-access.ts), whatever
// their role in the group, and neither a convener nor the operator may answer for them.
import { definePolicy } from '../../lib/policy.ts';

export type ConsultationAction = 'consultations.read' | 'consultations.manage' | 'consultations.readProgress' | 'consultations.readResults';

export const consultationPolicy = definePolicy<ConsultationAction>({
  allowed: {
    'consultations.read': ['CONVENER', 'EDITOR', 'PARTICIPANT', 'OBSERVER'],
    'consultations.manage': ['CONVENER'],
    // Before the deadline: who has answered, never how (the outcome is not announced early).
    'consultations.readProgress': ['CONVENER'],
    'consultations.readResults': ['CONVENER', 'EDITOR', 'PARTICIPANT', 'OBSERVER'],
  },
  denied: {
    'consultations.manage': 'Only the conveners (the secretariat) run consultations.',
    'consultations.readProgress': 'The tally is announced after the deadline; until then only the secretariat follows who has answered.',
  },
});
