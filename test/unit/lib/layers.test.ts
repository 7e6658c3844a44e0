// lib/ is the bottom layer: plugins and modules build on it, so it must not import them back
// (a type import is enough to make a cycle the compiler follows and a reader must untangle).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('../../../server/', import.meta.url));
const LIB = path.join(SERVER, 'lib');
/**
 * What lib/ may import besides itself and packages: the validated config's type, the Prisma client
 * and the message catalogues shared with the browser client (data, importing nothing of the server).
 */
const BELOW_LIB = [path.join(SERVER, 'config.ts'), path.join(SERVER, 'generated') + path.sep, path.resolve(SERVER, '../locales') + path.sep];

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms)].map((m) => m[1]!);

describe('server/lib', () => {
  it('imports nothing above it: no plugin, no module, not the app', () => {
    const files = readdirSync(LIB, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(LIB, f));
    expect(files.length).toBeGreaterThan(5);
    const above = files.flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => path.resolve(path.dirname(file), spec))
        .filter((target) => !target.startsWith(LIB + path.sep) && !BELOW_LIB.some((allowed) => target === allowed || target.startsWith(allowed)))
        .map((target) => `${path.relative(SERVER, file)} → ${path.relative(SERVER, target)}`),
    );
    expect(above).toEqual([]);
  });
});
