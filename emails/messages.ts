// The words of every e-mail come from the `emails` catalogue (locales/<locale>/emails.json), keyed
// `<template>.<part>` (the template's name in camelCase) plus `common.<part>` shared by several.
// A template reads them as {{{t.part}}} and {{{t.common.part}}}: each message is filled with the
// mail's props, already escaped for HTML (user text isolated in <bdi>, so a Latin name reads right
// inside Arabic), or left plain for the text part. The MJML source itself never holds user text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LOCALE, directionOf, formatInstant, isLocale, type Locale, translate, type Vars } from '../server/lib/i18n.ts';
import { describeInstant } from '../server/lib/instant.ts';
import type { EmailTemplateName } from './registry.ts';

export const EMAILS_NAMESPACE = 'emails';

const englishKeys = Object.keys(
  JSON.parse(readFileSync(join(import.meta.dirname, '../locales', DEFAULT_LOCALE, `${EMAILS_NAMESPACE}.json`), 'utf8')) as Record<string, string>,
);

/** 'digest-subscribe-confirm' → 'digestSubscribeConfirm', the template's prefix in the catalogue. */
export const cataloguePrefix = (template: EmailTemplateName) => template.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const keysByPrefix = new Map<string, string[]>();
const keysOf = (prefix: string) => {
  let keys = keysByPrefix.get(prefix);
  if (!keys) {
    keys = englishKeys.filter((k) => k.startsWith(`${prefix}.`)).map((k) => k.slice(prefix.length + 1));
    keysByPrefix.set(prefix, keys);
  }
  return keys;
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The scalar props a message may name; in HTML, text isolated and escaped, addresses made links. */
function varsOf(props: object, mode: 'html' | 'text'): Vars {
  const vars: Vars = {};
  for (const [name, value] of Object.entries(props)) {
    if (typeof value === 'number') vars[name] = value;
    else if (typeof value === 'string') {
      if (mode === 'text') vars[name] = value;
      else if (/^https?:\/\//.test(value)) vars[name] = `<a href="${escapeHtml(value)}" dir="ltr">${escapeHtml(value)}</a>`;
      else vars[name] = `<bdi>${escapeHtml(value)}</bdi>`;
    }
  }
  return vars;
}

export type EmailMessages = Record<string, string> & { common: Record<string, string> };

/** Every message of `template` (and the common ones) in `locale`, filled with `props`. */
export function emailMessages(locale: Locale, template: EmailTemplateName, props: object, mode: 'html' | 'text'): EmailMessages {
  const vars = varsOf(props, mode);
  const prefix = cataloguePrefix(template);
  const own: Record<string, string> = {};
  for (const key of keysOf(prefix)) own[key] = translate(locale, EMAILS_NAMESPACE, `${prefix}.${key}`, vars);
  const common: Record<string, string> = {};
  for (const key of keysOf('common')) common[key] = translate(locale, EMAILS_NAMESPACE, `common.${key}`, vars);
  // `common` sits beside the template's own parts; no catalogue part is called "common".
  return { ...own, common } as unknown as EmailMessages;
}

/** A translator of the `emails` catalogue for plain text (subjects, sentences built by the server). */
export const emailText =
  (locale: Locale) =>
  (key: string, vars?: Vars): string =>
    translate(locale, EMAILS_NAMESPACE, key, vars);

export { directionOf };

/** The first of `candidates` that is one of the six languages, else English: the reader's language in order of what we know. */
export function readerLocale(...candidates: unknown[]): Locale {
  for (const c of candidates) if (isLocale(c)) return c;
  return DEFAULT_LOCALE;
}

/** A group's main working language (its first). */
export const mainLanguage = (group: { languages?: string[] | null }): Locale => readerLocale(group.languages?.[0]);

/**
 * An instant in a mail: English keeps the British form ITU writes ("1 March 2027 17:00 UTC"),
 * the other languages take theirs from Intl; a zone other than UTC shows UTC beside it.
 */
export const mailInstant = (locale: Locale, at: Date, timeZone = 'UTC'): string =>
  locale === DEFAULT_LOCALE ? describeInstant(at, timeZone) : formatInstant(locale, at, timeZone);
