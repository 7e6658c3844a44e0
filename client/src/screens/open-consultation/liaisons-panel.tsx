// A document's outgoing liaison statements with their state (sent, answered, deadline passed) and
// each body's answers, as every member sees them; contact addresses only for the conveners.
import '../../i18n/open-consultation/index.ts';
import { request } from '../../api/http.ts';
import { ROUTES } from '../../api/routes.ts';
import { Instant } from '../../components/instant.tsx';
import { formatNumber, useI18n } from '../../i18n/index.tsx';
import { useResource } from '../../lib/use-resource.ts';

interface Liaison {
  id: string;
  title: string;
  purpose: 'information' | 'action' | 'comment';
  deadline: string;
  state: 'sent' | 'answered' | 'deadline_passed';
  bodies: { id: string; name: string; answers: number; contacts: { id: string; name: string; email: string | null }[] }[];
}

export function LiaisonsPanel({ slug, documentId }: { slug: string; documentId: string }) {
  const { t, locale } = useI18n();
  const liaisons = useResource(() => request<{ liaisons: Liaison[] }>(ROUTES.liaisons, { params: { slug, documentId } }), [slug, documentId]);
  const list = liaisons.data?.liaisons ?? [];
  if (!list.length) return null;
  return (
    <section aria-labelledby="liaisons-title" data-testid="liaisons">
      <h2 id="liaisons-title">{t('oc.liaisons')}</h2>
      <ul className="card-list">
        {list.map((l) => (
          <li key={l.id} className="card" data-testid="liaison" data-state={l.state}>
            <h3 dir="auto">{l.title}</h3>
            <p>
              <span className="badge">{t(`oc.liaisonState.${l.state}`)}</span> {t('oc.liaisonPurpose', { purpose: t(`oc.purpose.${l.purpose}`) })} ·{' '}
              {t('oc.deadline')} <Instant iso={l.deadline} />
            </p>
            <ul>
              {l.bodies.map((b) => (
                <li key={b.id}>
                  <bdi>{b.name}</bdi> · {t('oc.bodyAnswers', { count: formatNumber(locale, b.answers) })}
                  {b.contacts.some((c) => c.email) ? (
                    <span className="hint">
                      {' '}
                      (
                      {b.contacts
                        .map((c) => c.email)
                        .filter(Boolean)
                        .join(', ')}
                      )
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
