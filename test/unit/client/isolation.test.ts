// User text inside interface sentences keeps its own direction: tb() puts each text value of a
// sentence in a <bdi>, isolate() wraps it in FSI…PDI where the sentence stays a string.
import { beforeAll, describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { translateIsolated } from '../../../client/src/i18n/isolate.ts';
import { isolate, loadNamespaces } from '../../../client/src/i18n/translate.ts';

beforeAll(() => Promise.all([loadNamespaces('en', ['core']), loadNamespaces('ar', ['core'])]));

describe('isolating names in sentences', () => {
  it('puts each text value in its own <bdi>, in English and in Arabic, and leaves numbers and the sentence alone', () => {
    const name = 'أحمد Ahmed';
    expect(renderToStaticMarkup(translateIsolated('en', 'nav.signedInAs', { name }))).toBe(`Signed in as <bdi>${name}</bdi>`);
    const ar = renderToStaticMarkup(translateIsolated('ar', 'nav.signedInAs', { name }));
    expect(ar).toContain(`<bdi>${name}</bdi>`);
    expect(ar.replace(`<bdi>${name}</bdi>`, '')).not.toContain('Ahmed');
    expect(renderToStaticMarkup(translateIsolated('en', 'group.memberCount', { count: 1200 }))).toBe('1,200 members');
  });

  it('escapes markup in a name rather than rendering it', () => {
    expect(renderToStaticMarkup(translateIsolated('en', 'nav.signedInAs', { name: '<b>x</b>' }))).toBe('Signed in as <bdi>&lt;b&gt;x&lt;/b&gt;</bdi>');
  });

  it('wraps a string between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE', () => {
    expect(isolate('Alice')).toBe('\u2068Alice\u2069');
  });
});
