// Digest content per milestone kind, from plain data: what each says and how big it gets.
import { beforeAll, describe, expect, it } from 'vitest';
import Mustache from 'mustache';
import { createRenderer } from '../../../server/plugins/mailer.ts';
import {
  convenersDraftDigest,
  countComments,
  deadlineExtendedDigest,
  draftPostedDigest,
  finalReportDigest,
  periodClosedDigest,
  type DigestView,
} from '../../../server/modules/digests/digest-content.ts';
import { showInstant } from '../../../server/modules/digests/format-instant.ts';
import { thousandComments } from './fixtures.ts';

const group = { name: 'Correspondence Group on Security and Privacy for IoT', acronym: 'CG-IoTsec', slug: 'cg-iotsec', timeZone: 'Europe/Zurich' };
const links = { groupUrl: 'https://convene.test/groups/cg-iotsec', archiveUrl: 'https://convene.test/groups/cg-iotsec/digests' };
let html: (view: DigestView) => string;

beforeAll(async () => {
  const render = await createRenderer();
  html = (view) => render('digest', { ...view, recipientNote: 'Sent to the list.', unsubscribeUrl: false }).html;
});

describe('deadlines', () => {
  it('are shown in UTC and in the group’s zone', () => {
    const shown = showInstant(new Date('2016-04-25T23:59:00Z'), 'Europe/Zurich');
    expect(shown.utc).toBe('Monday 25 April 2016, 23:59 UTC');
    expect(shown.local).toBe('Tuesday 26 April 2016, 01:59 Europe/Zurich');
  });
});

describe('period closed', () => {
  it('counts comments by clause, type and affiliation, names the most discussed clauses and what comes next', () => {
    const view = periodClosedDigest({
      group,
      links,
      milestoneLabel: 'Document closed for adjudication',
      closedAt: new Date('2016-04-25T23:59:00Z'),
      counts: countComments([
        { clause: '7.1', clauseTitle: 'Security threats', type: 'technical', affiliation: 'SG17', replies: 3 },
        { clause: '7.1', clauseTitle: 'Security threats', type: 'editorial', affiliation: 'SG20', replies: 0 },
        { clause: '2', clauseTitle: 'References', type: 'general', affiliation: 'SG17', replies: 0 },
      ]),
      next: { label: "Conveners' draft posted", at: new Date('2016-05-11T12:00:00Z') },
      url: null,
    });
    expect(view.subject).toBe('[CG-IoTsec] Comment period closed: 3 comments received');
    const section = (h: string) => view.sections.find((s) => s.heading === h)!;
    expect(section('By type').rows.map((r) => r.value)).toEqual(['1', '1', '1']);
    expect(section('By clause').rows).toEqual([
      { label: '2 References', value: '1' },
      { label: '7.1 Security threats', value: '2' },
    ]);
    expect(section('By affiliation').rows[0]).toEqual({ label: 'SG17', value: '2' });
    expect(section('Most discussed').rows[0]!.label).toBe('7.1 Security threats');
    expect(
      section('What happens next')
        .paragraphs.map((p) => p.text)
        .join(' '),
    ).toContain("Next: Conveners' draft posted, Wednesday 11 May 2016, 12:00 UTC");
  });

  it('stays under 100 KB of HTML for 1,000 comments by summarising', () => {
    const view = periodClosedDigest({
      group,
      links,
      milestoneLabel: 'Comments close',
      closedAt: new Date(),
      counts: countComments(thousandComments()),
      next: null,
      url: links.groupUrl,
    });
    const out = html(view);
    expect(out.length).toBeLessThan(100 * 1024);
    expect(out).toContain('more clauses');
  });
});

describe('other kinds', () => {
  it('say what happened, what to do and by when', () => {
    const posted = draftPostedDigest({
      group,
      links,
      milestoneLabel: 'Draft posted',
      revision: { title: 'Draft X.iotsec-2 rev. 1', url: 'https://convene.test/r/1', clauses: [{ number: '1', title: 'Scope' }] },
      commentsClose: new Date('2016-04-25T23:59:00Z'),
    });
    expect(posted.deadline).toMatchObject({ label: 'Comments close', utc: 'Monday 25 April 2016, 23:59 UTC' });
    expect(posted.actions[0]).toEqual({ label: 'Read and comment', url: 'https://convene.test/r/1' });
    const extended = deadlineExtendedDigest({
      group,
      links,
      periodLabel: 'the comment period on rev. 1',
      previous: new Date('2016-04-25T23:59:00Z'),
      deadline: new Date('2016-05-02T23:59:00Z'),
      reason: 'SG20 meets on 28 April.',
      extendedBy: 'Arkadiy Kremer',
      url: null,
    });
    expect(extended.deadline).toMatchObject({ label: 'New deadline' });
    expect(extended.sections[0]!.paragraphs[0]!.text).toBe('SG20 meets on 28 April.');
    const conveners = convenersDraftDigest({
      group,
      links,
      milestoneLabel: "Conveners' draft",
      revision: null,
      changes: { added: 1, changed: 4, removed: 0, renumbered: 2 },
      dispositions: [{ label: 'Accepted', count: 12 }],
      objections: [{ clause: '7.1', summary: 'SG20 disagrees' }],
      commentsClose: null,
    });
    expect(conveners.sections.map((s) => s.heading)).toEqual(['What changed since the last revision', 'Dispositions', 'Objections carried forward']);
    const final = finalReportDigest({
      group,
      links,
      milestoneLabel: 'Final report',
      reportUrl: 'https://convene.test/report',
      dispositionTableUrl: 'https://convene.test/doc',
      submittedTo: ['SG17', 'SG20'],
    });
    expect(final.actions.map((a) => a.label)).toEqual(['Read the final report', 'Disposition of comments', 'Open CG-IoTsec on Convene']);
    for (const view of [posted, extended, conveners, final]) expect(html(view)).toContain(Mustache.escape(view.headline));
  });
});
