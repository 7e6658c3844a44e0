import { describe, expect, it } from 'vitest';
import { parseHeading } from '../../../server/modules/revisions/lib/clause-number.ts';
import { importMarkdown } from '../../../server/modules/revisions/lib/import-markdown.ts';
import { expectAppError, readSeed } from './helpers.ts';

const numbersOf = (md: string) => importMarkdown(md).clauses.map((c) => c.number);

describe('parseHeading', () => {
  it.each([
    ['7.1 Security threats for sensor/devices', '7.1', 'Security threats for sensor/devices'],
    ['7.1\tSecurity threats for network', '7.1', 'Security threats for network'],
    ['3.1.1 \tauthentication [b-NIST-SP-800-53]', '3.1.1', 'authentication [b-NIST-SP-800-53]'],
    ['6. Overview', '6', 'Overview'],
    ['12', '12', ''],
    ['Annex A – Threat catalogue', 'Annex A', 'Threat catalogue'],
    ['Annex B: Use cases', 'Annex B', 'Use cases'],
    ['Appendix II Bibliography', 'Appendix II', 'Bibliography'],
    ['A.2 Smart metering', 'A.2', 'Smart metering'],
    ['Scope', null, 'Scope'],
    ['2030 targets', null, '2030 targets'],
    ['IoT.2 is not a number', null, 'IoT.2 is not a number'],
    ['Annexes in general', null, 'Annexes in general'],
  ])('reads %j as number %j', (text, number, title) => {
    expect(parseHeading(text)).toEqual({ number, title });
  });
});

