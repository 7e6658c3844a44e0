// The data a page needs first, put into the page itself: the API's own answers to the GETs the
// client would make as it boots, produced by the API routes in-process (app.inject with the
// visitor's cookie). Authorization, presenters, response schemas and PII rules are therefore the
// API's, by construction: there is no second code path that decides what a visitor may read.
// Only successful answers are kept, so a page about a group or document the visitor may not see
// carries nothing about it (the API's 404 is simply left out, as for one that does not exist).
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The id of the JSON data block (client/src/api/prefetched.ts reads it). */
export const PAGE_DATA_ID = 'convene-data';

export type Answers = Array<readonly [url: string, json: string]>;

/** GETs `url` as the visitor: its JSON body if answered 200, else nothing. */
export async function answerAsVisitor(app: FastifyInstance, request: FastifyRequest, url: string): Promise<Answers> {
  const cookie = request.headers.cookie;
  if (!cookie) return [];
  const res = await app.inject({
    method: 'GET',
    url,
    headers: { cookie, accept: 'application/json', 'user-agent': request.headers['user-agent'] ?? '' },
    // Rate limits and logs count these as the visitor's own requests (which they replace).
    remoteAddress: request.ip,
  });
  const json = res.statusCode === 200 && String(res.headers['content-type']).startsWith('application/json');
  return json ? [[url, res.payload]] : [];
}

/** The key of the live streams' positions in the block (never a URL: those start with "/"). */
export const LIVE_KEY = 'live';

/**
 * `<script type="application/json">` with the answers by URL and, under "live", the sequence
 * number each live stream had reached before they were read (realtime: subscribe with `since`).
 * Not executed (the CSP allows no inline script; a data block is not one). Every `<` is written
 * \u003c, so no text in a comment ("</script>", "<!--") can end the block or change how the HTML
 * around it parses.
 */
export function dataBlock(answers: Answers, live: Record<string, number> = {}): string {
  if (!answers.length) return '';
  const entries = answers.map(([url, body]) => `${JSON.stringify(url)}:${body}`);
  if (Object.keys(live).length) entries.push(`${JSON.stringify(LIVE_KEY)}:${JSON.stringify(live)}`);
  const json = `{${entries.join(',')}}`;
  return `\n    <script type="application/json" id="${PAGE_DATA_ID}">${json.replaceAll('<', '\\u003c')}</script>`;
}
