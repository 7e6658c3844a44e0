import { readFileSync } from 'node:fs';
import { Parser } from 'htmlparser2';
import { expect } from 'vitest';
import { AppError } from '../../../server/lib/app-error.ts';

const LIB = new URL('../../../server/modules/revisions/lib/', import.meta.url);

export function readSeed(name: 'seed-x-iotsec-2.md' | 'seed-x-iotsec-2-rev2.md'): string {
  return readFileSync(new URL(name, LIB), 'utf8');
}

/** Runs fn (sync or async) and returns the AppError it threw, failing the test otherwise. */
export async function appErrorOf(fn: () => unknown): Promise<AppError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError, but nothing was thrown');
}

export async function expectAppError(fn: () => unknown, code: string, status: number): Promise<AppError> {
  const error = await appErrorOf(fn);
  expect({ code: error.code, status: error.status }).toEqual({ code, status });
  return error;
}

const ALLOWED_TAGS = new Set([
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'code',
  'em',
  'strong',
  'del',
  'sub',
  'sup',
  'a',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
]);
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'rel'],
  ol: ['start'],
  th: ['colspan', 'rowspan', 'align'],
  td: ['colspan', 'rowspan', 'align'],
};

/**
 * Parses the output the way a browser's tokenizer would and checks every tag and attribute
 * against the allow-list, independently of the sanitizer's own configuration.
 */
export function expectSafeHtml(html: string): void {
  const problems: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (!ALLOWED_TAGS.has(name)) problems.push(`tag <${name}>`);
        for (const [attr, value] of Object.entries(attribs)) {
          if (!(ALLOWED_ATTRIBUTES[name] ?? []).includes(attr)) problems.push(`attribute ${attr} on <${name}>`);
          if (attr === 'href' && !/^(https?:\/\/|mailto:)/i.test(value)) problems.push(`href ${value}`);
          if (attr === 'rel' && value !== 'noopener noreferrer nofollow') problems.push(`rel ${value}`);
        }
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  expect(problems, html).toEqual([]);
}
