// What a digest says, per milestone kind: pure functions from plain data to the view the
// `digest` template renders. The data comes from other modules (documents and comments,
// dispositions) through digest-sources.ts; these functions know nothing about the database,
// so every kind is testable and benchable from a literal.
//
// A digest summarises and links: tables are capped (the rest is "N more" and a link), so the
// HTML stays well under Gmail's 102 KB clipping even for thousands of comments.
// Every sentence comes from the `emails` catalogue (keys `digests.*`) in the language asked for
// (`locale` in each kind's data; English when absent), so one digest can be built in each of the
// group's working languages.
import { DEFAULT_LOCALE, type Locale, translate, type Vars } from '../../lib/i18n.ts';
import { showInstant } from './format-instant.ts';

export type DigestKindName =
  | 'draft_posted'
  | 'reminder'
  | 'period_closed'
  | 'deadline_extended'
  | 'conveners_draft_posted'
  | 'final_report_published'
  | 'milestone_reached';

/** The language a digest is written in; English when absent. */
export interface InLanguage {
  locale?: Locale;
}

type Words = (key: string, vars?: Vars) => string;
const wordsOf =
  (locale: Locale = DEFAULT_LOCALE): Words =>
  (key, vars) =>
    translate(locale, 'emails', `digests.${key}`, vars);

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

const para = (...texts: string[]) => texts.filter(Boolean).map((text) => ({ text }));
const section = (heading: string, parts: Partial<Omit<DigestSection, 'heading'>>): DigestSection => ({ heading, paragraphs: [], rows: [], more: '', ...parts });
const clauseLabel = (t: Words, c: { clause: string; title: string }) => (c.clause ? `${c.clause} ${c.title}`.trim() : t('wholeDocument'));

function deadlineOf(label: string, at: Date | null | undefined, group: DigestGroup, locale?: Locale): DigestView['deadline'] {
  if (!at) return false;
  const shown = showInstant(at, group.timeZone, locale);
  return { label, utc: shown.utc, local: shown.local };
}

function base(t: Words, group: DigestGroup, links: DigestLinks, kind: DigestKindName, subject: string, headline: string): DigestView {
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
    actions: [{ label: t('openGroup', { acronym: group.acronym }), url: links.groupUrl }],
    archiveUrl: links.archiveUrl,
  };
}

/** Marks a digest that went out after its milestone (the server was down at that moment). */
export function markLate(view: DigestView, scheduledAt: Date, group: DigestGroup, locale?: Locale): DigestView {
  const shown = showInstant(scheduledAt, group.timeZone, locale);
  return { ...view, late: { note: wordsOf(locale)('late', { utc: shown.utc, local: shown.local }) } };
}

export interface DraftPostedData extends InLanguage {
  group: DigestGroup;
  links: DigestLinks;
  milestoneLabel: string;
  revision: { title: string; url: string; clauses: ClauseRef[] } | null;
  commentsClose: Date | null;
}

export function draftPostedDigest(d: DraftPostedData): DigestView {
  const t = wordsOf(d.locale);
  const title = d.revision?.title ?? d.milestoneLabel;
  const view = base(t, d.group, d.links, 'draft_posted', t('draftPosted.subject', { title }), t('draftPosted.headline'));
  view.intro = para(t('draftPosted.posted', { acronym: d.group.acronym, title }), d.commentsClose ? t('draftPosted.beforeDeadline') : '');
  view.deadline = deadlineOf(t('draftPosted.commentsClose'), d.commentsClose, d.group, d.locale);
  if (d.revision) {
    const clauses = d.revision.clauses;
    view.sections.push(
      section(t('draftPosted.clauses', { count: clauses.length }), {
        rows: clauses.slice(0, MAX_CLAUSE_ROWS).map((c) => ({ label: c.number, value: c.title })),
        more: clauses.length > MAX_CLAUSE_ROWS ? t('draftPosted.moreClauses', { count: clauses.length - MAX_CLAUSE_ROWS }) : '',
      }),
    );
    view.actions.unshift({ label: t('draftPosted.read'), url: d.revision.url });
  }
  return view;
}

export interface ReminderData extends InLanguage {
  group: DigestGroup;
  links: DigestLinks;
  milestoneLabel: string;
  deadline: Date;
  hoursBefore: number;
  url: string | null;
}

