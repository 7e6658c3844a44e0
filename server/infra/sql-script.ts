// A migration script cut into its statements. @prisma/adapter-pg runs a script by splitting it on
// every ";", which cuts a function body ($$ … $$) or a string containing one in pieces; the
// schema engine's native driver sends the script whole. This keeps the adapter's one statement at
// a time (so each migration behaves as it always has) but cuts only at the semicolons that end a
// statement: not inside quotes, dollar quotes or comments.
export function splitSqlScript(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < script.length) {
    const c = script[i]!;
    if (c === "'" || c === '"') {
      // '' inside a literal (and "" inside an identifier) is the quote itself: skipping to the next quote twice is the same.
      const end = script.indexOf(c, i + 1);
      i = end === -1 ? script.length : end + 1;
    } else if (c === '-' && script[i + 1] === '-') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end + 1;
    } else if (c === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end === -1 ? script.length : end + 2;
    } else if (c === '$') {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i, i + 64))?.[0];
      if (tag) {
        const end = script.indexOf(tag, i + tag.length);
        i = end === -1 ? script.length : end + tag.length;
      } else i++;
    } else if (c === ';') {
      statements.push(script.slice(start, i));
      start = ++i;
    } else i++;
  }
  statements.push(script.slice(start));
  return statements.map((s) => s.trim()).filter((s) => s.length > 0 && !/^(?:--[^\n]*(?:\n|$)|\s)*$/.test(s));
}
