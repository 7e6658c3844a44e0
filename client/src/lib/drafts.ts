// What someone is typing, kept in localStorage under one key per place (a clause's composer, a
// reply box), so nothing typed is lost on an error, a reload or a live update. Cleared once the
// server has accepted it.
import { useCallback, useEffect, useRef, useState } from 'react';

const PREFIX = 'convene.draft.';

export function readDraft<T extends object>(key: string, empty: T): T {
  if (!hasDraft(key)) return empty;
  try {
    const raw = localStorage.getItem(PREFIX + key);
    if (!raw) return empty;
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? { ...empty, ...(parsed as Partial<T>) } : empty;
  } catch {
    return empty;
  }
}

export function writeDraft(key: string, value: object | null): void {
  try {
    if (value === null) localStorage.removeItem(PREFIX + key);
    else localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    /* private mode or full: the state in memory still holds it */
  }
  draftKeys = null;
}

// Which places have a draft, read from localStorage's keys once and again after any change (here
// or in another tab): a document view reads the drafts of hundreds of closed reply boxes as it
// renders, nearly all of them absent: looking each up in localStorage cost milliseconds in all.
let draftKeys: Set<string> | null = null;
if (typeof window !== 'undefined')
  window.addEventListener('storage', () => {
    draftKeys = null;
  });

/** Whether something is kept under `key` (a draft to open its form with). */
export function hasDraft(key: string): boolean {
  if (!draftKeys) {
    draftKeys = new Set();
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const name = localStorage.key(i);
        if (name?.startsWith(PREFIX)) draftKeys.add(name.slice(PREFIX.length));
      }
    } catch {
      /* no storage: no drafts */
    }
  }
  return draftKeys.has(key);
}

/** State saved to localStorage on every change; `clear()` after a successful send. */
export function useDraft<T extends object>(key: string, empty: T, isEmpty: (value: T) => boolean) {
  const [value, setValue] = useState<T>(() => readDraft(key, empty));
  const emptyRef = useRef(empty);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    writeDraft(key, isEmpty(value) ? null : value);
  }, [key, value, isEmpty]);
  const clear = useCallback(() => {
    writeDraft(key, null);
    setValue(emptyRef.current);
  }, [key]);
  return [value, setValue, clear] as const;
}
