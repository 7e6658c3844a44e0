// The board's keyboard shortcuts, in a modal <dialog>: the browser traps focus inside it, Escape
// closes it, and focus returns to where it was.
import { useEffect, useRef } from 'react';
import { useI18n, type AnyMessageKey } from '../../i18n/index.tsx';

const SHORTCUTS: [string[], AnyMessageKey][] = [
  [['j', '↓'], 'adj.keys.next'],
  [['k', '↑'], 'adj.keys.previous'],
  [['Home', 'End'], 'adj.keys.firstLast'],
  [['x'], 'adj.keys.select'],
  [['d', 'Enter'], 'adj.keys.decide'],
  [['f'], 'adj.keys.finalise'],
  [['/'], 'adj.keys.filters'],
  [['Esc'], 'adj.keys.back'],
  [['?'], 'adj.keys.help'],
];

export function HelpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      returnTo.current = document.activeElement as HTMLElement | null;
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="help-dialog"
      aria-labelledby="keys-title"
      data-testid="help-dialog"
      onClose={() => {
        onClose();
        returnTo.current?.focus();
      }}
    >
      <h2 id="keys-title">{t('adj.keys.title')}</h2>
      <p>{t('adj.keys.intro')}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('adj.keys.key')}</th>
            <th scope="col">{t('adj.keys.does')}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={what}>
              <th scope="row">
                {keys.map((k, i) => (
                  <span key={k}>
                    {i ? ' / ' : ''}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </th>
              <td>{t(what)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog" className="actions">
        <button type="submit">{t('adj.keys.close')}</button>
      </form>
    </dialog>
  );
}
