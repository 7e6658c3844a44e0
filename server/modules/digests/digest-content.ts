// What a digest says, per milestone kind: pure functions from plain data to the view the
// `digest` template renders. The data comes from other modules (documents and comments,
// dispositions) through digest-sources.ts; these functions know nothing about the database,
// so every kind is testable and benchable from a literal.
//
// A digest summarises and links: tables are capped (the rest is "N more" and a link), so the
// HTML stays well under Gmail's 102 KB clipping even for thousands of comments.
import { showInstant } from './format-instant.ts';

export type DigestKindName =
  | 'draft_posted'
  | 'reminder'
  | 'period_closed'
  | 'deadline_extended'
  | 'conveners_draft_posted'
  | 'final_report_published'
  | 'milestone_reached';

export interface DigestGroup {
  name: string;
  acronym: string;
  slug: string;
  timeZone: string;
}
export interface DigestLinks {
  groupUrl: string;
  archiveUrl: string;
}

export interface DigestRow {
  label: string;
  value: string;
}
export interface DigestSection {
  heading: string;
  paragraphs: { text: string }[];
  rows: DigestRow[];
  more: string;
}

/** Everything the template shows except the per-recipient footer. Stored with the digest. */
export interface DigestView {
  kind: DigestKindName;
  subject: string;
  groupName: string;
  groupAcronym: string;
  headline: string;
  intro: { text: string }[];
  late: { note: string } | false;
  deadline: { label: string; utc: string; local: string } | false;
  sections: DigestSection[];
  actions: { label: string; url: string }[];
  archiveUrl: string;
}

/** The per-recipient part: why they get it and how to stop. */
export interface DigestRecipientView {
  recipientNote: string;
  unsubscribeUrl: string | false;
  /** A member's own copy while the revision takes comments: how to comment by replying, and a mailto: per clause. */
  reply?: { howTo: string; clauses: { number: string; title: string; mailto: string }[] } | false;
}

export interface ClauseRef {
  number: string;
  title: string;
}

export interface CommentCounts {
  total: number;
  byType: { general: number; technical: number; editorial: number };
  /** Clause '' is the document as a whole. */
  byClause: { clause: string; title: string; comments: number; replies: number }[];
  byAffiliation: { affiliation: string; comments: number }[];
}

const MAX_CLAUSE_ROWS = 40;
const MAX_AFFILIATION_ROWS = 15;
const MOST_DISCUSSED = 5;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
const para = (...texts: string[]) => texts.filter(Boolean).map((text) => ({ text }));
const section = (heading: string, parts: Partial<Omit<DigestSection, 'heading'>>): DigestSection => ({ heading, paragraphs: [], rows: [], more: '', ...parts });
const clauseLabel = (c: { clause: string; title: string }) => (c.clause ? `${c.clause} ${c.title}`.trim() : 'The document as a whole');

function deadlineOf(label: string, at: Date | null | undefined, group: DigestGroup): DigestView['deadline'] {
  if (!at) return false;
  const shown = showInstant(at, group.timeZone);
  return { label, utc: shown.utc, local: shown.local };
}

function base(group: DigestGroup, links: DigestLinks, kind: DigestKindName, subject: string, headline: string): DigestView {
  return {
    kind,
    subject: `[${group.acronym}] ${subject}`,
    groupName: group.name,
    groupAcronym: group.acronym,
    headline,
    intro: [],
    late: false,
    deadline: false,
    sections: [],
    actions: [{ label: `Open ${group.acronym} on Convene`, url: links.groupUrl }],
    archiveUrl: links.archiveUrl,
  };
}

/** Marks a digest that went out after its milestone (the server was down at that moment). */
export function markLate(view: DigestView, scheduledAt: Date, group: DigestGroup): DigestView {
  const shown = showInstant(scheduledAt, group.timeZone);
  return { ...view, late: { note: `This digest is late: it was due on ${shown.utc} (${shown.local}) but the server was unavailable then.` } };
}

