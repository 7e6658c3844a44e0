// Is the message from whom it says? Mail that came straight to the embedded receiver is checked
// here with mailauth (DKIM, SPF, DMARC) against DNS; piped or polled mail carries the verdict of
// the MTA that received it (its Authentication-Results header, RFC 8601), which is believed only
// from the configured authserv-id (else the topmost one, which the last hop wrote). The verdict is
// recorded with the message; a DMARC failure refuses the reply.
import { promises as dns } from 'node:dns';
import { authenticate } from 'mailauth';
import type { Config } from '../../config.ts';
import type { ReadableMail } from './read-mail.ts';

export type Verdict = 'pass' | 'fail' | 'none' | 'neutral' | 'softfail' | 'temperror' | 'permerror' | 'policy' | 'not checked';

export interface Authentication {
  by: 'mailauth' | 'authentication-results' | 'none';
  dkim: Verdict;
  spf: Verdict;
  dmarc: Verdict;
  /** Why the verdict is what it is (no DNS, no header from the trusted MTA). */
  note?: string;
}

export type DnsResolver = (name: string, rrtype: string) => Promise<unknown>;

const systemResolver: DnsResolver = (name, rrtype) => dns.resolve(name, rrtype);

/** Answers kept for DNS_TTL_MS; lookups that failed for want of DNS (no server, timeout) for DNS_DOWN_MS. */
const DNS_TTL_MS = 5 * 60_000;
const DNS_DOWN_MS = 30_000;
const DNS_ENTRIES = 10_000;
/** Answers that a lookup would give again (the name or record does not exist): kept like answers. */
const NEGATIVE = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME', 'NXDOMAIN']);

/**
 * The resolver the checks use: `resolver` (or the system's) behind a small cache. A burst of replies
 * from one domain asks the same SPF, DKIM key and DMARC names for every message (three lookups per
 * message, seen in bench/mail-intake.bench.ts); the records change rarely, and a record that does
 * not exist (NXDOMAIN) is cached as DNS caches it (RFC 2308). When DNS itself cannot be reached
 * (a server failure, a timeout), the failure is kept briefly: the checks record "temperror" at
 * once instead of each message waiting out the same timeout.
 */
export function cachedResolver(resolver: DnsResolver = systemResolver): DnsResolver {
  const cache = new Map<string, { until: number; answer: Promise<unknown> }>();
  return (name, rrtype) => {
    const key = `${rrtype}:${name.toLowerCase()}`;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.answer;
    if (cache.size >= DNS_ENTRIES) {
      for (const [k, v] of cache) if (v.until <= now) cache.delete(k);
      if (cache.size >= DNS_ENTRIES) cache.clear();
    }
    const answer = resolver(name, rrtype);
    const entry = { until: now + DNS_TTL_MS, answer };
    cache.set(key, entry);
    answer.catch((err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (NEGATIVE.has(code)) return;
      entry.until = Date.now() + DNS_DOWN_MS;
    });
    return answer;
  };
}

const verdict = (v: unknown): Verdict => (typeof v === 'string' && v ? (v.toLowerCase() as Verdict) : 'none');

export async function checkWithMailauth(
  raw: Buffer,
  envelope: { ip: string | null; helo: string | null; sender: string | null },
  mta: string,
  resolver?: DnsResolver,
): Promise<Authentication> {
  try {
    const result = await authenticate(raw, {
      ip: envelope.ip ?? undefined,
      helo: envelope.helo ?? undefined,
      sender: envelope.sender ?? undefined,
      mta,
      disableArc: true,
      disableBimi: true,
      ...(resolver ? { resolver: resolver as never } : {}),
    });
    const dkims = (result.dkim?.results ?? []).map((r: { status?: { result?: string } }) => verdict(r.status?.result));
    const dkim: Verdict = dkims.includes('pass') ? 'pass' : (dkims[0] ?? 'none');
    return {
      by: 'mailauth',
      dkim,
      spf: verdict((result.spf || undefined)?.status?.result),
      dmarc: verdict((result.dmarc || undefined)?.status?.result),
    };
  } catch (err) {
    return { by: 'mailauth', dkim: 'temperror', spf: 'temperror', dmarc: 'temperror', note: `not checked: ${(err as Error).message}` };
  }
}

/** The receiving MTA's verdict, from its Authentication-Results header. */
export function fromAuthenticationResults(mail: Pick<ReadableMail, 'headers'>, config: Config): Authentication {
  const all = mail.headers['authentication-results'] ?? [];
  const trusted = config.mailIn.authservId;
  const header = trusted ? all.find((h) => h.trim().split(/[;\s]/)[0]!.toLowerCase() === trusted.toLowerCase()) : all[0];
  if (!header) {
    return {
      by: 'none',
      dkim: 'not checked',
      spf: 'not checked',
      dmarc: 'not checked',
      note: trusted ? `no Authentication-Results from ${trusted}` : 'no Authentication-Results',
    };
  }
  const of = (method: string): Verdict => {
    const found = [...header.matchAll(new RegExp(`\\b${method}=([a-z]+)`, 'gi'))].map((m) => verdict(m[1]));
    return found.includes('pass') ? 'pass' : (found[0] ?? 'none');
  };
  return { by: 'authentication-results', dkim: of('dkim'), spf: of('spf'), dmarc: of('dmarc') };
}

/** Why this verdict refuses the reply, or null. */
export function authenticationRefusal(auth: Authentication, config: Config): string | null {
  if (auth.dmarc === 'fail') return 'it fails DMARC: the sender’s domain says it did not send it';
  if (config.mailIn.requireAuthentication && auth.dmarc !== 'pass' && auth.dkim !== 'pass' && auth.spf !== 'pass')
    return 'it passes neither DKIM nor SPF, and this server requires one of them';
  return null;
}
