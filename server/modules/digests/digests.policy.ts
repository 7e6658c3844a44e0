// Who may do what with a group's digests (after authentication and the group's membership
// scope). The archive itself is public for groups that publish their outputs (digests/index.ts).
import { definePolicy } from '../../lib/policy.ts';

export type DigestAction = 'digests.manage';

export const digestPolicy = definePolicy<DigestAction>({
  allowed: {
    // Reminder timing of the group's digests; per-recipient delivery status (addresses are PII).
    'digests.manage': ['CONVENER'],
  },
});
