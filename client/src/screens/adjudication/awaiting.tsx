// "Awaiting my response": the proposed dispositions of my comments, in all my groups, as a compact
// list per document sorted by clause: each row says what was proposed and by when to answer, with
// Agree and Object on the row itself (an objection asks for the reasons in place), and "agree to
// all remaining" for the common case. Errors stand in the row that caused them; what was typed stays.
import '../../i18n/adjudication/index.ts';
import './adjudication.css';
import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { adjudicationApi, conflictCurrent, type AwaitingItem, type Disposition } from '../../api/adjudication-endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { errorMessage, LoadError, Loading } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { Instant } from '../../components/instant.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { useResource } from '../../lib/use-resource.ts';
import { clauseLabel, codeLabel, DispositionSummary, typeLabel } from './shared.tsx';

/** Clause numbers in reading order: the whole document first, then 2 < 7.1 < 7.3 < 10. */
export function compareClauses(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const c = pa[i]!.localeCompare(pb[i]!, 'en', { numeric: true });
    if (c !== 0) return c;
  }
  return 0;
}

interface Row {
  item: AwaitingItem;
  /** The proposal as it now stands (a 409 brings the new one). */
  disposition: Disposition;
  changed: boolean;
  error: unknown;
}

export function AwaitingScreen() {
  const { t } = useI18n();
  const announce = useAnnounce();
  const awaiting = useResource(() => adjudicationApi.awaiting(), []);
  const [answered, setAnswered] = useState<ReadonlySet<string>>(() => new Set());
  const [overrides, setOverrides] = useState<Record<string, Partial<Row>>>({});
  const [busyAll, setBusyAll] = useState(false);
  const rows: Row[] = (awaiting.data?.items ?? [])
    .filter((i) => !answered.has(i.comment.id))
    .map((item) => ({ item, disposition: item.disposition, changed: false, error: null, ...overrides[item.comment.id] }))
    .sort(
      (a, b) =>
        a.item.group.name.localeCompare(b.item.group.name) ||
        a.item.document.title.localeCompare(b.item.document.title) ||
        compareClauses(a.item.comment.clauseNumber, b.item.comment.clauseNumber),
    );
  const patch = (id: string, p: Partial<Row>) => setOverrides((o) => ({ ...o, [id]: { ...o[id], ...p } }));

  /** One answer; false when it was refused (the row then says why). */
  const send = async (row: Row, response: 'agree' | 'object', text: string): Promise<boolean> => {
    const { group, document, comment } = row.item;
    patch(comment.id, { error: null });
    try {
      await adjudicationApi.respond(group.slug, document.id, comment.id, row.disposition.version, response, text);
      setAnswered((s) => new Set(s).add(comment.id));
      return true;
    } catch (caught) {
      const current = conflictCurrent(caught);
      if (current) patch(comment.id, { disposition: current, changed: true });
      else patch(comment.id, { error: caught });
      return false;
    }
  };
  const agreeToAll = async () => {
    setBusyAll(true);
    let done = 0;
    // One by one: each answer is its own record, and one refusal must not lose the others.
    for (const row of rows) if (!row.changed && (await send(row, 'agree', ''))) done += 1;
    setBusyAll(false);
    announce(t('adj.awaiting.agreedAll', { count: done }));
  };

  // Rows grouped under their document, in the order sorted above.
  const sections: { key: string; rows: Row[] }[] = [];
  for (const row of rows) {
    const key = `${row.item.group.slug}/${row.item.document.id}`;
    if (sections.at(-1)?.key !== key) sections.push({ key, rows: [] });
    sections.at(-1)!.rows.push(row);
  }

  return (
    <div className="page narrow-page awaiting-page">
      <PageHeading title={t('adj.awaiting.title')} />
      <p className="hint">{t('adj.awaiting.intro')}</p>
      {awaiting.error ? <LoadError error={awaiting.error} onRetry={awaiting.reload} /> : null}
      {!awaiting.data ? (
        awaiting.error ? null : (
          <Loading />
        )
      ) : rows.length === 0 ? (
        <p data-testid="awaiting-empty">{t('adj.awaiting.empty')}</p>
      ) : (
        <>
          <div className="actions">
            <button type="button" disabled={busyAll} onClick={() => void agreeToAll()}>
              {t('adj.awaiting.agreeAll', { count: rows.length })}
            </button>
          </div>
          {sections.map(({ key, rows }) => {
            const { group, document } = rows[0]!.item;
            return (
              <section key={key} className="awaiting-document" aria-labelledby={`awaiting-doc-${document.id}`}>
                <h2 id={`awaiting-doc-${document.id}`}>
                  <Link href={`/groups/${group.slug}/documents/${document.id}`}>
                    <bdi>{document.title}</bdi>
                  </Link>{' '}
                  <span className="hint">
                    · <bdi>{group.name}</bdi>
                  </span>
                </h2>
                <ul className="awaiting-list">
                  {rows.map((row) => (
                    <AwaitingRow
                      key={row.item.comment.id}
                      row={row}
                      onSend={async (response, text) => {
                        const ok = await send(row, response, text);
                        if (ok) announce(t('adj.awaiting.sent', { document: document.title }));
                        return ok;
                      }}
                    />
                  ))}
                </ul>
              </section>
            );
          })}
        </>
      )}
    </div>
  );
}