export interface DraftPostedData {
  group: DigestGroup;
  links: DigestLinks;
  milestoneLabel: string;
  revision: { title: string; url: string; clauses: ClauseRef[] } | null;
  commentsClose: Date | null;
}

export function draftPostedDigest(d: DraftPostedData): DigestView {
  const title = d.revision?.title ?? d.milestoneLabel;
  const view = base(d.group, d.links, 'draft_posted', `Draft posted for comments: ${title}`, 'A draft is open for your comments');
  view.intro = para(
    `The conveners of ${d.group.acronym} posted ${title}.`,
    d.commentsClose
      ? 'Comment on any clause, or on the document as a whole, before the deadline below. After it, nothing is accepted unless the conveners extend the period.'
      : '',
  );
  view.deadline = deadlineOf('Comments close', d.commentsClose, d.group);
  if (d.revision) {
    const clauses = d.revision.clauses;
    view.sections.push(
      section(`Clauses (${clauses.length})`, {
        rows: clauses.slice(0, MAX_CLAUSE_ROWS).map((c) => ({ label: c.number, value: c.title })),
        more: clauses.length > MAX_CLAUSE_ROWS ? `and ${plural(clauses.length - MAX_CLAUSE_ROWS, 'more clause')} in the document.` : '',
      }),
    );
    view.actions.unshift({ label: 'Read and comment', url: d.revision.url });
  }
  return view;
}

export interface ReminderData {
  group: DigestGroup;
  links: DigestLinks;
  milestoneLabel: string;
  deadline: Date;
  hoursBefore: number;
  url: string | null;
}

export function reminderDigest(d: ReminderData): DigestView {
  const when = d.hoursBefore % 24 === 0 ? plural(d.hoursBefore / 24, 'day') : plural(d.hoursBefore, 'hour');
  const view = base(d.group, d.links, 'reminder', `${when} left: ${d.milestoneLabel}`, `${when} left to comment`);
  view.intro = para(`${d.milestoneLabel}. Comments received after the deadline are not accepted unless the conveners extend the period.`);
  view.deadline = deadlineOf('Deadline', d.deadline, d.group);
  if (d.url) view.actions.unshift({ label: 'Comment now', url: d.url });
  return view;
}

/** Counts comments from plain rows, so periodClosedDigest can be built and tested without a database. */
export function countComments(
  comments: { clause: string; clauseTitle: string; type: 'general' | 'technical' | 'editorial'; affiliation: string; replies: number }[],
): CommentCounts {
  const byType = { general: 0, technical: 0, editorial: 0 };
  const clauses = new Map<string, { clause: string; title: string; comments: number; replies: number }>();
  const affiliations = new Map<string, number>();
  for (const c of comments) {
    byType[c.type] += 1;
    const entry = clauses.get(c.clause) ?? { clause: c.clause, title: c.clauseTitle, comments: 0, replies: 0 };
    entry.comments += 1;
    entry.replies += c.replies;
    clauses.set(c.clause, entry);
    const aff = c.affiliation.trim() || 'Unaffiliated';
    affiliations.set(aff, (affiliations.get(aff) ?? 0) + 1);
  }
  return {
    total: comments.length,
    byType,
    byClause: [...clauses.values()].sort((a, b) => compareClauses(a.clause, b.clause)),
    byAffiliation: [...affiliations]
      .map(([affiliation, n]) => ({ affiliation, comments: n }))
      .sort((a, b) => b.comments - a.comments || a.affiliation.localeCompare(b.affiliation)),
  };
}

/** "2" < "7.1" < "7.10"; the document as a whole ('') first. */
function compareClauses(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d) return d;
  }
  return a.localeCompare(b);
}

export interface PeriodClosedData {
  group: DigestGroup;
  links: DigestLinks;
  milestoneLabel: string;
  closedAt: Date;
  counts: CommentCounts;
  next: { label: string; at: Date } | null;
  url: string | null;
}

