// Vite builds the browser client into client/dist (served by Fastify, see server/app.ts) and,
// with `npm run dev:client`, serves it with hot reload, proxying the API to a running server.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` listens here by default (server/config.ts: HOST, PORT); another port is named
// with CONVENE_DEV_API=http://127.0.0.1:PORT.
const API_SERVER = process.env.CONVENE_DEV_API ?? 'http://127.0.0.1:3000';

/**
 * Each message catalogue (locales/<locale>/<namespace>.json) is fetched on its own when a reader of
 * that language needs it. The keys it lacks are filled here with English and listed under
 * "@fallback" (client/src/i18n/translate.ts formats those with English plural rules), so a
 * partial translation costs the reader no second download.
 */
function catalogueFallback(): Plugin {
  const file = /[\\/]locales[\\/]([a-z]{2})[\\/]([\w-]+)\.json$/;
  return {
    name: 'convene-catalogue-fallback',
    enforce: 'pre',
    transform(code, id) {
      const found = file.exec(id.split('?')[0] ?? id);
      if (!found || found[1] === 'en') return null;
      const englishFile = fileURLToPath(new URL(`../locales/en/${found[2]}.json`, import.meta.url));
      this.addWatchFile(englishFile);
      const english = JSON.parse(readFileSync(englishFile, 'utf8')) as Record<string, string>;
      const own = JSON.parse(code) as Record<string, string>;
      const missing = Object.keys(english).filter((key) => typeof own[key] !== 'string');
      const filled: Record<string, string | string[]> = { ...own };
      for (const key of missing) filled[key] = english[key] as string;
      filled['@fallback'] = missing;
      return { code: JSON.stringify(filled), map: null };
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), catalogueFallback()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    // .vite/manifest.json: which chunks a lazily loaded screen needs, so the server can preload
    // them from the page's head (server/modules/client-shell/shell.ts).
    manifest: true,
    reportCompressedSize: false,
    // One stylesheet for every screen (a few KB): a screen loaded on demand fetches no CSS of its own.
    cssCodeSplit: false,
    rolldownOptions: {
      output: {
        // As few files as a first visit needs: on HTTP/1.1 a browser opens at most six connections
        // per host, and every file past those waits for one to free (a round trip more, longer on
        // a busy server). The document view is fetched as the entry (everything any first screen
        // needs) plus one chunk with its own modules; the other screens' chunks import from both.
        codeSplitting: {
          groups: [
            { name: 'app', tags: ['$initial'] },
            // Named after the screen: server/modules/client-shell finds it in the manifest by this name.
            {
              name: 'document-view',
              test: /client\/src\/(screens\/document\/(document-view|comments|composer|comment-disposition|period-status|slots|labels|word-tools)|screens\/adjudication\/(shared|response-form)|lib\/(drafts|live-document|document-dispositions|comment-threads|consultation|clause-anchors)|api\/(document|adjudication|interchange)-endpoints|i18n\/(documents|adjudication|interchange)\/)/,
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': API_SERVER, '/sign-in/verify': API_SERVER },
  },
});
