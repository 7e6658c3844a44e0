// The six UN languages as buttons, each named in itself and marked with its own lang: choosing one
// changes the text in place (no navigation, focus stays on the button).
import { LOCALE_NAMES, LOCALES, useI18n } from '../i18n/index.tsx';

export function LanguagePicker() {
  const { t, locale, setLocale } = useI18n();
  return (
    <div className="language-picker" role="group" aria-label={t('lang.label')}>
      {LOCALES.map((code) => (
        <button key={code} type="button" lang={code} className="link-button" aria-pressed={code === locale} onClick={() => setLocale(code)}>
          {LOCALE_NAMES[code]}
        </button>
      ))}
    </div>
  );
}
