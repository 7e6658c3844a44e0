// Beside the document view's tools: the revision shown as Word (.docx), the same with its changes
// against another revision as Word revision marks, and (conveners) importing comments from the
// ISO/IEC/ITU comment template into this revision.
import '../../i18n/interchange/index.ts';
import { useState } from 'react';
import { Link } from 'wouter';
import type { Document } from '../../api/document-endpoints.ts';
import type { Group } from '../../api/endpoints.ts';
import { revisionDocxUrl } from '../../api/interchange-endpoints.ts';
import { useI18n } from '../../i18n/index.tsx';

export function WordTools({ group, document, sequence }: { group: Group; document: Document; sequence: number }) {
  const { t } = useI18n();
  const others = document.revisions.filter((r) => r.sequence !== sequence);
  // The usual comparison is with the revision before; any other may be chosen.
  const [against, setAgainst] = useState(String(others.filter((r) => r.sequence < sequence).at(-1)?.sequence ?? others[0]?.sequence ?? ''));
  const base = `/groups/${group.slug}/documents/${document.id}`;
  return (
    <section className="word-tools" aria-label={t('word.title')} data-testid="word-tools">
      <ul className="link-row download-row">
        <li>
          <a className="button secondary" href={revisionDocxUrl(group.slug, document.id, sequence)} download data-testid="revision-docx">
            {t('word.revisionDocx', { sequence })}
          </a>
        </li>
        {group.myRole === 'convener' ? (
          <li>
            <Link href={`${base}/revisions/${sequence}/import-comments`}>{t('word.importComments')}</Link>
          </li>
        ) : null}
      </ul>
      {others.length ? (
        <div className="inline-form">
          <div className="field">
            <label htmlFor="tracked-against">{t('word.against')}</label>
            <select id="tracked-against" value={against} onChange={(e) => setAgainst(e.target.value)}>
              {others.map((r) => (
                <option key={r.id} value={r.sequence}>
                  {t('doc.revisionOf', { sequence: r.sequence, label: r.label })}
                </option>
              ))}
            </select>
          </div>
          <a className="button secondary" href={revisionDocxUrl(group.slug, document.id, sequence, Number(against))} download data-testid="tracked-docx">
            {t('word.trackedDocx')}
          </a>
        </div>
      ) : null}
    </section>
  );
}
