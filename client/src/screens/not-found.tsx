import { Link } from 'wouter';
import { PageHeading } from '../components/page-heading.tsx';
import { useI18n } from '../i18n/index.tsx';

export function NotFoundScreen() {
  const { t } = useI18n();
  return (
    <div className="narrow-page">
      <PageHeading title={t('error.notFound.title')} />
      <p>{t('error.notFound.body')}</p>
      <p>
        <Link href="/">{t('nav.groups')}</Link>
      </p>
    </div>
  );
}