describe('importMarkdown', () => {
  it('takes clause numbers from the heading text and renders each body', () => {
    const { clauses } = importMarkdown(
      '# 1 Scope\n\nThis *Recommendation* applies.\n\n## 7.1\tSecurity threats for sensor/devices\n\n- tampering\n- cloning\n',
    );
    expect(clauses).toEqual([
      { number: '1', heading: 'Scope', html: '<p>This <em>Recommendation</em> applies.</p>', text: 'This Recommendation applies.' },
      { number: '7.1', heading: 'Security threats for sensor/devices', html: '<ul>\n<li>tampering</li>\n<li>cloning</li>\n</ul>', text: 'tampering cloning' },
    ]);
  });

  it('computes numbers from heading levels when the text has none', () => {
    expect(numbersOf('# Scope\n# References\n## Normative\n## Informative\n### Web\n# Terms\n### Deep without parent\n')).toEqual([
      '1',
      '2',
      '2.1',
      '2.2',
      '2.2.1',
      '3',
      '3.1.1',
    ]);
  });

  it('continues computed numbering from the last number the author wrote', () => {
    expect(numbersOf('# 6 Overview\n# Threats\n## 7.4 Gateways\n## Cloud\n### Tenancy\n# Annex A Catalogue\n## Entries\n# Use cases\n')).toEqual([
      '6',
      '7',
      '7.4',
      '7.5',
      '7.5.1',
      'Annex A',
      'A.1',
      'Annex B',
    ]);
  });

  it('treats the shallowest heading level in use as the top level', () => {
    expect(numbersOf('## Scope\n### Detail\n## References\n')).toEqual(['1', '1.1', '2']);
  });

  it('turns text before the first heading into unnumbered front matter', () => {
    const { clauses } = importMarkdown('**Draft Recommendation ITU-T X.iotsec-2**\n\n# 1 Scope\n\nText.\n');
    expect(clauses[0]).toEqual({
      number: '',
      heading: 'Front matter',
      html: '<p><strong>Draft Recommendation ITU-T X.iotsec-2</strong></p>',
      text: 'Draft Recommendation ITU-T X.iotsec-2',
    });
    expect(clauses[1]?.number).toBe('1');
  });

  it('drops front matter that has no text', () => {
    expect(numbersOf('\n\n![](figure.png)\n\n# 1 Scope\n')).toEqual(['1']);
  });

  it('keeps an HTML comment as the words typed', () => {
    const { clauses } = importMarkdown('\n\n<!-- comment -->\n\n# 1 Scope\n');
    expect(clauses.map((c) => [c.number, c.text])).toEqual([
      ['', '<!-- comment -->'],
      ['1', ''],
    ]);
  });

  it('keeps a heading nested in a blockquote inside its clause', () => {
    const { clauses } = importMarkdown('# 1 Scope\n\n> # Quoted heading\n> text\n\n# 2 References\n');
    expect(clauses.map((c) => c.number)).toEqual(['1', '2']);
    expect(clauses[0]?.html).toContain('<h1>Quoted heading</h1>');
  });

  it('keeps an empty parent clause', () => {
    const { clauses } = importMarkdown('# 7 Security threats\n## 7.1 Devices\nText.\n');
    expect(clauses[0]).toEqual({ number: '7', heading: 'Security threats', html: '', text: '' });
  });

  it('treats setext headings like ATX headings', () => {
    expect(numbersOf('Scope\n=====\n\nText\n\nDetail\n------\n')).toEqual(['1', '1.1']);
  });

  it('shows raw HTML in clause bodies and heading text as typed, and keeps only safe links', () => {
    const { clauses } = importMarkdown('# 1 <img src=x onerror=alert(1)>Scope\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n');
    expect(clauses).toEqual([
      {
        number: '1',
        heading: '<img src=x onerror=alert(1)>Scope',
        html: '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>x</p>',
        text: '<script>alert(1)</script> x',
      },
    ]);
  });

  it('rejects a duplicate clause number, naming it', async () => {
    const error = await expectAppError(() => importMarkdown('# 7 Threats\n## 7.1 Devices\n## 7.1 Network\n'), 'duplicate_clause_number', 422);
    expect(error.message).toContain('7.1');
    expect(error.details).toEqual({ number: '7.1' });
  });

  it('rejects a computed number that collides with a written one', async () => {
    await expectAppError(() => importMarkdown('# Scope\n# 1 Again\n'), 'duplicate_clause_number', 422);
  });

  it.each([[''], ['   \n\n  '], ['![](only-an-image.png)']])('rejects an empty document %j', async (source) => {
    await expectAppError(() => importMarkdown(source), 'no_clauses', 422);
  });

  it('imports a document without headings as one unnumbered clause, with a note', () => {
    const result = importMarkdown('Just a paragraph.');
    expect(result.clauses).toEqual([{ number: '', heading: 'Front matter', html: '<p>Just a paragraph.</p>', text: 'Just a paragraph.' }]);
    expect(result.notes).toHaveLength(1);
  });

  it('imports the X.iotsec-2 seed with the structure of the draft', () => {
    const { clauses, notes } = importMarkdown(readSeed('seed-x-iotsec-2.md'));
    expect(notes).toEqual([]);
    expect(clauses.map((c) => c.number)).toEqual([
      '',
      '1',
      '2',
      '3',
      '3.1',
      '3.1.1',
      '3.1.2',
      '3.2',
      '3.2.1',
      '4',
      '5',
      '6',
      '7',
      '7.1',
      '7.2',
      '7.3',
      '8',
      '8.1',
      '8.2',
      '8.3',
    ]);
    const byNumber = new Map(clauses.map((c) => [c.number, c]));
    expect(byNumber.get('1')?.text).toContain('This Recommendation describes the security framework for Internet of Things.');
    expect(byNumber.get('7.1')?.heading).toBe('Security threats for sensor/devices');
    expect(byNumber.get('4')?.html).toContain('<table>');
    expect(byNumber.get('7.2')?.html).toContain('<ol>');
    for (const c of clauses.filter((c) => /^[1-8](\.\d)*$/.test(c.number) && c.number !== '3' && c.number !== '7' && c.number !== '8')) {
      expect(c.text.length, `clause ${c.number} has a body`).toBeGreaterThan(40);
    }
  });
});
