// The group home's documents: each with its latest revision, linking to the document view (a
// lazily loaded screen); conveners and editors start a new document here. Also the way to the
// digest archive.
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { api, type Group } from '../api/endpoints.ts';
import { FormError, LoadError, Loading, fieldError } from './errors.tsx';
import { Field } from './field.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useResource } from '../lib/use-resource.ts';

export function DocumentsPanel({ group }: { group: Group }) {
  const { t } = useI18n();
  const documents = useResource(() => api.documents(group.slug), [group.slug]);
  return (
    <section aria-labelledby="documents-title" className="panel documents">
      <h2 id="documents-title">{t('docs.title')}</h2>
      {documents.error ? <LoadError error={documents.error} onRetry={documents.reload} /> : null}
      {!documents.data ? (
        documents.error ? null : (
          <Loading />
        )
      ) : documents.data.documents.length === 0 ? (
        <p>{t('docs.empty')}</p>
      ) : (
        <ul className="document-list">
          {documents.data.documents.map((d) => (
            <li key={d.id}>
              <Link href={`/groups/${group.slug}/documents/${d.id}`}>
                <bdi>{d.title}</bdi>
              </Link>
              {d.latestRevision ? (
                <span className="hint"> · {t('docs.latest', { sequence: d.latestRevision.sequence, label: d.latestRevision.label })}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {group.abilities['documents.create'] ? <NewDocument slug={group.slug} /> : null}
      <p>
        <Link href={`/groups/${group.slug}/digests`}>{t('docs.digests')}</Link>
      </p>
    </section>
  );
}

function NewDocument({ slug }: { slug: string }) {
  const { t } = useI18n();
  const [, navigate] = useLocation();
  const [title, setTitle] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const created = await api.createDocument(slug, title);
      navigate(`/groups/${slug}/documents/${created.id}/new-revision`);
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <Field label={t('docs.newTitle')} error={fieldError(error, 'title', t)}>
        {(props) => <input {...props} type="text" name="title" required value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <button type="submit" className="secondary">
        {t('docs.create')}
      </button>
      <FormError error={error} fields={['title']} />
    </form>
  );
}
