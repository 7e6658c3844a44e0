// Demo data for the work programme and Member State consultations: ITU-T Study Group 17 with
// the work items the seeds name — X.iotsec-2 with its A.1 justification (seed 001), the five
// determined drafts of TSB Circular 195 (seed 004) — Circular 195 itself, closed at its real
// deadline with a plausible result, and a live demo consultation whose deadline is in the
// future so a new user (the operator, a focal point of Switzerland in it) can answer it.
// The Administrations' answers and the focal points are made up; addresses are example.org.
import { recordAudit } from '../lib/audit.ts';
import { transact, type Ctx, type Tx } from '../lib/use-case.ts';
import type { ApprovalProcess, WorkItemStatus } from '../generated/prisma/client.ts';
import type { SeedGroup } from './seed-data.ts';

export const SG17: SeedGroup = {
  slug: 'itu-t-sg17',
  name: 'ITU-T Study Group 17 – Security',
  acronym: 'SG17',
  parentBodies: ['TSAG'],
  mailingList: 'tsbsg17@lists.itu.int',
  timeZone: 'Europe/Zurich',
  visibility: 'PUBLIC_OUTPUTS',
  // A study group works in the six official languages of the Union; its contributions are mostly in English.
  languages: ['en', 'ar', 'zh', 'fr', 'ru', 'es'],
  termsOfReference:
    'Lead study group on security. The secretariat (TSB) keeps the work programme of the Questions and runs the Member State consultations on determined texts (WTSA Resolution 1).',
  people: [
    { email: 'tsb.sg17@example.org', name: 'SG17 Secretariat (TSB)', affiliation: 'ITU/TSB', role: 'CONVENER' },
    { email: 'heungyoul.youm@example.org', name: 'Heung Youl Youm', affiliation: 'SG17 / Korea (Republic of)', role: 'PARTICIPANT' },
    { email: 'xia.junjie@example.org', name: 'Xia Junjie', affiliation: 'SG20 / China Unicom', role: 'PARTICIPANT' },
    { email: 'arkadiy.kremer@example.org', name: 'Arkadiy Kremer', affiliation: 'SG17 / Russian Federation', role: 'PARTICIPANT' },
  ],
  milestones: [],
};

interface SeedItem {
  acronym: string;
  number?: string;
  title: string;
  question: string;
  approvalProcess: ApprovalProcess;
  timing?: string;
  summary?: string;
  /** Dated moves, the first from nothing. */
  history: [WorkItemStatus, string][];
}

