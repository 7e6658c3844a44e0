// The group's working languages (one or several of the six UN languages, the main one first):
// the digests to its list are written in each. Conveners change them here. Its words come from
// the shared catalogue (locales/<locale>/group-settings.json), read directly: they are plain
// strings without placeholders, so no formatter is needed for them.
import { type FormEvent, useState } from 'react';
import { api, type Group } from '../api/endpoints.ts';
import { LOCALE_NAMES, LOCALES, type Locale } from '../../../locales/locales.ts';
import ar from '../../../locales/ar/group-settings.json';
import en from '../../../locales/en/group-settings.json';
import es from '../../../locales/es/group-settings.json';
import fr from '../../../locales/fr/group-settings.json';
import ru from '../../../locales/ru/group-settings.json';
import zh from '../../../locales/zh/group-settings.json';
import { useI18n } from '../i18n/index.tsx';
import { FormError } from './errors.tsx';

type Key = keyof typeof en;
const CATALOGUES: Record<Locale, Partial<Record<Key, string>>> = { ar, zh, en, fr, ru, es };

export function GroupLanguages({ group }: { group: Group }) {
  const { locale } = useI18n();
  const words = (key: Key) => CATALOGUES[locale as Locale]?.[key] ?? en[key];
  const [chosen, setChosen] = useState<string[]>(group.languages);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const canEdit = group.abilities['group.update'] === true;
  const shown = group.languages.map(
    (l, i) => `${LOCALE_NAMES[l as Locale] ?? l}${i === 0 && group.languages.length > 1 ? ` (${words('groupSettings.mainMark')})` : ''}`,
  );

  if (!canEdit) {
    return (
      <div>
        <dt>{words('groupSettings.languages')}</dt>
        <dd data-testid="group-languages">{shown.join(' · ')}</dd>
      </div>
    );
  }

  const toggle = (code: string) => {
    setSaved(false);
    setChosen((now) => (now.includes(code) ? now.filter((c) => c !== code) : [...now, code]));
  };
  const setMain = (code: string) => {
    setSaved(false);
    setChosen((now) => [code, ...now.filter((c) => c !== code)]);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const updated = await api.updateGroup(group.slug, { languages: chosen as Locale[] });
      setChosen(updated.languages);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <dt>{words('groupSettings.languages')}</dt>
      <dd>
        <form onSubmit={submit} data-testid="group-languages-form">
          <fieldset>
            <legend>{words('groupSettings.hint')}</legend>
            {LOCALES.map((code) => (
              <label key={code} lang={code} dir="auto">
                <input type="checkbox" checked={chosen.includes(code)} onChange={() => toggle(code)} /> {LOCALE_NAMES[code]}
              </label>
            ))}
          </fieldset>
          <label>
            {words('groupSettings.main')}{' '}
            <select value={chosen[0] ?? ''} onChange={(e) => setMain(e.target.value)} disabled={!chosen.length}>
              {chosen.map((code) => (
                <option key={code} value={code} lang={code}>
                  {LOCALE_NAMES[code as Locale] ?? code}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="submit" disabled={busy}>
            {words('groupSettings.save')}
          </button>
          {saved ? <span role="status"> {words('groupSettings.saved')}</span> : null}
          <FormError error={error} />
        </form>
      </dd>
    </div>
  );
}
