// JSON shapes of groups and members, for HTTP and socket events alike.
// E-mail addresses appear only where the viewer may see them (conveners, operator, oneself).
import type { Group, Membership, Milestone, User } from '../../generated/prisma/client.ts';
import { lower } from '../../lib/enum-case.ts';
import { abilities, type GroupAccess } from './groups.policy.ts';
import type { Phase } from '../timeframe/phase.ts';
import { presentMilestone } from '../timeframe/timeframe.presenter.ts';

export const presentGroupSummary = (group: Group, role: Membership['role'] | null) => ({
  slug: group.slug,
  name: group.name,
  acronym: group.acronym,
  parentBodies: group.parentBodies,
  visibility: lower(group.visibility),
  myRole: role ? lower(role) : null,
});

/** The phase is the server's (timeframe/phase.ts): screens show it, never work it out. */
export const presentGroup = (access: GroupAccess, milestones: Milestone[], memberCount: number, phase: Phase) => ({
  ...presentGroupSummary(access.group, access.role),
  id: access.group.id,
  termsOfReference: access.group.termsOfReference,
  mailingList: access.group.mailingList,
  timeZone: access.group.timeZone,
  languages: access.group.languages,
  memberCount,
  milestones: milestones.map(presentMilestone),
  phase,
  abilities: abilities(access),
  createdAt: access.group.createdAt.toISOString(),
});

export const presentMember = (m: Membership & { user: User }, showEmail: boolean) => ({
  userId: m.userId,
  name: m.user.name,
  affiliation: m.user.affiliation,
  role: lower(m.role),
  since: m.createdAt.toISOString(),
  ...(showEmail ? { email: m.user.email } : {}),
});
