// What a reply by mail can do, one entry per purpose of a reply address. Each entry turns the
// reply into a call of the SAME use-case function the web route calls (the deadline by the database
// clock, the authorization, the audit entry, the realtime event and the digest counts are theirs),
// and says what the mail tells the recipient about replying. Other modules add purposes with
// defineReplyTarget (a liaison reply, a consultation response) without touching the pipeline.
import type { User } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import type { Ctx } from '../../lib/use-case.ts';
import { loadGroupAccess } from '../groups/groups.policy.ts';
import { postComment, replyToComment } from '../comments/create-comment.ts';
import { revisionSnapshot } from '../comments/revision-snapshots.ts';
import { changeDisposition } from '../dispositions/change-disposition.ts';
import { DISPOSITION_LABELS } from '../dispositions/export/labels.ts';
import type { DispositionCode } from '../dispositions/export/disposition-table.ts';
import { documentUrl } from '../periods/periods.digests.ts';
import type { AnswerWords } from './answer-words.ts';

/** The reply as read from the mail: quotes and signature stripped, plain text. */
export interface ReadReply {
  subject: string;
  text: string;
}

export interface ReplyOutcome {
  /** "Your reply in the thread on clause 7.1 of … is recorded." */
  sentence: string;
  url: string;
  /** The same sentence in catalogue terms (answer-words.ts), for the answer in the reader's language. */
  words?: AnswerWords;
}

/**
 * Reads shared by the messages of one batch (many replies to one digest name the same revision,
 * period and clauses): each key is read once per batch. Outside a batch, `freshReads()`.
 */
export interface BatchReads {
  once<T>(key: string, read: () => Promise<T>): Promise<T>;
}

export function freshReads(): BatchReads & { prime(key: string, value: unknown): void } {
  const cache = new Map<string, Promise<unknown>>();
  return {
    /** What a read of many keys at once (one statement for the batch) found for `key`. */
    prime(key, value) {
      cache.set(key, Promise.resolve(value));
    },
    once<T>(key: string, read: () => Promise<T>) {
      let hit = cache.get(key) as Promise<T> | undefined;
      if (!hit) {
        hit = read();
        cache.set(key, hit);
        // A failed read is not kept: the next message of the batch reads again.
        hit.catch(() => cache.delete(key));
      }
      return hit;
    },
  };
}

export interface ReplyTarget {
  purpose: string;
  /** How to reply, in the mail that carries the address (plain text; the defaults stated). */
  howTo: string;
  /** The target's deadline now (null: none); an address expires with it. */
  deadline(ctx: Ctx, targetId: string, reads?: BatchReads): Promise<Date | null>;
  /**
   * Which of these stored messages' ids already name what they made (a retried message whose
   * first attempt committed): one read for a whole batch. Without it, `apply` finds out itself.
   */
  made?(ctx: Ctx, keys: string[]): Promise<Set<string>>;
  /**
   * Does what the reply asks, through the use case; throws its AppError when refused. `key` is the
   * stored message's id: the same on every attempt, so a retried job finds what the first one made
   * (`made`: what the target's `made` said of it, when it has one).
   */
  apply(
    ctx: Ctx,
    input: { user: User; targetId: string; tag: string; reply: ReadReply; key: string; receivedAt: Date; reads?: BatchReads; made?: boolean },
  ): Promise<ReplyOutcome>;
}

