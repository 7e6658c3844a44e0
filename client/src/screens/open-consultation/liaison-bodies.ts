// The liaison form's "bodies and contacts" field: one body per line, "name: address, address".
export function parseBodies(text: string): { name: string; contacts: { email: string }[] }[] | null {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const bodies = lines.map((line) => {
    const at = line.lastIndexOf(':');
    if (at <= 0) return null;
    const emails = line
      .slice(at + 1)
      .split(/[,;\s]+/)
      .map((e) => e.trim())
      .filter(Boolean);
    return emails.length ? { name: line.slice(0, at).trim(), contacts: emails.map((email) => ({ email })) } : null;
  });
  return bodies.length && bodies.every((b) => b !== null) ? (bodies as { name: string; contacts: { email: string }[] }[]) : null;
}
