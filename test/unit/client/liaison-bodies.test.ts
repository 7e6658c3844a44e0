// The liaison form's "bodies and contacts" field: one body per line, "name: address, address".
import { describe, expect, it } from 'vitest';
import { parseBodies } from '../../../client/src/screens/open-consultation/liaison-bodies.ts';

describe('parseBodies', () => {
  it('reads one body per line, its name up to the last colon and its contacts after it', () => {
    expect(parseBodies('ISO/IEC JTC 1/SC 27: a@iso.example.org, b@iso.example.org\nETSI TC CYBER: c@etsi.example.org')).toEqual([
      { name: 'ISO/IEC JTC 1/SC 27', contacts: [{ email: 'a@iso.example.org' }, { email: 'b@iso.example.org' }] },
      { name: 'ETSI TC CYBER', contacts: [{ email: 'c@etsi.example.org' }] },
    ]);
  });
  it('refuses a line without a name or without an address', () => {
    expect(parseBodies('a@iso.example.org')).toBeNull();
    expect(parseBodies('ISO/IEC JTC 1/SC 27:')).toBeNull();
    expect(parseBodies('')).toBeNull();
  });
});
