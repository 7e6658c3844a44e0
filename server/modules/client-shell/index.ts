// The browser client's pages that the server prepares: the document view, the heaviest screen
// (hundreds of comments), gets its first data inside the HTML (page-data.ts) and the chunks of
// its screen preloaded (shell.ts), so it renders without a round trip after the scripts load.
// Every other client route gets the plain index.html (server/app.ts, the not-found handler).
import { Readable } from 'node:stream';
import { chooseEncoding, compressParts } from '../../lib/streamed-compression.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readStreamHead } from '../realtime/catch-up.ts';
import { streamKey } from '../realtime/realtime.registry.ts';
import { answerAsVisitor, dataBlock } from './page-data.ts';
import { createShell } from './shell.ts';

// The document screen's modules are one chunk of that name (client/vite.config.ts, codeSplitting).
const DOCUMENT_SCREEN = { source: 'src/screens/document/document-view.tsx', chunk: 'document-view' };
/** Builds the first Intl formatter while the page waits (client/public/assets/warm-intl.js). */
const WARM_INTL = '/assets/warm-intl.js';

// Strings, not the API's Slug/Uuid: a malformed address still gets the client (which says "not
// found"); the API calls below validate and answer 400/404, which leaves them out of the page.
const DocumentPage = z.object({ slug: z.string(), documentId: z.string(), sequence: z.string().optional() });

/**
 * The URLs document-view.tsx (loadView), session.tsx and the dispositions under the comments
 * (lib/document-dispositions.ts) request first, as the client spells them (client/src/api/routes.ts:
 * each path segment encodeURIComponent'd, the query as URLSearchParams writes it).
 */
function documentViewUrls(slug: string, documentId: string) {
  const group = `/api/groups/${encodeURIComponent(slug)}`;
  const document = `${group}/documents/${encodeURIComponent(documentId)}`;
  return {
    first: ['/api/auth/session', group, document, `${document}/periods`, `${group}/phase`, `${document}/comments/export`],
    document,
    /** What the view asks once it knows the revision it shows. */
    ofRevision: (sequence: number) => [`${document}/revisions/${sequence}`, `${document}/dispositions/decided?revision=${sequence}`],
  };
}

/** The revision the client shows when the address names none: the latest (document-view.tsx). */
function latestSequence(documentJson: string | undefined): number | undefined {
  if (!documentJson) return undefined;
  const document = JSON.parse(documentJson) as { latestRevision: { sequence: number } | null; revisions: Array<{ sequence: number }> };
  return document.latestRevision?.sequence ?? document.revisions.at(-1)?.sequence;
}

const clientShellRoutes: FastifyPluginAsyncZod<{ clientDir: string }> = async (app, { clientDir }) => {
  const shell = createShell(clientDir);

  async function sendDocumentPage(request: FastifyRequest, reply: FastifyReply, params: z.infer<typeof DocumentPage>) {
    const parts = await shell.parts({ preloadScreen: DOCUMENT_SCREEN, scripts: [WARM_INTL] });
    // Not built (or an index.html without the root element): what every other client route gets.
    if (!parts) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
    const urls = documentViewUrls(params.slug, params.documentId);
    // The address's revision as the client reads it (app.tsx: a positive integer, else 1).
    const named = params.sequence === undefined ? undefined : Math.max(1, Number.isInteger(Number(params.sequence)) ? Number(params.sequence) : 1);

    async function data(): Promise<string> {
      try {
        // Where the document's live stream stands before any answer is read: every event after it
        // may be missing from the answers, none before it is. The client subscribes from there
        // (realtime catch-up), so it refetches nothing when nothing changed and misses nothing
        // that did. Only for a visitor who may read the document (its answer is in the page).
        const stream = streamKey({ kind: 'document', id: params.documentId });
        const position = request.headers.cookie ? await readStreamHead(app.prisma, stream) : 0;
        const ask = (url: string) => answerAsVisitor(app, request, url);
        const askAll = (urls: string[]) => Promise.all(urls.map(ask)).then((answers) => answers.flat());
        const document = ask(urls.document);
        // Unless the address names the revision, it is the document's latest: asked for as soon as
        // the document's answer is in, beside the others.
        const revision = named
          ? askAll(urls.ofRevision(named))
          : document.then(([answer]) => {
              const latest = latestSequence(answer?.[1]);
              return latest === undefined ? [] : askAll(urls.ofRevision(latest));
            });
        const answers = (await Promise.all([...urls.first.map((url) => (url === urls.document ? document : ask(url))), revision])).flat();
        const mayRead = answers.some(([url]) => url === urls.document);
        return dataBlock(answers, mayRead ? { [stream]: position } : {});
      } catch (error) {
        // The page still works without its data: the client fetches it.
        request.log.error({ err: error }, 'page data for the document view');
        return '';
      }
    }
    async function* page() {
      yield parts!.head;
      yield await data();
      yield parts!.tail;
    }
    // Personal (the visitor's session and documents): never stored by any cache.
    reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-store').header('vary', 'accept-encoding');
    const encoding = chooseEncoding(request.headers['accept-encoding']);
    if (!encoding) return reply.send(Readable.from(page(), { objectMode: false }));
    return reply.header('content-encoding', encoding).send(compressParts(page(), encoding));
  }

  // Pages name /favicon.svg (client/index.html); what asks for the icon at its traditional
  // address without reading the page (tools, feed readers, a JSON answer opened in a tab) is sent there.
  app.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').redirect('/favicon.svg', 301),
  );

  const schema = { hide: true, params: DocumentPage };
  // Compressed here, not by the plugin: the head must leave before the data is ready.
  app.get('/groups/:slug/documents/:documentId', { schema, compress: false }, (request, reply) => sendDocumentPage(request, reply, request.params));
  app.get('/groups/:slug/documents/:documentId/revisions/:sequence', { schema, compress: false }, (request, reply) =>
    sendDocumentPage(request, reply, request.params),
  );
};

export default clientShellRoutes;
