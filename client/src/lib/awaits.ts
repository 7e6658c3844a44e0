// What awaits the reader in a group, said the same way on "My groups" and on the group home: the
// server says where the group stands (its phase); this picks the reader's next step from it.
import { request } from '../api/http.ts';
import { ROUTES } from '../api/routes.ts';
import type { Locale } from '../i18n/index.tsx';

type Phase = { kind: string; documentId: string | null; deadline: { iso: string } | null };
export type NextStep = { kind: 'comment'; documentId: string; deadline: string } | { kind: 'adjudicate'; documentId: string } | { kind: 'none' };

/** Participants, editors and conveners comment while a period is open; conveners adjudicate after. */
export function nextStepOf(phase: Phase, role: string | null): NextStep {
  if (phase.kind === 'comments_open' && phase.documentId && phase.deadline && role && role !== 'observer')
    return { kind: 'comment', documentId: phase.documentId, deadline: phase.deadline.iso };
  if (phase.kind === 'adjudication' && phase.documentId && role === 'convener') return { kind: 'adjudicate', documentId: phase.documentId };
  return { kind: 'none' };
}

/** "in 25 days", "in 5 hours", "in 20 minutes": how far a deadline is, as a person says it. */
export function relativeDeadline(locale: Locale, ms: number): string {
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 90) return rtf.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 36) return rtf.format(hours, 'hour');
  return rtf.format(Math.round(hours / 24), 'day');
}

/** How many proposed dispositions await my answer, per group (slug → count). */
export async function awaitingByGroup(): Promise<Map<string, number>> {
  const { items } = await request<{ items: { group: { slug: string } }[] }>(ROUTES.awaitingMyResponse);
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.group.slug, (counts.get(i.group.slug) ?? 0) + 1);
  return counts;
}