/** Circular 195's drafts with their summaries (Annex 1), as they stood: approved at the March 2020 meeting. */
const CIRCULAR_195_DRAFTS: SeedItem[] = [
  {
    acronym: 'X.sgsec-3',
    number: 'X.1332',
    title: 'Security guidelines for smart metering services in smart grids',
    question: '6/17',
    approvalProcess: 'TAP' as const,
    summary:
      'Smart metering services have been widely deployed worldwide to make electricity grids more efficient and reliable by gathering/providing electricity usage information from/to customers. The Recommendation provides security guidelines for smart metering services to enable service providers to implement appropriate security measures to ensure security of their service. It identifies security threats and attack methods against smart metering services, and specifies security requirements and capabilities to mitigate these threats and attacks accordingly.',
    history: [],
  },
  {
    acronym: 'X.ibc-iot',
    number: 'X.1365',
    title: 'Security methodology for the use of identity-based cryptography in support of Internet of things services over telecommunication networks',
    question: '6/17',
    approvalProcess: 'TAP' as const,
    summary:
      "Identity-based cryptography (IBC) technology is another security methodology that uses an entity's identity as a public key. This Recommendation provides a security methodology for the use of IBC public key technology in support of IoT services over telecommunications networks including mechanisms of identity management, key management architecture, key management operations and authentication. This determined draft text includes normative references that require an ITU-T A.5 justification (SG17-TD2366).",
    history: [],
  },
  {
    acronym: 'X.itssec-2',
    number: 'X.1372',
    title: 'Security guidelines for Vehicle-to-Everything (V2X) communication',
    question: '13/17',
    approvalProcess: 'TAP' as const,
    summary:
      'This Recommendation provides security guidelines for Vehicle-to-Everything (V2X) communication: vehicle-to-vehicle (V2V), vehicle-to-infrastructure (V2I), vehicle-to-nomadic devices (V2D) and vehicle-to-pedestrian (V2P). It identifies threats in V2X communication environments and specifies security requirements to mitigate these threats, and describes a possible implementation of V2X communication with security.',
    history: [],
  },
  {
    acronym: 'X.SRNaaS',
    number: 'X.1604',
    title: 'Security requirements of network as a service (NaaS) in cloud computing',
    question: '8/17',
    approvalProcess: 'TAP' as const,
    summary:
      'This Recommendation analyses security threats and challenges on network as a service (NaaS) in cloud computing and specifies security requirements of NaaS in NaaS application, NaaS platform and NaaS connectivity aspects based on corresponding cloud capability types.',
    history: [],
  },
  {
    acronym: 'X.SRIaaS',
    number: 'X.1605',
    title: 'Security requirements of public infrastructure as a service (IaaS) in cloud computing',
    question: '8/17',
    approvalProcess: 'TAP' as const,
    summary:
      'IaaS platforms that share computing, storage and networking services need protections specific to threats in IaaS environment. This Recommendation aims to document security requirements of public IaaS in order to help IaaS providers to improve security of IaaS platform throughout the planning, building and operating stages.',
    history: [],
  },
].map((d) => ({
  ...d,
  history: [
    ['IN_PROGRESS', '2017-03-30T12:00:00Z'],
    ['DETERMINED', '2019-09-03T12:00:00Z'],
    ['CONSULTATION', '2019-11-29T09:00:00Z'],
    ['APPROVED', '2020-03-26T12:00:00Z'],
  ] as [WorkItemStatus, string][],
}));

/** Texts of the March 2017 work plan (seed 002) kept for the live demo consultation: determined. */
const DEMO_DRAFTS: SeedItem[] = [
  {
    acronym: 'X.iotsec-3',
    title: 'Technical framework of PII (Personally Identifiable Information) handling system in IoT environment',
    question: '6/17',
    approvalProcess: 'TAP',
    history: [
      ['IN_PROGRESS', '2017-03-30T12:00:00Z'],
      ['DETERMINED', '2026-09-10T12:00:00Z'],
    ],
  },
  {
    acronym: 'X.sdnsec-1',
    title: 'Requirements for security services based on software-defined networking',
    question: '6/17',
    approvalProcess: 'TAP',
    history: [
      ['IN_PROGRESS', '2017-03-30T12:00:00Z'],
      ['DETERMINED', '2026-09-10T12:00:00Z'],
    ],
  },
];

/** Member States answering, with made-up answers for Circular 195: draft index → 'no' with reasons. */
const ADMINISTRATIONS: [code: string, name: string][] = [
  ['ARE', 'United Arab Emirates'],
  ['AUS', 'Australia'],
  ['BRA', 'Brazil'],
  ['CAN', 'Canada'],
  ['CHE', 'Switzerland'],
  ['CHN', 'China'],
  ['DEU', 'Germany'],
  ['EGY', 'Egypt'],
  ['FRA', 'France'],
  ['GBR', 'United Kingdom'],
  ['JPN', 'Japan'],
  ['KEN', 'Kenya'],
  ['KOR', 'Korea (Republic of)'],
  ['RUS', 'Russian Federation'],
  ['SAU', 'Saudi Arabia'],
  ['SEN', 'Senegal'],
  ['UGA', 'Uganda'],
  ['USA', 'United States'],
];
/** Who did not assign authority on which draft, and why (the rest of the 14 replies support). */
const DISSENT: Record<string, Record<number, string>> = {
  DEU: {
    1: 'The key escrow inherent in identity-based cryptography is not addressed; clause 8 should state how a private key generator is protected and audited.',
  },
  GBR: { 1: 'The A.5 justification for the normative references (SG17-TD2366) should be resolved before approval.' },
  FRA: { 2: 'Clause 7 should align the misbehaviour reporting with the ETSI ITS security specifications before approval.' },
};
const COMMENTED: Record<string, Record<number, string>> = {
  JPN: { 0: 'Editorial: harmonise "smart meter" and "smart metering device" throughout clause 6.' },
};
/** Circular 195: the 14 Administrations that replied. */
const REPLIED = ['ARE', 'AUS', 'BRA', 'CAN', 'CHE', 'CHN', 'DEU', 'EGY', 'FRA', 'GBR', 'JPN', 'KOR', 'RUS', 'USA'];

