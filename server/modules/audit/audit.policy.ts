// Who may read a group's audit log (after authentication and the group's membership scope); the
// whole server's log is the operator's alone (requireOperator).
import { definePolicy } from '../../lib/policy.ts';

export type AuditAction = 'audit.read';

export const auditPolicy = definePolicy<AuditAction>({
  allowed: { 'audit.read': ['CONVENER'] },
  denied: { 'audit.read': 'Only the conveners of this group can read its audit log.' },
});
