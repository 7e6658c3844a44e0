// The six UN languages as buttons, each named in itself and marked with its own lang: choosing one
// changes the text in place (no navigation, focus stays on the button). A toolbar with one tab
// stop (the language shown; arrow keys move between the six), so six languages cost a keyboard
// user one Tab on every page, not six.
import { type KeyboardEvent, useRef } from 'react';
import { directionOf, LOCALE_NAMES, LOCALES, useI18n } from '../i18n/index.tsx';

export function LanguagePicker() {
  const { t, locale, setLocale } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  // The pseudo-locale shows English: its button is the tab stop then.
  const shown = (LOCALES as readonly string[]).includes(locale) ? locale : 'en';
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const at = buttons.indexOf(event.target as HTMLButtonElement);
    if (at < 0) return;
    // Arrows follow the reading direction: in Arabic the next language is to the left.
    const forward = directionOf(locale) === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const back = directionOf(locale) === 'rtl' ? 'ArrowRight' : 'ArrowLeft';
    const next =
      event.key === forward || event.key === 'ArrowDown'
        ? (at + 1) % buttons.length
        : event.key === back || event.key === 'ArrowUp'
          ? (at - 1 + buttons.length) % buttons.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? buttons.length - 1
              : null;
    if (next === null) return;
    event.preventDefault();
    buttons[next]?.focus();
  };
  return (
    <div ref={ref} className="language-picker" role="toolbar" aria-label={t('lang.label')} onKeyDown={onKeyDown}>
      {LOCALES.map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          className="link-button"
          aria-pressed={code === locale}
          tabIndex={code === shown ? 0 : -1}
          onClick={() => setLocale(code)}
        >
          {LOCALE_NAMES[code]}
        </button>
      ))}
    </div>
  );
}