export function reminderDigest(d: ReminderData): DigestView {
  const t = wordsOf(d.locale);
  const when = d.hoursBefore % 24 === 0 ? t('reminder.days', { count: d.hoursBefore / 24 }) : t('reminder.hours', { count: d.hoursBefore });
  const view = base(t, d.group, d.links, 'reminder', t('reminder.subject', { when, milestone: d.milestoneLabel }), t('reminder.headline', { when }));
  view.intro = para(t('reminder.intro', { milestone: d.milestoneLabel }));
  view.deadline = deadlineOf(t('reminder.deadline'), d.deadline, d.group, d.locale);
  if (d.url) view.actions.unshift({ label: t('commentNow'), url: d.url });
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

export interface PeriodClosedData extends InLanguage {
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
  const t = wordsOf(d.locale);
  const n = (value: number) => (d.locale && d.locale !== DEFAULT_LOCALE ? value.toLocaleString(d.locale) : String(value));
  const view = base(t, d.group, d.links, 'period_closed', t('periodClosed.subject', { count: counts.total }), t('periodClosed.headline'));
  const closed = showInstant(d.closedAt, d.group.timeZone, d.locale);
  view.intro = para(
    t('periodClosed.intro', { milestone: d.milestoneLabel, utc: closed.utc, local: closed.local, count: counts.total, clauses: counts.byClause.length }),
  );
  view.sections.push(
    section(t('periodClosed.byType'), {
      rows: [
        { label: t('periodClosed.general'), value: n(counts.byType.general) },
        { label: t('periodClosed.technical'), value: n(counts.byType.technical) },
        { label: t('periodClosed.editorial'), value: n(counts.byType.editorial) },
      ],
    }),
  );
  const discussed = [...counts.byClause]
    .sort((a, b) => b.comments + b.replies - (a.comments + a.replies))
    .slice(0, MOST_DISCUSSED)
    .filter((c) => c.comments > 0);
  if (discussed.length) {
    view.sections.push(
      section(t('periodClosed.mostDiscussed'), {
        rows: discussed.map((c) => ({ label: clauseLabel(t, c), value: t('periodClosed.commentsAndReplies', { comments: c.comments, replies: c.replies }) })),
      }),
    );
  }
  view.sections.push(
    section(t('periodClosed.byClause'), {
      rows: counts.byClause.slice(0, MAX_CLAUSE_ROWS).map((c) => ({ label: clauseLabel(t, c), value: n(c.comments) })),
      more: counts.byClause.length > MAX_CLAUSE_ROWS ? t('periodClosed.moreClauses', { count: counts.byClause.length - MAX_CLAUSE_ROWS }) : '',
      paragraphs: counts.byClause.length ? [] : para(t('periodClosed.none')),
    }),
  );
  if (counts.byAffiliation.length) {
    const shown = counts.byAffiliation.slice(0, MAX_AFFILIATION_ROWS);
    const rest = counts.byAffiliation.slice(MAX_AFFILIATION_ROWS);
    view.sections.push(
      section(t('periodClosed.byAffiliation'), {
        rows: shown.map((a) => ({ label: a.affiliation, value: n(a.comments) })),
        more: rest.length ? t('periodClosed.moreAffiliations', { comments: rest.reduce((sum, a) => sum + a.comments, 0), affiliations: rest.length }) : '',
      }),
    );
  }
  const next = d.next ? showInstant(d.next.at, d.group.timeZone, d.locale) : null;
  view.sections.push(
    section(t('periodClosed.whatNext'), {
      paragraphs: para(t('periodClosed.adjudication'), d.next && next ? t('periodClosed.next', { label: d.next.label, utc: next.utc, local: next.local }) : ''),
    }),
  );
  if (d.url) view.actions.unshift({ label: t('periodClosed.read'), url: d.url });
  return view;
}

/** `reopened`: the period had already closed; subscribers are told comments are open again. */
export interface DeadlineExtendedData extends InLanguage {
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
  const t = wordsOf(d.locale);
  const previous = showInstant(d.previous, d.group.timeZone, d.locale);
  const how = d.reopened ? 'reopened' : 'extended';
  const vars = { by: d.extendedBy, period: d.periodLabel, utc: previous.utc, local: previous.local };
  const subject = t(`deadlineExtended.${how}Subject`);
  const view = base(
    t,
    d.group,
    d.links,
    'deadline_extended',
    t('deadlineExtended.subject', { what: subject, period: d.periodLabel }),
    t(`deadlineExtended.${how}Headline`),
  );
  view.intro = para(t(`deadlineExtended.${how}Intro`, vars));
  view.deadline = deadlineOf(t('deadlineExtended.newDeadline'), d.deadline, d.group, d.locale);
  view.sections.push(section(t('deadlineExtended.reason'), { paragraphs: para(d.reason) }));
  if (d.url) view.actions.unshift({ label: t('commentNow'), url: d.url });
  return view;
}

export interface ConvenersDraftData extends InLanguage {
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
  const t = wordsOf(d.locale);
  const n = (value: number) => (d.locale && d.locale !== DEFAULT_LOCALE ? value.toLocaleString(d.locale) : String(value));
  const title = d.revision?.title ?? d.milestoneLabel;
  const view = base(t, d.group, d.links, 'conveners_draft_posted', t('convenersDraft.subject', { title }), t('convenersDraft.headline'));
  view.intro = para(t('convenersDraft.intro', { title }));
  view.deadline = deadlineOf(t('convenersDraft.finalCommentsClose'), d.commentsClose, d.group, d.locale);
  if (d.changes) {
    view.sections.push(
      section(t('convenersDraft.changes'), {
        rows: [
          { label: t('convenersDraft.changed'), value: n(d.changes.changed) },
          { label: t('convenersDraft.added'), value: n(d.changes.added) },
          { label: t('convenersDraft.removed'), value: n(d.changes.removed) },
          { label: t('convenersDraft.renumbered'), value: n(d.changes.renumbered) },
        ],
      }),
    );
  }
  if (d.dispositions.length)
    view.sections.push(section(t('convenersDraft.dispositions'), { rows: d.dispositions.map((x) => ({ label: x.label, value: n(x.count) })) }));
  if (d.objections.length) {
    view.sections.push(
      section(t('convenersDraft.objections'), {
        rows: d.objections.slice(0, 20).map((o) => ({ label: o.clause || t('convenersDraft.document'), value: o.summary })),
        more: d.objections.length > 20 ? t('convenersDraft.moreObjections', { count: d.objections.length - 20 }) : '',
      }),
    );
  }
  if (d.revision) view.actions.unshift({ label: t('convenersDraft.read'), url: d.revision.url });
  return view;
}

export interface FinalReportData extends InLanguage {
  group: DigestGroup;
  links: DigestLinks;
  milestoneLabel: string;
  reportUrl: string | null;
  dispositionTableUrl: string | null;
  submittedTo: string[];
}

export function finalReportDigest(d: FinalReportData): DigestView {
  const t = wordsOf(d.locale);
  const view = base(t, d.group, d.links, 'final_report_published', t('finalReport.subject', { milestone: d.milestoneLabel }), t('finalReport.headline'));
  const bodies = new Intl.ListFormat(d.locale ?? DEFAULT_LOCALE, { type: 'conjunction' }).format(d.submittedTo);
  view.intro = para(
    d.submittedTo.length ? t('finalReport.introSubmitted', { acronym: d.group.acronym, bodies }) : t('finalReport.intro', { acronym: d.group.acronym }),
  );
  if (d.dispositionTableUrl) view.actions.unshift({ label: t('finalReport.dispositionTable'), url: d.dispositionTableUrl });
  if (d.reportUrl) view.actions.unshift({ label: t('finalReport.read'), url: d.reportUrl });
  return view;
}

export interface MilestoneReachedData extends InLanguage {
  group: DigestGroup;
  links: DigestLinks;
  milestoneLabel: string;
  at: Date;
  next: { label: string; at: Date } | null;
}

export function milestoneReachedDigest(d: MilestoneReachedData): DigestView {
  const t = wordsOf(d.locale);
  const view = base(t, d.group, d.links, 'milestone_reached', d.milestoneLabel, d.milestoneLabel);
  const at = showInstant(d.at, d.group.timeZone, d.locale);
  view.intro = para(t('milestoneReached.intro', { milestone: d.milestoneLabel, utc: at.utc, local: at.local }));
  if (d.next) view.deadline = deadlineOf(t('milestoneReached.next', { label: d.next.label }), d.next.at, d.group, d.locale);
  return view;
}
