// The message catalogues a translator works on (locales/<locale>/<namespace>.json, ICU
// MessageFormat): every one of the six languages has every English key of every namespace, no key
// English no longer has, every message parses, keeps the English placeholders (names and kinds),
// and uses only the plural categories CLDR defines for its language (and always `other`).
// Strict on purpose: a language whose translation is missing or partial fails here by name.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALE, LOCALES } from '../../../locales/locales.ts';

const ROOT = join(import.meta.dirname, '../../../locales');
const NAMESPACES = readdirSync(join(ROOT, DEFAULT_LOCALE))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length));

function read(locale: string, namespace: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(join(ROOT, locale, `${namespace}.json`), 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const KIND: Partial<Record<TYPE, string>> = {
  [TYPE.argument]: 'text',
  [TYPE.number]: 'number',
  [TYPE.date]: 'date',
  [TYPE.time]: 'time',
  [TYPE.select]: 'select',
  [TYPE.plural]: 'plural',
};

/** Each placeholder as `name:kind`, and the problems with its plurals and selects for the locale. */
function inspect(ast: MessageFormatElement[], categories: Set<string>): { placeholders: Set<string>; problems: string[] } {
  const placeholders = new Set<string>();
  const problems: string[] = [];
  const walk = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      const kind = KIND[el.type];
      if (kind && 'value' in el) placeholders.add(`${el.value}:${kind === 'plural' && 'pluralType' in el && el.pluralType === 'ordinal' ? 'ordinal' : kind}`);
      if (el.type === TYPE.plural) {
        const options = Object.keys(el.options);
        if (!options.includes('other')) problems.push(`{${el.value}, plural} has no "other"`);
        for (const option of options)
          if (!option.startsWith('=') && !categories.has(option))
            problems.push(`{${el.value}, plural} uses "${option}", not a plural category here (${[...categories].join(' ')})`);
      }
      if (el.type === TYPE.select && !('other' in el.options)) problems.push(`{${el.value}, select} has no "other"`);
      if (el.type === TYPE.select || el.type === TYPE.plural) for (const option of Object.values(el.options)) walk(option.value);
    }
  };
  walk(ast);
  return { placeholders, problems };
}

const english = Object.fromEntries(NAMESPACES.map((ns) => [ns, read(DEFAULT_LOCALE, ns) ?? {}]));

describe('the message catalogues', () => {
  it('finds the English namespaces, and would catch a wrong plural category, a missing other and a renamed placeholder', () => {
    expect(NAMESPACES).toEqual(expect.arrayContaining(['core', 'errors', 'documents', 'adjudication']));
    const ru = new Set(new Intl.PluralRules('ru').resolvedOptions().pluralCategories as string[]);
    expect(inspect(parse('{count, plural, one {# член} two {# члена} other {# членов}}'), ru).problems).toEqual([
      '{count, plural} uses "two", not a plural category here (one few many other)',
    ]);
    expect(() => parse('{count, plural, one {# член} few {# члена}}')).toThrow(/MISSING_OTHER_CLAUSE/); // reported as "does not parse"
    expect([...inspect(parse('Bonjour {nom}, {n, number}'), ru).placeholders]).toEqual(['nom:text', 'n:number']);
  });

  for (const locale of LOCALES) {
    it(`has every English message in ${locale}, parsing, with the same placeholders and ${locale}'s plural categories`, () => {
      const categories = new Set(new Intl.PluralRules(locale).resolvedOptions().pluralCategories as string[]);
      const englishCategories = new Set(new Intl.PluralRules(DEFAULT_LOCALE).resolvedOptions().pluralCategories as string[]);
      const problems: string[] = [];
      for (const ns of NAMESPACES) {
        const catalogue = read(locale, ns);
        if (!catalogue) {
          problems.push(`${locale}/${ns}.json: missing`);
          continue;
        }
        for (const key of Object.keys(catalogue)) if (!(key in english[ns]!)) problems.push(`${locale}/${ns}.json: "${key}" is not an English key`);
        for (const [key, source] of Object.entries(english[ns]!)) {
          const where = `${locale}/${ns}.json "${key}"`;
          const message = catalogue[key];
          if (typeof message !== 'string' || message.trim() === '') {
            problems.push(`${where}: missing`);
            continue;
          }
          let ast: MessageFormatElement[];
          try {
            ast = parse(message, { ignoreTag: true });
          } catch (error) {
            problems.push(`${where}: does not parse (${(error as Error).message})`);
            continue;
          }
          const own = inspect(ast, categories);
          const reference = inspect(parse(source as string, { ignoreTag: true }), englishCategories);
          problems.push(...own.problems.map((p) => `${where}: ${p}`));
          const missing = [...reference.placeholders].filter((p) => !own.placeholders.has(p));
          const extra = [...own.placeholders].filter((p) => !reference.placeholders.has(p));
          if (missing.length || extra.length)
            problems.push(`${where}: placeholders differ from English (missing ${missing.join(', ') || '-'}; extra ${extra.join(', ') || '-'})`);
        }
      }
      expect(problems.slice(0, 40), `${problems.length} problems`).toEqual([]);
    });
  }
});