export function periodClosedDigest(d: PeriodClosedData): DigestView {
  const { counts } = d;
  const view = base(d.group, d.links, 'period_closed', `Comment period closed: ${plural(counts.total, 'comment')} received`, 'The comment period has closed');
  const closed = showInstant(d.closedAt, d.group.timeZone);
  view.intro = para(
    `${d.milestoneLabel}: the period closed on ${closed.utc} (${closed.local}) with ${plural(counts.total, 'comment')} on ${plural(counts.byClause.length, 'clause')}.`,
  );
  view.sections.push(
    section('By type', {
      rows: [
        { label: 'General (ge)', value: String(counts.byType.general) },
        { label: 'Technical (te)', value: String(counts.byType.technical) },
        { label: 'Editorial (ed)', value: String(counts.byType.editorial) },
      ],
    }),
  );
  const discussed = [...counts.byClause]
    .sort((a, b) => b.comments + b.replies - (a.comments + a.replies))
    .slice(0, MOST_DISCUSSED)
    .filter((c) => c.comments > 0);
  if (discussed.length) {
    view.sections.push(
      section('Most discussed', {
        rows: discussed.map((c) => ({ label: clauseLabel(c), value: `${plural(c.comments, 'comment')}, ${plural(c.replies, 'reply', 'replies')}` })),
      }),
    );
  }
  view.sections.push(
    section('By clause', {
      rows: counts.byClause.slice(0, MAX_CLAUSE_ROWS).map((c) => ({ label: clauseLabel(c), value: String(c.comments) })),
      more:
        counts.byClause.length > MAX_CLAUSE_ROWS ? `and ${plural(counts.byClause.length - MAX_CLAUSE_ROWS, 'more clause')}: see every comment on Convene.` : '',
      paragraphs: counts.byClause.length ? [] : para('No comments were received.'),
    }),
  );
  if (counts.byAffiliation.length) {
    const shown = counts.byAffiliation.slice(0, MAX_AFFILIATION_ROWS);
    const rest = counts.byAffiliation.slice(MAX_AFFILIATION_ROWS);
    view.sections.push(
      section('By affiliation', {
        rows: shown.map((a) => ({ label: a.affiliation, value: String(a.comments) })),
        more: rest.length
          ? `and ${plural(
              rest.reduce((n, a) => n + a.comments, 0),
              'comment',
            )} from ${plural(rest.length, 'other affiliation')}.`
          : '',
      }),
    );
  }
  const next = d.next ? showInstant(d.next.at, d.group.timeZone) : null;
  view.sections.push(
    section('What happens next', {
      paragraphs: para(
        'The conveners now adjudicate every comment, in consultation with the commenters: each commenter sees the proposed disposition of their comment and can answer before it is final.',
        d.next && next ? `Next: ${d.next.label}, ${next.utc} (${next.local}).` : '',
      ),
    }),
  );
  if (d.url) view.actions.unshift({ label: 'Read the comments', url: d.url });
  return view;
}

/** `reopened`: the period had already closed; subscribers are told comments are open again. */
export interface DeadlineExtendedData {
  group: DigestGroup;
  links: DigestLinks;
  periodLabel: string;
  previous: Date;
  deadline: Date;
  reason: string;
  extendedBy: string;
  url: string | null;
  reopened?: boolean;
}

export function deadlineExtendedDigest(d: DeadlineExtendedData): DigestView {
  const previous = showInstant(d.previous, d.group.timeZone);
  const [subject, preheader, intro] = d.reopened
    ? [
        'Comments reopened',
        'Comments are open again until the new deadline',
        `${d.extendedBy} reopened ${d.periodLabel}, which had closed at ${previous.utc} (${previous.local}).`,
      ]
    : [
        'Deadline extended',
        'The comment deadline was extended',
        `${d.extendedBy} extended ${d.periodLabel}. The previous deadline was ${previous.utc} (${previous.local}).`,
      ];
  const view = base(d.group, d.links, 'deadline_extended', `${subject}: ${d.periodLabel}`, preheader);
  view.intro = para(intro);
  view.deadline = deadlineOf('New deadline', d.deadline, d.group);
  view.sections.push(section("The conveners' reason", { paragraphs: para(d.reason) }));
  if (d.url) view.actions.unshift({ label: 'Comment now', url: d.url });
  return view;
}

