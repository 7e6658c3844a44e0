// Documents, revisions and comment periods for the API tests, through the real routes.
import { expect } from 'vitest';
import type { TestApp } from './app.ts';
import type { Session } from './factories.ts';

export const DRAFT_MD = [
  '# 1 Scope',
  'This Recommendation describes the security framework for Internet of Things.',
  '# 2 References',
  'Recommendation ITU-T Y.2060, Overview of the Internet of things.',
  '# 7 Security threats for Internet of Things',
  'Threats are analysed per layer.',
  '## 7.1 Security threats for sensor/devices',
  'Devices may be captured physically and their keys extracted by an attacker.',
  '## 7.2 Security threats for network',
  'Eavesdropping on wireless links exposes data in transit.',
  '## 7.3 Security threats for platform/services',
  'Platforms aggregate data from many devices and are attractive targets.',
].join('\n\n');

export async function postDocument(app: TestApp, slug: string, s: Session, title = 'Report on security and privacy aspects of IoT') {
  const res = await app.inject({ method: 'POST', url: `/api/groups/${slug}/documents`, headers: s.headers, payload: { title } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; title: string };
}

export async function postMarkdownRevision(app: TestApp, slug: string, documentId: string, s: Session, source = DRAFT_MD, label = 'Initial baseline') {
  const res = await app.inject({
    method: 'POST',
    url: `/api/groups/${slug}/documents/${documentId}/revisions`,
    headers: s.headers,
    payload: { label, source },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as {
    id: string;
    sequence: number;
    clauses: Array<{ id: string; number: string; heading: string; earlierComments: Array<{ commentId: string; reason: string }> }>;
    orphanedComments: Array<{ commentId: string }>;
    carriedComments: number;
  };
}

export async function openPeriodApi(app: TestApp, slug: string, documentId: string, s: Session, revision: number, opensAt: string, closesAt: string) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/groups/${slug}/documents/${documentId}/periods`,
    headers: s.headers,
    payload: { revision, opensAt, closesAt },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; closingMilestoneId: string };
}

const hour = 3_600_000;
export const inHours = (h: number) => new Date(Date.now() + h * hour).toISOString();
