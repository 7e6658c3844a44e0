// How an outside comment is attributed wherever it is shown: a liaison body's answers to the body;
// a person's to their name and organisation only if they agreed, otherwise to their stakeholder
// group and region ("a respondent from civil society, Africa").
import type { OutsideParticipant, StakeholderGroup, WorldRegion } from '../../generated/prisma/client.ts';

export const STAKEHOLDER_LABELS: Record<StakeholderGroup, string> = {
  GOVERNMENT: 'government',
  PRIVATE_SECTOR: 'the private sector',
  CIVIL_SOCIETY: 'civil society',
  TECHNICAL_COMMUNITY: 'the technical community',
  ACADEMIA: 'academia',
  INTERGOVERNMENTAL_ORGANISATION: 'an intergovernmental organisation',
};

export const REGION_LABELS: Record<WorldRegion, string> = {
  AFRICA: 'Africa',
  ASIA_PACIFIC: 'Asia-Pacific',
  EASTERN_EUROPE: 'Eastern Europe',
  LATIN_AMERICA_CARIBBEAN: 'Latin America and the Caribbean',
  WESTERN_EUROPE_AND_OTHERS: 'Western Europe and others',
};

/** Where a comment came from, in the disposition table and the analysis. */
export type CommentOrigin = 'member' | 'liaison' | 'public';

export interface Attribution {
  origin: Exclude<CommentOrigin, 'member'>;
  /** What is published: the person's or body's name, or the anonymous description. */
  name: string;
  organisation: string;
  named: boolean;
  stakeholderGroup: StakeholderGroup;
  region: WorldRegion | null;
}

type Profile = Pick<OutsideParticipant, 'name' | 'organisation' | 'publishName' | 'stakeholderGroup' | 'region' | 'liaisonContactId' | 'anonymisedAt'>;

export function attributionOf(p: Profile): Attribution {
  const base = { stakeholderGroup: p.stakeholderGroup, region: p.region };
  if (p.liaisonContactId && !p.anonymisedAt) return { ...base, origin: 'liaison', name: p.organisation, organisation: p.organisation, named: true };
  const origin = p.liaisonContactId ? 'liaison' : 'public';
  if (p.publishName && !p.anonymisedAt) return { ...base, origin, name: p.name, organisation: p.organisation, named: true };
  const where = p.region ? `, ${REGION_LABELS[p.region]}` : '';
  return { ...base, origin, name: `A respondent from ${STAKEHOLDER_LABELS[p.stakeholderGroup]}${where}`, organisation: '', named: false };
}