export interface ConvenersDraftData {
  group: DigestGroup;
  links: DigestLinks;
  milestoneLabel: string;
  revision: { title: string; url: string } | null;
  changes: { added: number; changed: number; removed: number; renumbered: number } | null;
  dispositions: { label: string; count: number }[];
  objections: { clause: string; summary: string }[];
  commentsClose: Date | null;
}

export function convenersDraftDigest(d: ConvenersDraftData): DigestView {
  const title = d.revision?.title ?? d.milestoneLabel;
  const view = base(d.group, d.links, 'conveners_draft_posted', `Conveners' draft posted: ${title}`, "The conveners' draft is open for final comments");
  view.intro = para(`The conveners posted ${title}, revised after adjudicating the comments received.`);
  view.deadline = deadlineOf('Final comments close', d.commentsClose, d.group);
  if (d.changes) {
    view.sections.push(
      section('What changed since the last revision', {
        rows: [
          { label: 'Clauses changed', value: String(d.changes.changed) },
          { label: 'Clauses added', value: String(d.changes.added) },
          { label: 'Clauses removed', value: String(d.changes.removed) },
          { label: 'Clauses renumbered', value: String(d.changes.renumbered) },
        ],
      }),
    );
  }
  if (d.dispositions.length) view.sections.push(section('Dispositions', { rows: d.dispositions.map((x) => ({ label: x.label, value: String(x.count) })) }));
  if (d.objections.length) {
    view.sections.push(
      section('Objections carried forward', {
        rows: d.objections.slice(0, 20).map((o) => ({ label: o.clause || 'Document', value: o.summary })),
        more: d.objections.length > 20 ? `and ${plural(d.objections.length - 20, 'more objection')} on Convene.` : '',
      }),
    );
  }
  if (d.revision) view.actions.unshift({ label: 'Read the draft', url: d.revision.url });
  return view;
}

export interface FinalReportData {
  group: DigestGroup;
  links: DigestLinks;
  milestoneLabel: string;
  reportUrl: string | null;
  dispositionTableUrl: string | null;
  submittedTo: string[];
}

export function finalReportDigest(d: FinalReportData): DigestView {
  const view = base(d.group, d.links, 'final_report_published', `Final report published: ${d.milestoneLabel}`, 'The final report is published');
  view.intro = para(
    `The conveners published the final report of ${d.group.acronym}${d.submittedTo.length ? ` and submit it to ${d.submittedTo.join(' and ')}` : ''}. Thank you to everyone who commented.`,
  );
  if (d.dispositionTableUrl) view.actions.unshift({ label: 'Disposition of comments', url: d.dispositionTableUrl });
  if (d.reportUrl) view.actions.unshift({ label: 'Read the final report', url: d.reportUrl });
  return view;
}

export interface MilestoneReachedData {
  group: DigestGroup;
  links: DigestLinks;
  milestoneLabel: string;
  at: Date;
  next: { label: string; at: Date } | null;
}

export function milestoneReachedDigest(d: MilestoneReachedData): DigestView {
  const view = base(d.group, d.links, 'milestone_reached', d.milestoneLabel, d.milestoneLabel);
  const at = showInstant(d.at, d.group.timeZone);
  view.intro = para(`${d.milestoneLabel}: ${at.utc} (${at.local}).`);
  if (d.next) view.deadline = deadlineOf(`Next: ${d.next.label}`, d.next.at, d.group);
  return view;
}
