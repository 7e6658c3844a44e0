// Data for the adjudication browser tests: the seed-like draft with comments made while its
// period was open, then the period closed (as after the deadline), and a second convener.
import type { TestApp } from '../../helpers/app.ts';
import { createUser, sessionFor, type Session } from '../../helpers/factories.ts';
import { inHours } from '../../helpers/documents.ts';
import { createDocumentGroup } from './fixtures.ts';

/** One call to the API as `session`; throws with the body on an unexpected status. */
export async function call<T = unknown>(
  app: TestApp,
  session: Session,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  payload?: unknown,
  expected = [200, 201],
): Promise<T> {
  const res = await app.inject({ method, url, headers: session.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  if (!expected.includes(res.statusCode)) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

export const COMMENTS: { by: 'participant' | 'second'; clause: string | null; type: 'general' | 'technical' | 'editorial'; body: string }[] = [
  { by: 'participant', clause: '1', type: 'technical', body: 'The scope should name the SG20 smart-city use cases.' },
  { by: 'second', clause: '2', type: 'editorial', body: 'Cite Y.2060 with its date of approval.' },
  { by: 'participant', clause: '7.1', type: 'technical', body: 'Physical capture needs tamper resistance as a countermeasure.' },
  { by: 'second', clause: '7.1', type: 'editorial', body: 'Use "sensors and devices" consistently.' },
  { by: 'second', clause: '7.3', type: 'general', body: 'Platforms deserve a threat table like clause 7.1.' },
];

/** A document whose comment period is over, with COMMENTS on it and two conveners. */
export async function createAdjudicationGroup(app: TestApp) {
  const g = await createDocumentGroup(app, inHours(1));
  const sessions = { participant: await sessionFor(app, g.participant.email), second: await sessionFor(app, g.second.email) };
  const base = `/api/groups/${g.group.slug}/documents/${g.document.id}`;
  const comments: { id: string }[] = [];
  for (const c of COMMENTS) {
    const clauseId = c.clause ? g.clause(c.clause).id : null;
    comments.push(await call(app, sessions[c.by], 'POST', `${base}/revisions/1/comments`, { clauseId, type: c.type, body: c.body }));
  }
  await call(app, g.convenerSession, 'POST', `${base}/periods/${g.period.id}/close`, { reason: 'Deadline reached.' });
  const coConvener = await createUser(app, { name: 'Co-Convener', affiliation: 'SG20 / Elsewhere' });
  await app.prisma.membership.create({ data: { groupId: g.group.id, userId: coConvener.id, role: 'CONVENER' } });
  return {
    ...g,
    coConvener,
    coConvenerSession: await sessionFor(app, coConvener.email),
    participantSession: sessions.participant,
    secondSession: sessions.second,
    comments,
    api: base,
    boardUrl: `${g.url}/adjudication`,
  };
}
