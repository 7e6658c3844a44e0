// Answers the server put into the page (server/modules/client-shell/page-data.ts): the API's
// own JSON for the GETs this page makes as it boots, keyed by URL. The first GET of such a URL
// is answered from here instead of the network, once; every later one fetches (live updates
// and refetches always see the server's current state). Screens that can render at once from
// these answers take them synchronously (takeAllPrefetched), skipping even a microtask's wait.
const BLOCK_ID = 'convene-data';
/** Not a URL: where each live stream stood when the answers were read (page-data.ts LIVE_KEY). */
const LIVE_KEY = 'live';
/** An answer is as fresh as the page; one not used by then is not used at all. */
const FRESH_MS = 60_000;

let answers: Map<string, unknown> | null = null;
let positions = new Map<string, number>();

function read(): Map<string, unknown> {
  if (!answers) {
    answers = new Map();
    const block = typeof document === 'undefined' ? null : document.getElementById(BLOCK_ID);
    if (block) {
      try {
        for (const [url, body] of Object.entries(JSON.parse(block.textContent ?? '{}') as Record<string, unknown>)) {
          if (url === LIVE_KEY) positions = new Map(Object.entries(body as Record<string, number>).filter(([, seq]) => Number.isInteger(seq)));
          else answers.set(url, body);
        }
      } catch {
        /* a broken block: everything is fetched */
      }
      block.remove();
    }
  }
  if ((answers.size || positions.size) && performance.now() > FRESH_MS) {
    answers.clear();
    positions.clear();
  }
  return answers;
}

/** The page's answer for GET `url`, without using it up. */
export function peekPrefetched<T>(url: string): T | undefined {
  return read().get(url) as T | undefined;
}

/** The page's answer for GET `url`, handed out once; undefined when there is none. */
export function takePrefetched(url: string): unknown {
  const map = read();
  const body = map.get(url);
  map.delete(url);
  return body;
}

/**
 * The sequence number live stream `stream` ('document:<id>') had reached before the page's answers
 * were read, handed out once: a view rendered from those answers subscribes from there, so it
 * needs no refetch unless something changed since.
 */
export function takeLivePosition(stream: string): number | undefined {
  read();
  const seq = positions.get(stream);
  positions.delete(stream);
  return seq;
}

/** The answers for every one of `urls`, in order, or none of them (nothing used up) if one is missing. */
export function takeAllPrefetched(urls: readonly string[]): unknown[] | undefined {
  const map = read();
  if (!urls.every((url) => map.has(url))) return undefined;
  return urls.map(takePrefetched);
}