/** Comments made by replies carry the message's id as their own. */
async function commentsMade(ctx: Ctx, keys: string[]): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const rows = await ctx.prisma.comment.findMany({ where: { id: { in: keys } }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

const targets = new Map<string, ReplyTarget>();

export function defineReplyTarget(target: ReplyTarget): void {
  targets.set(target.purpose, target);
}

export const replyTarget = (purpose: string) => targets.get(purpose);

/** Without a deadline (a convener's thread, a proposal open until finalised), an address lasts this long. */
export const OPEN_ENDED_MS = 90 * 86_400_000;

const where = (clause: { number: string } | null, title: string) => `${clause?.number ? `clause ${clause.number}` : 'the document as a whole'} of "${title}"`;
const whereWords = (clause: { number: string } | null, title: string) => ({ number: clause?.number || null, title });

/** The close of the latest period on a revision. */
async function periodClose(ctx: Ctx, revisionId: string, reads: BatchReads = freshReads()): Promise<Date | null> {
  const p = await reads.once(`period-close:${revisionId}`, () =>
    ctx.prisma.commentPeriod.findFirst({ where: { revisionId }, orderBy: { closesAt: 'desc' }, select: { closesAt: true } }),
  );
  return p?.closesAt ?? null;
}

// ── A reply in a comment's thread ─────────────────────────────────────────────────────────────
defineReplyTarget({
  purpose: 'thread_reply',
  howTo: 'Reply to this e-mail to answer in the thread: your text, without the quoted mail, is posted as your reply.',
  async deadline(ctx, commentId, reads = freshReads()) {
    const c = await reads.once(`comment-revision:${commentId}`, () =>
      ctx.prisma.comment.findUnique({ where: { id: commentId }, select: { revisionId: true } }),
    );
    return c ? periodClose(ctx, c.revisionId, reads) : null;
  },
  made: commentsMade,
  async apply(ctx, { user, targetId, reply, key, reads = freshReads(), made }) {
    const parent = await reads.once(`thread:${targetId}`, () =>
      ctx.prisma.comment.findUnique({
        where: { id: targetId },
        select: {
          id: true,
          documentId: true,
          clause: { select: { number: true } },
          document: { select: { title: true, group: { select: { slug: true } } } },
        },
      }),
    );
    if (!parent) throw AppError.notFound('That comment', 'comment_not_found');
    const url = `${documentUrl(ctx.config, parent.document.group.slug, parent.documentId)}?comment=${parent.id}`;
    const sentence = `Your reply in the thread on ${where(parent.clause, parent.document.title)} is recorded.`;
    const words = { key: 'mailAnswer.recorded.thread_reply', where: whereWords(parent.clause, parent.document.title) };
    if (made ?? (await commentsMade(ctx, [key])).has(key)) return { sentence, url, words };
    await replyToComment(ctx, { slug: parent.document.group.slug, user, documentId: parent.documentId, parentId: parent.id, body: reply.text, id: key });
    return { sentence, url, words };
  },
});

// ── Agree or object to a proposed disposition ─────────────────────────────────────────────────
// The first words of the answer, in the six languages (the mails name the English word and the
// reader's own): longer phrases first, so that "no estoy de acuerdo" is an objection and not a "no"
// followed by text, and a negated agreement ("pas d'accord", "не согласен", "不同意", "غير موافق")
// never reads as an agreement. A word must end there (a space, punctuation or the end), except in
// Chinese, where words are not separated.
const ANSWER_WORDS: Record<'agree' | 'object', string[]> = {
  object: [
    'i disagree',
    'disagree',
    'i object',
    'objection',
    'object',
    "pas d['’]accord",
    "je m['’]oppose",
    'je refuse',
    'no estoy de acuerdo',
    'en desacuerdo',
    'objeción',
    'objeto',
    'не согласна',
    'не согласен',
    'возражаю',
    'возражение',
    'غير موافقة',
    'غير موافق',
    'أعترض',
    'اعتراض',
    'non',
    'no',
    'нет',
    'لا',
  ],
  agree: [
    'i agree',
    'agreed',
    'agree',
    'okay',
    'ok',
    'yes',
    "d['’]accord",
    "j['’]accepte",
    'accord',
    'oui',
    'de acuerdo',
    'acepto',
    'sí',
    'si',
    'согласна',
    'согласен',
    'да',
    'أوافق',
    'موافقة',
    'موافق',
    'نعم',
  ],
};
const CHINESE = { object: ['不同意', '反对'], agree: ['同意'] };
const answerPattern = (kind: 'agree' | 'object') =>
  new RegExp(`^(?:(?:${ANSWER_WORDS[kind].join('|')})(?=$|[\\s\\p{P}])|(?:${CHINESE[kind].join('|')}))[\\s\\p{P}]*`, 'iu');
const OBJECT = answerPattern('object');
const AGREE = answerPattern('agree');

/** "agree" or "object" and the reasons after the word, from the answer's text; null when its first words are neither. */
export function readAnswer(text: string): { response: 'agree' | 'object'; text: string } | null {
  const trimmed = text.trim();
  // Objections first: their phrases contain the agreements' words ("pas d'accord", "不同意").
  const object = OBJECT.exec(trimmed);
  if (object) return { response: 'object', text: trimmed.slice(object[0].length).trim() };
  const agree = AGREE.exec(trimmed);
  if (agree) return { response: 'agree', text: trimmed.slice(agree[0].length).trim() };
  return null;
}

defineReplyTarget({
  purpose: 'disposition_response',
  howTo: 'Reply to this e-mail to answer: write "agree" on the first line, or "object" followed by your reasons (on the same line or the lines below).',
  async deadline(ctx, dispositionId) {
    const d = await ctx.prisma.disposition.findUnique({ where: { id: dispositionId }, select: { respondBy: true } });
    return d?.respondBy ?? null;
  },
  async apply(ctx, { user, targetId, tag, reply, receivedAt }) {
    const d = await ctx.prisma.disposition.findUnique({
      where: { id: targetId },
      select: {
        id: true,
        commentId: true,
        documentId: true,
        version: true,
        code: true,
        responseKind: true,
        respondedAt: true,
        comment: { select: { clause: { select: { number: true } }, document: { select: { title: true, group: { select: { slug: true } } } } } },
      },
    });
    if (!d) throw AppError.notFound('That disposition', 'disposition_not_found');
    const answer = readAnswer(reply.text);
    if (!answer) {
      throw AppError.unprocessable(
        'unclear_answer',
        'Your answer was not recorded: its first line must be "agree", or "object" followed by your reasons (or the same word in your language, as the mail says).',
      );
    }
    const { response } = answer;
    const label = d.code ? DISPOSITION_LABELS[d.code.toLowerCase() as DispositionCode] : 'the proposal';
    const url = `${documentUrl(ctx.config, d.comment.document.group.slug, d.documentId)}?comment=${d.commentId}`;
    const sentence = `Your answer "${response}" to the proposed disposition "${label}" of your comment on ${where(d.comment.clause, d.comment.document.title)} is recorded.`;
    const words = {
      key: 'mailAnswer.recorded.disposition_response',
      where: whereWords(d.comment.clause, d.comment.document.title),
      vars: { response: `mailAnswer.response.${response}`, label: `notices.code.${d.code ? d.code.toLowerCase() : 'undecided'}` },
      translated: ['response', 'label'],
    };
    // A retried job whose first attempt committed: the answer this message gave is there already.
    if (d.responseKind && d.version === Number(tag) + 1 && d.respondedAt && d.respondedAt >= receivedAt) return { sentence, url, words };
    const access = await loadGroupAccess(ctx, d.comment.document.group.slug, user);
    await changeDisposition(ctx, {
      access,
      documentId: d.documentId,
      commentId: d.commentId,
      // The version the mail showed: an answer to a proposal changed since is refused, not moved onto the new one.
      expectedVersion: Number(tag),
      change: { kind: 'respond', response, text: answer.text },
    });
    return { sentence, url, words };
  },
});

// ── A new comment on a clause, from a digest or a period reminder ─────────────────────────────
const TYPE_LINE = /^type:[ \t]*(\S*)[ \t]*$/im;
const PROPOSED_LINE = /^proposed change:[ \t]*/im;
const CLAUSE_LINE = /^clause:[ \t]*(\S+)[ \t]*$/im;
const CLAUSE_IN_SUBJECT = /\bclause\s+([A-Z]?\d+(?:\.\d+)*|[A-Z](?:\.\d+)*)\b/i;
const TYPES: Record<string, 'GENERAL' | 'TECHNICAL' | 'EDITORIAL'> = {
  general: 'GENERAL',
  ge: 'GENERAL',
  technical: 'TECHNICAL',
  te: 'TECHNICAL',
  editorial: 'EDITORIAL',
  ed: 'EDITORIAL',
};

/** Reads `Type:`, `Clause:` and `Proposed change:` lines out of a reply; the rest is the comment. */
export function readCommentLines(reply: ReadReply) {
  let text = reply.text;
  const typeMatch = TYPE_LINE.exec(text);
  let type: 'GENERAL' | 'TECHNICAL' | 'EDITORIAL' = 'GENERAL';
  if (typeMatch) {
    const t = TYPES[typeMatch[1]!.toLowerCase()];
    if (!t) {
      throw AppError.badRequest(
        'invalid_comment_type',
        `Your comment was not recorded: "Type: ${typeMatch[1]}" is not a comment type; write general, technical or editorial (or leave the line out for general).`,
      );
    }
    type = t;
    text = text.replace(typeMatch[0], '');
  }
  const clauseLine = CLAUSE_LINE.exec(text);
  if (clauseLine) text = text.replace(clauseLine[0], '');
  const clause = clauseLine?.[1] ?? CLAUSE_IN_SUBJECT.exec(reply.subject)?.[1] ?? null;
  let proposedChange = '';
  const proposed = PROPOSED_LINE.exec(text);
  if (proposed) {
    proposedChange = text.slice(proposed.index + proposed[0].length).trim();
    text = text.slice(0, proposed.index);
  }
  return { type, clause, proposedChange, body: text.trim() };
}

defineReplyTarget({
  purpose: 'clause_comment',
  howTo:
    'Reply to this e-mail to comment: name the clause in the subject (e.g. "Comment on clause 7.1"; without one, the comment is on the document as a whole). ' +
    'Optional lines: "Type: technical" (general, technical or editorial; general if left out) and "Proposed change:" followed by your proposed text (none if left out). ' +
    'Everything else is your comment.',
  async deadline(ctx, revisionId, reads) {
    return periodClose(ctx, revisionId, reads);
  },
  made: commentsMade,
  async apply(ctx, { user, targetId, reply, key, reads = freshReads(), made }) {
    const revision = await reads.once(`revision:${targetId}`, () =>
      ctx.prisma.revision.findUnique({
        where: { id: targetId },
        select: { id: true, sequence: true, documentId: true, document: { select: { title: true, group: { select: { slug: true } } } } },
      }),
    );
    if (!revision) throw AppError.notFound('That revision', 'revision_not_found');
    const lines = readCommentLines(reply);
    let clause: { id: string; number: string } | null = null;
    if (lines.clause) {
      // A revision never changes: its clauses are read from the comment path's cached snapshot.
      const snapshot = await revisionSnapshot(ctx, revision.documentId, revision.sequence);
      for (const [id, c] of snapshot?.clauses ?? []) {
        if (c.number === lines.clause) {
          clause = { id, number: c.number };
          break;
        }
      }
      if (!clause) {
        throw AppError.notFound(`Clause ${lines.clause} in revision ${revision.sequence} of "${revision.document.title}"`, 'clause_not_found');
      }
    }
    const slug = revision.document.group.slug;
    const url = `${documentUrl(ctx.config, slug, revision.documentId)}?comment=${key}`;
    const sentence = `Your comment on ${where(clause, revision.document.title)} is recorded.`;
    const words = { key: 'mailAnswer.recorded.clause_comment', where: whereWords(clause, revision.document.title) };
    if (made ?? (await commentsMade(ctx, [key])).has(key)) return { sentence, url, words };
    await postComment(ctx, {
      slug,
      user,
      documentId: revision.documentId,
      sequence: revision.sequence,
      clauseId: clause?.id ?? null,
      type: lines.type,
      body: lines.body,
      proposedChange: lines.proposedChange,
      id: key,
    });
    return { sentence, url, words };
  },
});
