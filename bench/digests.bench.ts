// Digests: (1) sending one digest to the list + 500 subscribers through Convene's delivery
// (row lock per delivery, per-recipient render, list headers, SENT marked in the same
// transaction) against the same 501 messages pre-rendered and sent with bare nodemailer to the
// same SMTP sink, same transport and same parallelism, in one run (target ratio ≤ 1.5);
// (2) rendering the period-closed digest for 1,000 comments (targets ≤ 200 ms, ≤ 100 KB HTML).
//   npm run bench -- digests
import nodemailer from 'nodemailer';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { transact } from '../server/lib/use-case.ts';
import { createRenderer } from '../server/plugins/mailer.ts';
import { createDigest, LIST_NOTE, SUBSCRIBER_NOTE, type DigestDeps } from '../server/modules/digests/create-digest.ts';
import { deliverDigest } from '../server/modules/digests/deliver-digest.ts';
import { countComments, periodClosedDigest } from '../server/modules/digests/digest-content.ts';
import { digestEnvelope, unsubscribeUrl } from '../server/modules/digests/digest-mail.ts';
import { startSmtpSink } from '../test/helpers/smtp.ts';
import { thousandComments } from '../test/unit/digests/fixtures.ts';
import { benchDatabase, fmt, percentile } from './lib/harness.ts';

const SUBSCRIBERS = 500;
const RUNS = 3;
const TARGET = { ratio: 1.5, renderMs: 200, htmlKb: 100 };

const group = { name: 'Correspondence Group on Security and Privacy for IoT', acronym: 'CG-IoTsec', slug: 'cg-iotsec', timeZone: 'Europe/Zurich' };
const links = { groupUrl: 'https://convene.test/groups/cg-iotsec', archiveUrl: 'https://convene.test/groups/cg-iotsec/digests' };

async function benchRender() {
  const renderMail = await createRenderer();
  const comments = thousandComments();
  const render = () => {
    const view = periodClosedDigest({
      group,
      links,
      milestoneLabel: 'Comments close',
      closedAt: new Date(),
      counts: countComments(comments),
      next: null,
      url: links.groupUrl,
    });
    const props = { ...view, recipientNote: SUBSCRIBER_NOTE, unsubscribeUrl: 'https://convene.test/digests/unsubscribe?token=x' };
    return renderMail('digest', props).html;
  };
  render();
  const samples: number[] = [];
  let html = '';
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    html = render();
    samples.push(performance.now() - t);
  }
  const ms = percentile(samples, 50);
  const kb = Buffer.byteLength(html) / 1024;
  console.log('\nperiod-closed digest, 1,000 comments (counting + view + HTML and text render, median of 20)');
  console.log(`  figure:   ${fmt(ms, 1)} ms, ${fmt(kb, 1)} KB HTML`);
  console.log(
    `  targets:  ≤ ${TARGET.renderMs} ms (${ms <= TARGET.renderMs ? 'meets' : 'MISSES'}), ≤ ${TARGET.htmlKb} KB (${kb <= TARGET.htmlKb ? 'meets' : 'MISSES'})`,
  );
}

async function benchDelivery() {
  const db = await benchDatabase();
  const sink = await startSmtpSink({ parse: false });
  // Both sides use the same pooled SMTP transport (4 connections) and 4 messages in flight.
  const smtpUrl = `${sink.url}?pool=true&maxConnections=4`;
  const config = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01',
    PUBLIC_URL: 'https://convene.test',
    SMTP_URL: smtpUrl,
    JOBS_WORKERS: 'false',
    DIGEST_SEND_CONCURRENCY: '4',
    SEED: 'never',
  });
  const app = await buildApp({ config, databaseUrl: db.url, logger: false });
  await app.ready();
  const deps: DigestDeps = { ctx: app.ctx, mailer: app.mailer, jobs: app.jobs };
  const bare = nodemailer.createTransport(smtpUrl);
  const figures: number[] = [];
  const baselines: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const g = await app.prisma.group.create({
        data: {
          slug: `bench-${run}-${Date.now()}`,
          name: group.name,
          acronym: group.acronym,
          parentBodies: ['SG17'],
          mailingList: `list-${run}@lists.convene.test`,
          timeZone: group.timeZone,
        },
      });
      await app.prisma.digestSubscription.createMany({
        data: Array.from({ length: SUBSCRIBERS }, (_, i) => ({ groupId: g.id, email: `reader-${run}-${i}@example.test`, state: 'CONFIRMED' as const })),
      });
      const view = periodClosedDigest({
        group,
        links,
        milestoneLabel: 'Comments close',
        closedAt: new Date(),
        counts: countComments(thousandComments()),
        next: null,
        url: links.groupUrl,
      });
      const { digest } = await transact(app.ctx, (tx) =>
        createDigest(deps, tx, { group: g, key: `bench:${g.id}`, kind: 'PERIOD_CLOSED', milestoneId: null, late: false, view }),
      );

      // Baseline: the same 501 messages, rendered beforehand, sent with bare nodemailer.
      const deliveries = await app.prisma.digestDelivery.findMany({ where: { digestId: digest.id } });
      const prerendered = deliveries.map((d) => {
        const rendered = app.mailer.render('digest', {
          ...view,
          recipientNote: d.subscriptionId ? SUBSCRIBER_NOTE : LIST_NOTE,
          unsubscribeUrl: d.subscriptionId ? unsubscribeUrl(config, d.subscriptionId) : false,
        });
        const envelope = digestEnvelope(config, {
          group: g,
          digestId: digest.id,
          previousDigestId: null,
          recipient: d.recipient,
          subscriptionId: d.subscriptionId,
          archiveUrl: links.archiveUrl,
        });
        return { ...envelope, from: config.mailFrom, to: d.recipient, ...rendered };
      });
      const runBaseline = async () => {
        let next = 0;
        const t = performance.now();
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            while (next < prerendered.length) await bare.sendMail(prerendered[next++]!);
          }),
        );
        baselines.push(performance.now() - t);
      };
      const runFigure = async () => {
        const t = performance.now();
        const { sent } = await deliverDigest(deps, digest.id);
        figures.push(performance.now() - t);
        if (sent !== SUBSCRIBERS + 1) throw new Error(`sent ${sent}, expected ${SUBSCRIBERS + 1}`);
      };
      // Alternate which goes first, so warm-up favours neither.
      if (run % 2) {
        await runFigure();
        await runBaseline();
      } else {
        await runBaseline();
        await runFigure();
      }
    }
  } finally {
    bare.close();
    await app.close();
    await sink.close();
    await db.cleanup();
  }
  const figure = percentile(figures, 50);
  const baseline = percentile(baselines, 50);
  const ratio = figure / baseline;
  console.log(`\ndigest to the list + ${SUBSCRIBERS} subscribers (${SUBSCRIBERS + 1} messages, median of ${RUNS})`);
  console.log(`  figure:   ${fmt(figure, 0)} ms through Convene's delivery (${fmt(((SUBSCRIBERS + 1) / figure) * 1000, 0)} msg/s)`);
  console.log(`  baseline: ${fmt(baseline, 0)} ms with bare nodemailer, pre-rendered (${fmt(((SUBSCRIBERS + 1) / baseline) * 1000, 0)} msg/s)`);
  console.log(`  ratio:    ${fmt(ratio, 2)}×  (${ratio <= TARGET.ratio ? 'meets' : 'MISSES'} ≤ ${TARGET.ratio}×)`);
}

export default async function benchDigests() {
  await benchRender();
  await benchDelivery();
}
