// Demo data from the real documents in shared/seeds: the ITU-T CG-IoTsec (seed 000) and the
// IS3C WG1 sub-group on IoT (seed 003). Addresses are made up (example.org): no mail to real people.
export interface SeedPerson {
  email: string;
  name: string;
  affiliation: string;
  role: 'CONVENER' | 'EDITOR' | 'PARTICIPANT' | 'OBSERVER';
}
export interface SeedMilestone {
  at: string;
  kind: 'DRAFT_POSTED' | 'COMMENTS_CLOSE' | 'CONVENERS_DRAFT_POSTED' | 'FINAL_COMMENTS_CLOSE' | 'FINAL_REPORT_PUBLISHED' | 'MEETING' | 'OTHER';
  label: string;
}
export interface SeedGroup {
  slug: string;
  name: string;
  acronym: string;
  termsOfReference: string;
  parentBodies: string[];
  mailingList: string;
  timeZone: string;
  visibility: 'PRIVATE' | 'PUBLIC_OUTPUTS';
  /** Working languages, main first (English when absent): the digests to the list are written in each. */
  languages?: string[];
  people: SeedPerson[];
  milestones: SeedMilestone[];
}

export const CG_IOTSEC: SeedGroup = {
  slug: 'cg-iotsec',
  name: 'Correspondence Group on Security and Privacy for IoT',
  acronym: 'CG-IoTsec',
  parentBodies: ['SG17', 'SG20'],
  mailingList: 'cg-iotsec@lists.itu.int',
  timeZone: 'Europe/Zurich',
  visibility: 'PUBLIC_OUTPUTS',
  termsOfReference: [
    '1. This ITU-T correspondence group (CG-IoTsec) reports to SG17 with active participation from both SG17 and SG20.',
    '2. The correspondence group discusses the following:',
    '   a) Preparation of the report for the June, 2016 TSAG meeting, on security and privacy aspects of IoT, including scoping and focusing of that report.',
    '   b) Means for efficient and effective collaboration between SG17 and SG20 on security and privacy aspects of IoT.',
    '   c) Work of interest to both study groups.',
    'Note – Within the context of SG17, privacy is addressed through the protection of Personal Identifiable Information.',
    '3. The correspondence group will use the e-mail list cg-iotsec@lists.itu.int. The CG interactions may include e-mail exchange via the e-mail list, and electronic meetings.',
    '4. The correspondence group conveners are Arkadiy Kremer and Nasser Al Marzouqi.',
    '5. The report of the correspondence group shall be submitted at least one month before the next SG17 meeting.',
    '6. The correspondence group conveners shall establish a work plan for the development of the Security and Privacy Report for TSAG, including specific timeframes, and seek correspondence group agreement.',
    '',
    'Comments received within the pre-defined deadline are resolved by the conveners in consultation with the commenters; the close of the initial comment period cannot be delayed.',
  ].join('\n'),
  people: [
    { email: 'arkadiy.kremer@example.org', name: 'Arkadiy Kremer', affiliation: 'SG17 / Russian Federation', role: 'CONVENER' },
    { email: 'nasser.almarzouqi@example.org', name: 'Nasser Al Marzouqi', affiliation: 'SG20 / United Arab Emirates', role: 'CONVENER' },
    { email: 'adriane.lapointe@example.org', name: 'Adriane LaPointe', affiliation: 'SG17 / United States', role: 'EDITOR' },
    { email: 'koji.nakao@example.org', name: 'Koji Nakao', affiliation: 'SG17 / Japan', role: 'EDITOR' },
    { email: 'heungyoul.youm@example.org', name: 'Heung Youl Youm', affiliation: 'SG17 / Korea (Republic of)', role: 'PARTICIPANT' },
    { email: 'xia.junjie@example.org', name: 'Xia Junjie', affiliation: 'SG20 / China Unicom', role: 'PARTICIPANT' },
    { email: 'tsag.observer@example.org', name: 'TSAG Observer', affiliation: 'TSAG', role: 'OBSERVER' },
  ],
  // ITU deadlines are "2359 hours UTC" on the day named.
  milestones: [
    { at: '2016-04-01T00:00:00Z', kind: 'DRAFT_POSTED', label: 'The draft report is posted to CG-IoTsec by the conveners; comments invited' },
    { at: '2016-04-25T23:59:00Z', kind: 'COMMENTS_CLOSE', label: 'Document closed for adjudication by the conveners' },
    { at: '2016-05-11T00:00:00Z', kind: 'CONVENERS_DRAFT_POSTED', label: "Conveners' draft report to TSAG posted and opened for comments" },
    { at: '2016-05-25T23:59:00Z', kind: 'FINAL_COMMENTS_CLOSE', label: 'Final comment period ends; conveners adjudicate and prepare the final report' },
    { at: '2016-06-06T00:00:00Z', kind: 'FINAL_REPORT_PUBLISHED', label: 'Conveners publish the final report to the CG and submit it to TSAG' },
  ],
};

