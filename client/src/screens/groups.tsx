// My groups (the operator sees every group).
import { Link } from 'wouter';
import { api } from '../api/endpoints.ts';
import { LoadError, Loading } from '../components/errors.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useI18n } from '../i18n/index.tsx';
import { roleLabel } from '../lib/labels.ts';
import { useResource } from '../lib/use-resource.ts';

export function GroupsScreen() {
  const { t } = useI18n();
  const groups = useResource(() => api.groups(), []);
  return (
    <div className="page">
      <PageHeading title={t('groups.title')} />
      {groups.error ? <LoadError error={groups.error} onRetry={groups.reload} /> : null}
      {!groups.data ? (
        groups.error ? null : (
          <Loading />
        )
      ) : groups.data.groups.length === 0 ? (
        <p>{t('groups.empty')}</p>
      ) : (
        <ul className="card-list">
          {groups.data.groups.map((g) => (
            <li key={g.slug} className="card">
              <h2>
                <Link href={`/groups/${g.slug}`}>
                  <bdi>{g.name}</bdi>
                </Link>
              </h2>
              <p className="hint">
                <bdi className="acronym">{g.acronym}</bdi>
                {g.parentBodies.length ? <> · {t('groups.parents', { bodies: g.parentBodies.join(', ') })}</> : null}
              </p>
              <p>{g.myRole ? t('groups.role', { role: roleLabel(t, g.myRole) }) : t('groups.operatorView')}</p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