async function workItem(tx: Tx, groupId: string, actorId: string, item: SeedItem, fields: Partial<Record<string, string>> = {}) {
  const statuses = item.history;
  const created = await tx.workItem.create({
    data: {
      groupId,
      acronym: item.acronym,
      number: item.number ?? null,
      title: item.title,
      question: item.question,
      approvalProcess: item.approvalProcess,
      timing: item.timing ?? '',
      summary: item.summary ?? '',
      ...fields,
      status: statuses.at(-1)?.[0] ?? 'NEW_WORK_ITEM',
      statusChangedAt: new Date(statuses.at(-1)?.[1] ?? '2017-03-30T12:00:00Z'),
      version: 1 + statuses.length,
    },
  });
  let from: WorkItemStatus = 'NEW_WORK_ITEM';
  await tx.workItemStatusChange.create({
    data: { workItemId: created.id, from: null, to: from, actorId, at: new Date(statuses[0]?.[1] ?? '2017-03-30T12:00:00Z'), note: 'Work item created' },
  });
  for (const [to, at] of statuses) {
    await tx.workItemStatusChange.create({ data: { workItemId: created.id, from, to, actorId, at: new Date(at) } });
    from = to;
  }
  await recordAudit(tx, {
    actorId,
    groupId,
    action: 'workItems.created',
    entityType: 'WorkItem',
    entityId: created.id,
    after: { acronym: item.acronym, source: 'seed' },
  });
  return created;
}

/** The A.1 fields of X.iotsec-2 as seed 001 gives them. */
const IOTSEC2_A1 = {
  scope: [
    'This Recommendation describes the security framework for Internet of Things.',
    'The Recommendation analyses security threats and challenges in the Internet of Things environment, and describes security capabilities that could mitigate these threats and address security challenges. A framework methodology is provided for determining which of these security capabilities will require specification for mitigating security threats and addressing security challenges for Internet of Things.',
  ].join('\n'),
  summary: [
    'The recent advancement of Internet of Things technology has facilitated the implementation of a low-cost, low-power network and devices. Basically, a typical IoT deployment will consist of sensor-equipped edge devices on a wired or wireless network sending data via a gateway to a public or private cloud. Aspects of the topology will vary broadly from application to application; for example, in some cases the gateway may be on the device. Devices based on such topologies may be built from the ground up to leverage IoT or may be legacy devices that will have IoT capabilities added post-deployment.',
    'This Recommendation describes the security framework for Internet of Things. The Recommendation analyses security threats and challenges the Internet of Things environment, and describes security capabilities that could mitigate these threats and address security challenges. A framework methodology is provided for determining which of these security capabilities will require specification for mitigating security threats and addressing security challenges for Internet of Things.',
  ].join('\n'),
  baseText: 'Annex 2 (the draft as posted to CG-IoTsec, its report’s revision 1)',
  relations: [
    'Recommendation ITU-T Y.2060, Overview of the Internet of things',
    'Recommendation ITU-T Y.2063, Framework of the web of things',
    'Recommendation ITU-T Y.2066, Common requirements of the Internet of things',
    'Recommendation ITU-T Y.2069, Terms and definitions for the Internet of things',
  ].join('\n'),
  liaisons: 'ISO/IEC JTC 1/SC27',
  supportingMembers: 'China, China Unicom, ETRI, KISA, Korea (Republic of), Uganda, ZTE.',
};