function AwaitingRow({ row, onSend }: { row: Row; onSend: (response: 'agree' | 'object', text: string) => Promise<boolean> }) {
  const { t } = useI18n();
  const { comment } = row.item;
  const disposition = row.disposition;
  const id = comment.id;
  const [objecting, setObjecting] = useState(false);
  const [text, setText] = useState('');
  const [textMissing, setTextMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const reasonsRef = useRef<HTMLTextAreaElement | null>(null);
  const run = async (response: 'agree' | 'object') => {
    setBusy(true);
    await onSend(response, text);
    setBusy(false);
  };
  const submitObjection = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) {
      setTextMissing(true);
      reasonsRef.current?.focus();
      return;
    }
    setTextMissing(false);
    void run('object');
  };
  return (
    <li className="awaiting-row" data-testid="awaiting-item" data-comment-id={id} data-clause={comment.clauseNumber ?? ''} aria-labelledby={`awaiting-${id}`}>
      <p className="awaiting-line" id={`awaiting-${id}`}>
        <strong>{clauseLabel(t, comment.clauseNumber)}</strong> · {typeLabel(t, comment.type)} · {t('adj.awaiting.proposal')}:{' '}
        <strong>{codeLabel(t, disposition.disposition)}</strong>
      </p>
      <p className="awaiting-excerpt hint" dir="auto">
        <bdi>{comment.body}</bdi>
      </p>
      {disposition.rationale ? (
        <p className="awaiting-rationale" dir="auto">
          <bdi>{disposition.rationale}</bdi>
        </p>
      ) : null}
      <p className="hint awaiting-deadline">
        {disposition.respondBy ? (
          <>
            {t('adj.awaiting.deadline')}: <Instant iso={disposition.respondBy} />
          </>
        ) : (
          t('adj.awaiting.noDeadline')
        )}
      </p>
      <details className="awaiting-details">
        <summary>{t('adj.awaiting.details')}</summary>
        <h3>{t('adj.awaiting.yourComment')}</h3>
        <div className="comment-body" dir="auto" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
        <h3>{t('adj.awaiting.proposal')}</h3>
        <DispositionSummary disposition={disposition} />
      </details>
      {row.changed ? (
        <p className="notice" role="alert">
          {t('adj.awaiting.changed')}
        </p>
      ) : null}
      {objecting ? (
        <form className="response-form" onSubmit={submitObjection}>
          <Field label={t('adj.awaiting.reasons')} error={textMissing ? t('adj.awaiting.objectTextRequired') : undefined}>
            {(p) => (
              <textarea
                {...p}
                ref={reasonsRef}
                name="text"
                rows={2}
                dir="auto"
                // biome-ignore lint/a11y/noAutofocus: the reader just asked to write their reasons
                autoFocus
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
            )}
          </Field>
          <div className="actions">
            <button type="submit" disabled={busy}>
              {t('adj.awaiting.sendObjection')}
            </button>
            <button type="button" className="secondary" onClick={() => setObjecting(false)}>
              {t('adj.bulk.confirm.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="actions awaiting-actions">
          <button type="button" disabled={busy} onClick={() => void run('agree')} aria-describedby={`awaiting-${id}`}>
            {t('adj.awaiting.agreeRow')}
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => setObjecting(true)} aria-describedby={`awaiting-${id}`}>
            {t('adj.awaiting.objectRow')}
          </button>
        </div>
      )}
      {row.error ? (
        <p className="error" role="alert">
          {errorMessage(row.error, t)}
        </p>
      ) : null}
    </li>
  );
}
