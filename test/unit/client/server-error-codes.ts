// Every error code the server can send, read from its source: AppError constructions and helpers
// (server/lib/app-error.ts), and the `{ code: '…' }` bodies written by hand (the errors plugin's
// validation and JSON codes, the rate limiter, the catch-all 404, realtime acks). A code computed
// at run time cannot be listed, so finding one fails here: name it literally.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where a helper takes its code: the index of the argument, or a fixed code (and the default when the argument is left out). */
const HELPERS: Record<string, { arg: number; fixed?: string; default?: string }> = {
  badRequest: { arg: 0 },
  conflict: { arg: 0 },
  gone: { arg: 0 },
  tooLarge: { arg: 0 },
  unsupportedMediaType: { arg: 0 },
  unprocessable: { arg: 0 },
  forbidden: { arg: 1, default: 'forbidden' },
  notFound: { arg: 1, default: 'not_found' },
  unauthorized: { arg: -1, fixed: 'unauthenticated' },
  tooManyRequests: { arg: -1, fixed: 'rate_limited' },
};

/** The top-level arguments of the call whose '(' is at `open`, as source text. */
export function callArguments(source: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      i = skipString(source, i);
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) {
        const last = source.slice(start, i).trim();
        if (last) args.push(last);
        return args;
      }
    } else if (ch === ',' && depth === 1) {
      args.push(source.slice(start, i).trim());
      start = i + 1;
    }
  }
  throw new Error('unterminated call');
}

/** The index of the closing quote of the string literal starting at `at` (template literals with ${…} nesting). */
function skipString(source: string, at: number): number {
  const quote = source[at]!;
  for (let i = at + 1; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === quote) return i;
    if (quote === '`' && ch === '$' && source[i + 1] === '{') {
      let depth = 0;
      for (i = i + 1; i < source.length; i++) {
        const c = source[i]!;
        if (c === "'" || c === '"' || c === '`') {
          i = skipString(source, i);
          continue;
        }
        if (c === '{') depth++;
        else if (c === '}' && --depth === 0) break;
      }
    }
  }
  throw new Error('unterminated string');
}

const literal = (arg: string | undefined) => (arg && /^'([a-z][a-z0-9_]*)'$/.exec(arg)?.[1]) ?? null;

export interface Found {
  code: string;
  where: string;
}

export function codesIn(source: string, file: string): { found: Found[]; unreadable: string[] } {
  const found: Found[] = [];
  const unreadable: string[] = [];
  const lineOf = (index: number) => `${file}:${source.slice(0, index).split('\n').length}`;
  for (const m of source.matchAll(/\bAppError\.(\w+)\(|\bnew AppError\(/g)) {
    const open = m.index + m[0].length - 1;
    const helper = m[1] === undefined ? { arg: 0 } : HELPERS[m[1]];
    if (!helper) {
      unreadable.push(`${lineOf(m.index)}: AppError.${m[1]} is not a known helper`);
      continue;
    }
    if (helper.fixed) {
      found.push({ code: helper.fixed, where: lineOf(m.index) });
      continue;
    }
    const args = callArguments(source, open);
    const arg = args[helper.arg];
    const code = arg === undefined ? (helper.default ?? null) : literal(arg);
    if (code) found.push({ code, where: lineOf(m.index) });
    else unreadable.push(`${lineOf(m.index)}: ${m[0]}${args.join(', ').slice(0, 80)}…)`);
  }
  // Error bodies written by hand ({ code: 'rate_limited', message: … }); upper-case enum values are not codes.
  for (const m of source.matchAll(/\bcode: '([a-z][a-z0-9_]*)'/g)) found.push({ code: m[1]!, where: lineOf(m.index) });
  return { found, unreadable };
}

async function serverFiles(): Promise<string[]> {
  const dir = path.join(root, 'server');
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !path.join(e.parentPath, e.name).includes(`${path.sep}generated${path.sep}`))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every code the server can emit, with where each is made, and the constructions whose code could not be read. */
export async function serverErrorCodes(): Promise<{ codes: Map<string, string[]>; unreadable: string[] }> {
  const codes = new Map<string, string[]>();
  const unreadable: string[] = [];
  for (const file of await serverFiles()) {
    if (file.endsWith(path.join('lib', 'app-error.ts'))) continue; // the helpers' own definitions
    const result = codesIn(await readFile(file, 'utf8'), path.relative(root, file));
    unreadable.push(...result.unreadable);
    for (const { code, where } of result.found) codes.set(code, [...(codes.get(code) ?? []), where]);
  }
  // The errors plugin's fallback for other Fastify 4xx derives the code from Fastify's (FST_ERR_… → …);
  // its default is the one a client can be sure of.
  codes.set('bad_request', [...(codes.get('bad_request') ?? []), 'server/plugins/errors.ts (fallback)']);
  return { codes, unreadable };
}
