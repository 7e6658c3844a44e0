// The DNS cache in front of the DKIM/SPF/DMARC checks: a burst of replies from one domain asks the
// same names for every message; each is asked once, a missing record is remembered like an answer,
// and a DNS that cannot be reached is not asked again by every message.
import { expect, it } from 'vitest';
import { cachedResolver } from '../../../server/modules/mailin/authentication.ts';

function countingResolver(answer: (name: string) => Promise<unknown>) {
  const asked: string[] = [];
  const resolver = (name: string, rrtype: string) => {
    asked.push(`${rrtype} ${name}`);
    return answer(name);
  };
  return { asked, resolver };
}

it('asks each name once for many messages, answers included, and remembers a missing record (NXDOMAIN) too', async () => {
  const { asked, resolver } = countingResolver(async (name) => {
    if (name === 'example.test') return [['v=spf1 -all']];
    throw Object.assign(new Error(`no record for ${name}`), { code: 'ENOTFOUND' });
  });
  const cached = cachedResolver(resolver);
  for (let i = 0; i < 5; i++) {
    expect(await cached('example.test', 'TXT')).toEqual([['v=spf1 -all']]);
    await expect(cached('_dmarc.example.test', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  }
  // Names are case-insensitive; the record type is part of the question.
  await cached('EXAMPLE.test', 'TXT');
  await cached('example.test', 'MX');
  expect(asked).toEqual(['TXT example.test', 'TXT _dmarc.example.test', 'MX example.test']);
});

it('does not ask an unreachable DNS again for every message', async () => {
  const { asked, resolver } = countingResolver(async () => {
    throw Object.assign(new Error('queryTxt ETIMEOUT'), { code: 'ETIMEOUT' });
  });
  const cached = cachedResolver(resolver);
  for (let i = 0; i < 3; i++) await expect(cached('example.test', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
  expect(asked).toHaveLength(1);
});