async function focalPoint(tx: Tx, consultationId: string, administrationId: string, email: string, name: string) {
  const user = await tx.user.upsert({ where: { email }, create: { email, name, affiliation: '' }, update: {} });
  await tx.consultationFocalPoint.upsert({
    where: { consultationId_userId: { consultationId, userId: user.id } },
    create: { consultationId, administrationId, userId: user.id },
    update: {},
  });
  return user;
}

/** Loads the programme into the SG17 group once (skipped when X.iotsec-2 is there). */
export async function loadWorkProgramme(ctx: Ctx, operatorEmail: string): Promise<boolean> {
  return transact(
    ctx,
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(7268001419::bigint)`;
      const group = await tx.group.findUnique({ where: { slug: SG17.slug } });
      if (!group || (await tx.workItem.findFirst({ where: { groupId: group.id, acronym: 'X.iotsec-2' } }))) return false;
      const secretariat = await tx.user.findUniqueOrThrow({ where: { email: 'tsb.sg17@example.org' } });
      const [youm, xia] = await Promise.all(
        ['heungyoul.youm@example.org', 'xia.junjie@example.org'].map((email) => tx.user.findUniqueOrThrow({ where: { email } })),
      );
      const iotsec2 = await workItem(
        tx,
        group.id,
        secretariat.id,
        {
          acronym: 'X.iotsec-2',
          title: 'Security framework for Internet of Things',
          question: '6/17',
          approvalProcess: 'TAP',
          timing: '2018-02',
          history: [['IN_PROGRESS', '2015-04-17T12:00:00Z']],
        },
        IOTSEC2_A1,
      );
      await tx.workItemEditor.createMany({
        data: [
          { workItemId: iotsec2.id, userId: youm!.id, affiliation: 'Korea (Republic of)', position: 0 },
          { workItemId: iotsec2.id, userId: xia!.id, affiliation: 'China Unicom', position: 1 },
        ],
      });
      // The CG-IoTsec report carries the X.iotsec-2 draft (its revision 1): one of the item's texts.
      const report = await tx.document.findFirst({ where: { group: { slug: 'cg-iotsec' } }, orderBy: { createdAt: 'asc' } });
      if (report) await tx.workItemDocument.create({ data: { workItemId: iotsec2.id, documentId: report.id } });

      const administrations = new Map<string, string>();
      for (const [code, name] of ADMINISTRATIONS) {
        administrations.set(code, (await tx.administration.upsert({ where: { code }, create: { code, name }, update: {} })).id);
      }

      // TSB Circular 195, closed at its real deadline with the made-up result above.
      const drafts = [];
      for (const d of CIRCULAR_195_DRAFTS) drafts.push(await workItem(tx, group.id, secretariat.id, d));
      const c195 = await tx.consultation.create({
        data: {
          groupId: group.id,
          reference: 'TSB Circular 195',
          issuedOn: new Date('2019-11-29T00:00:00Z'),
          subject:
            'Member State consultation on Determined draft new Recommendations ITU-T X.1332 (X.sgsec-3), X.1365 (X.ibc-iot), X.1372 (X.itssec-2), X.1604 (X.SRNaaS), and X.1605 (X.SRIaaS), proposed for approval at the ITU-T Study Group 17 meeting (Geneva, 17-26 March 2020)',
          ruleText:
            'If 70% or more of the replies from Member States support consideration for approval, one Plenary session will be devoted to apply the approval procedure. Member States that do not assign authority to proceed should inform the Director of TSB of the reasons for this opinion and indicate the possible changes that would enable the work to progress.',
          deadline: new Date('2020-02-29T23:59:00Z'),
          thresholdPercent: 70,
          createdById: secretariat.id,
          createdAt: new Date('2019-11-29T09:00:00Z'),
          drafts: { create: drafts.map((w, position) => ({ workItemId: w.id, position })) },
        },
        include: { drafts: { orderBy: { position: 'asc' } } },
      });
      for (const [code, name] of ADMINISTRATIONS) {
        const administrationId = administrations.get(code)!;
        await tx.consultationInvitee.create({ data: { consultationId: c195.id, administrationId } });
        const fp = await focalPoint(tx, c195.id, administrationId, `focal.${code.toLowerCase()}@example.org`, `Focal point, ${name}`);
        if (!REPLIED.includes(code)) continue;
        await tx.consultationAnswer.createMany({
          data: c195.drafts.map((d, i) => {
            const reasons = DISSENT[code]?.[i];
            const comments = COMMENTED[code]?.[i];
            return {
              consultationId: c195.id,
              draftId: d.id,
              administrationId,
              position: reasons ? ('DOES_NOT_ASSIGN_AUTHORITY' as const) : ('ASSIGNS_AUTHORITY' as const),
              option: reasons ? null : comments ? ('COMMENTS_ATTACHED' as const) : ('NO_COMMENTS' as const),
              text: reasons ?? comments ?? '',
              signedName: fp.name,
              signedRole: 'Head of ICT standardization, Ministry of Communications',
              answeredById: fp.id,
              answeredAt: new Date(Date.UTC(2020, 1, 3 + (REPLIED.indexOf(code) % 25), 10)),
            };
          }),
        });
      }

      // The live demo: determined texts, a deadline 60 days ahead, Switzerland answered by the operator.
      const demo = [];
      for (const d of DEMO_DRAFTS) demo.push(await workItem(tx, group.id, secretariat.id, d));
      const [row] = await tx.$queryRaw<{ deadline: Date }[]>`SELECT date_trunc('day', now()) + interval '60 days 23 hours 59 minutes' AS deadline`;
      const deadline = row!.deadline;
      const live = await tx.consultation.create({
        data: {
          groupId: group.id,
          reference: 'TSB Circular 301 (demo)',
          issuedOn: new Date(new Date().toISOString().slice(0, 10)),
          subject: 'Member State consultation on Determined draft new Recommendations ITU-T X.iotsec-3 and X.sdnsec-1 (a live demonstration)',
          ruleText:
            'If 70% or more of the replies from Member States support consideration for approval, one Plenary session will be devoted to apply the approval procedure.',
          deadline,
          thresholdPercent: 70,
          createdById: secretariat.id,
          drafts: { create: demo.map((w, position) => ({ workItemId: w.id, position })) },
        },
      });
      for (const w of demo) {
        await tx.workItem.update({ where: { id: w.id }, data: { status: 'CONSULTATION', version: { increment: 1 } } });
        await tx.workItemStatusChange.create({
          data: { workItemId: w.id, from: 'DETERMINED', to: 'CONSULTATION', actorId: secretariat.id, note: 'Under consultation: TSB Circular 301 (demo)' },
        });
      }
      for (const code of ['CHE', 'KEN', 'KOR', 'USA']) {
        const administrationId = administrations.get(code)!;
        await tx.consultationInvitee.create({ data: { consultationId: live.id, administrationId } });
        await focalPoint(
          tx,
          live.id,
          administrationId,
          `focal.${code.toLowerCase()}@example.org`,
          `Focal point, ${ADMINISTRATIONS.find((a) => a[0] === code)![1]}`,
        );
      }
      await focalPoint(tx, live.id, administrations.get('CHE')!, operatorEmail, 'Operator');
      return true;
    },
    { timeoutMs: 60_000 },
  );
}