export const IS3C_WG1_IOT: SeedGroup = {
  slug: 'is3c-wg1-iot',
  name: 'IS3C Working Group 1 (Security by Design): Sub-group on IoT',
  acronym: 'IS3C WG1 IoT',
  parentBodies: ['IS3C', 'UN IGF'],
  mailingList: 'dc-isss@intgovforum.org',
  timeZone: 'UTC',
  visibility: 'PUBLIC_OUTPUTS',
  termsOfReference: [
    'The coalition established this sub-group on IoT under its Working Group 1: Security by Design with the specific aim of:',
    '- reviewing current security-related IoT initiatives and practices worldwide;',
    '- developing a coherent package of global recommendations and guidance for embedding security by design in the development of IoT devices and applications, communicated to decision-takers as IGF outcomes.',
    '',
    'The sub-group meets online at 4-6 weekly intervals with open invitations to any interested stakeholders, and holds open external stakeholder consultations on its report.',
  ].join('\n'),
  people: [
    { email: 'nicolas.fiumarelli@example.org', name: 'Nicolas Fiumarelli', affiliation: 'IS3C WG1 Chair', role: 'CONVENER' },
    { email: 'sam.goundar@example.org', name: 'Sam Goundar', affiliation: 'IS3C WG1 Vice-Chair', role: 'CONVENER' },
    { email: 'mark.carvell@example.org', name: 'Mark Carvell', affiliation: 'IS3C Senior Policy Adviser', role: 'EDITOR' },
    { email: 'wout.denatris@example.org', name: 'Wout de Natris', affiliation: 'IS3C Coordinator', role: 'PARTICIPANT' },
  ],
  milestones: [
    { at: '2022-11-29T09:00:00Z', kind: 'MEETING', label: 'Draft research report presented at the IS3C session, UN IGF Addis Ababa' },
    { at: '2022-12-05T00:00:00Z', kind: 'DRAFT_POSTED', label: "Open external stakeholder consultation on the report's conclusions and recommendations" },
    { at: '2023-01-31T23:59:00Z', kind: 'COMMENTS_CLOSE', label: "Consultation closes; WG1 reviews the external stakeholders' responses" },
    { at: '2023-02-28T00:00:00Z', kind: 'FINAL_REPORT_PUBLISHED', label: "Publication of IS3C's final report of the research project" },
  ],
};

export const SEED_GROUPS = [CG_IOTSEC, IS3C_WG1_IOT];

const DAY_MS = 86_400_000;

/**
 * A live copy of CG-IoTsec, so a new user meets the cycle as it happens instead of a timeframe
 * whose every date passed in 2016: the same people, terms and draft, and the seed's milestones
 * with their intervals kept, moved to start at 00:00 UTC of `today` (the day the database was
 * created: the seed runs once on a new database). Comments are open from the first day.
 */
export function liveCgIotsec(today: Date): SeedGroup {
  const start = Math.floor(today.getTime() / DAY_MS) * DAY_MS;
  const offset = start - Date.parse(CG_IOTSEC.milestones[0]!.at);
  return {
    ...LIVE_CG_IOTSEC,
    milestones: CG_IOTSEC.milestones.map((m) => ({ ...m, at: new Date(Date.parse(m.at) + offset).toISOString() })),
  };
}

/** The live copy's fixed part; its milestones are placed when it is seeded (liveCgIotsec). */
export const LIVE_CG_IOTSEC: SeedGroup = {
  ...CG_IOTSEC,
  slug: 'cg-iotsec-live',
  name: 'Correspondence Group on Security and Privacy for IoT (live demo)',
  acronym: 'CG-IoTsec live',
  // A made-up list: the demo's digests must never reach the real CG's list.
  mailingList: 'cg-iotsec-live@lists.example.org',
  termsOfReference: [
    "A live copy of CG-IoTsec for trying Convene: the 2016 group's timeframe, kept interval for interval from the day this server's database was created.",
    '',
    CG_IOTSEC.termsOfReference,
  ].join('\n'),
  milestones: [],
};

/** The draft report of CG-IoTsec: seed 001's X.iotsec-2 with realistic body text (revisions lib). */
export const SEED_DOCUMENT = {
  title: 'Report on security and privacy aspects of IoT',
  label: 'Initial baseline: draft Recommendation ITU-T X.iotsec-2',
  source: new URL('../modules/revisions/lib/seed-x-iotsec-2.md', import.meta.url),
  postedBy: 'arkadiy.kremer@example.org',
  postedAt: '2016-04-01T00:00:00Z',
};
