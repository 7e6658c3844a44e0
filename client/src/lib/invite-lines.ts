// After an invitation, the pasted list keeps only the lines the server could not invite, so
// the convener corrects them instead of retyping (or resending) the rest. The server quotes a
// failed line re-joined from its cells ("a, b, c"), so lines are compared without spaces or quotes.
const normal = (s: string) => s.toLowerCase().replace(/[\s"']/g, '');

export function failedLines(list: string, outcome: { errors: { input: string }[] }): string {
  const failed = outcome.errors.map((e) => normal(e.input)).filter(Boolean);
  return list
    .split(/\r?\n/)
    .filter((line) => {
      const l = normal(line);
      return l !== '' && failed.some((f) => l === f || l.includes(f));
    })
    .join('\n');
}
