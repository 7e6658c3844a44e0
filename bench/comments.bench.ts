// Comment figures: POST of a comment (authenticated, validated, deadline decided by the
// database, stored with its audit entry, event raised) vs a bare Fastify + pg single-row insert;
// and the server time to list all 2,000 comments of a document. Run: npm run bench -- comments
import { startBareServer, signedInMember, startBenchApp } from './lib/app.ts';
import { alternateHttp, benchDatabase, fmt, loadHttp, percentile, report } from './lib/harness.ts';
import { createDocument } from '../server/modules/revisions/documents.ts';
import { postRevision } from '../server/modules/revisions/post-revision.ts';
import { openPeriod } from '../server/modules/periods/periods.ts';
import { importMarkdown } from '../server/modules/revisions/lib/import-markdown.ts';
import { loadGroupAccess } from '../server/modules/groups/groups.policy.ts';
import { uuidv7 } from '../server/lib/uuid.ts';

const DRAFT = Array.from(
  { length: 40 },
  (_, i) => `## ${Math.floor(i / 5) + 1}.${(i % 5) + 1} Clause ${i}\n\nText of clause ${i} about device security and key management.`,
).join('\n\n');

export default async function commentsBench() {
  const db = await benchDatabase();
  const { app, url } = await startBenchApp(db.url);
  const bare = await startBareServer(db.url);
  try {
    const { user, group, headers } = await signedInMember(app);
    const access = await loadGroupAccess(app.ctx, group.slug, user);
    const document = await createDocument(app.ctx, { access, title: 'Bench report' });
    const { revision } = await postRevision(app.ctx, { access, documentId: document.id, label: 'Bench', format: 'MARKDOWN', imported: importMarkdown(DRAFT) });
    await openPeriod(app.ctx, {
      access,
      documentId: document.id,
      sequence: 1,
      opens: { at: new Date(Date.now() - 3_600_000).toISOString() },
      closes: { at: new Date(Date.now() + 86_400_000).toISOString() },
    });
    const clause = revision.clauses[7]!;
    const commentUrl = `${url}/api/groups/${group.slug}/documents/${document.id}/revisions/1/comments`;
    const body = JSON.stringify({
      clauseId: clause.id,
      type: 'technical',
      body: 'Key management for constrained devices needs **more** detail.',
      proposedChange: 'Add a subclause on key provisioning.',
      quotedText: 'key management',
    });

    await loadHttp({ url: commentUrl, method: 'POST', headers, body, seconds: 1 });
    await loadHttp({ url: `${bare.url}/bare-insert`, method: 'POST', headers: { 'content-type': 'application/json' }, body, seconds: 1 });
    const { figure: post, baseline: barePost } = await alternateHttp(
      { url: commentUrl, method: 'POST', headers, body, connections: 50, seconds: 5 },
      { url: `${bare.url}/bare-insert`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 50, seconds: 5 },
    );
    report(
      'POST comment (session, membership, validation, DB-clock deadline, insert + audit, event) vs bare Fastify + pg INSERT (50 connections, median of 3 alternating 5 s rounds)',
      post,
      barePost,
      { minThroughputRatio: 0.5, maxP99Ratio: 2 },
    );

    // A second document with exactly 2,000 comments (half of them carried to a revision 2).
    const doc2 = await createDocument(app.ctx, { access, title: 'Bench report with 2,000 comments' });
    const { revision: r1 } = await postRevision(app.ctx, { access, documentId: doc2.id, label: 'Bench', format: 'MARKDOWN', imported: importMarkdown(DRAFT) });
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      id: uuidv7(),
      documentId: doc2.id,
      revisionId: r1.id,
      clauseId: i % 10 === 0 ? null : r1.clauses[i % r1.clauses.length]!.id,
      authorId: user.id,
      type: (['GENERAL', 'TECHNICAL', 'EDITORIAL'] as const)[i % 3],
      body: `Comment ${i}: the clause should say more about key rotation.`,
      bodyHtml: `<p>Comment ${i}: the clause should say more about key rotation.</p>`,
      proposedChange: 'Add a sentence on key rotation.',
      quotedText: null,
      createdAt: new Date(Date.UTC(2016, 3, 2) + i * 1000),
      updatedAt: new Date(Date.UTC(2016, 3, 2) + i * 1000),
    }));
    await app.prisma.comment.createMany({ data: rows });
    await postRevision(app.ctx, {
      access,
      documentId: doc2.id,
      label: 'Bench 2',
      format: 'MARKDOWN',
      imported: importMarkdown(DRAFT.replace('Clause 3', 'Clause three')),
    });

    const exportUrl = `/api/groups/${group.slug}/documents/${doc2.id}/comments/export`;
    const { cookie } = headers;
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < 25; i++) {
      const start = process.hrtime.bigint();
      const res = await app.inject({ method: 'GET', url: exportUrl, headers: { cookie } });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (res.statusCode !== 200 || res.json().comments.length !== 2000) throw new Error(`export failed: ${res.statusCode}`);
      size = res.body.length;
    }
    const measured = times.slice(5);
    const p50 = percentile(measured, 50);
    console.log('\nGET all 2,000 comments of a document (export, authenticated, app.inject, 20 runs after 5 warm-up)');
    console.log(`  figure:   median ${fmt(p50)} ms, p95 ${fmt(percentile(measured, 95))} ms, ${fmt(size / 1024, 0)} KiB`);
    console.log(`  target:   ≤ 50 ms server time: ${p50 <= 50 ? 'meets' : 'MISSES'}`);
  } finally {
    await app.close();
    await bare.close();
    await db.cleanup();
  }
}

if (import.meta.main) await commentsBench();
