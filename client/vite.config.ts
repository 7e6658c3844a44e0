// Vite builds the browser client into client/dist (served by Fastify, see server/app.ts) and,
// with `npm run dev:client`, serves it with hot reload, proxying the API to a running server.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` listens here by default (server/config.ts: HOST, PORT); another port is named
// with CONVENE_DEV_API=http://127.0.0.1:PORT.
const API_SERVER = process.env.CONVENE_DEV_API ?? 'http://127.0.0.1:3000';

/**
 * V8's explicit compile hint (Chrome 136+): a file that starts with this comment is compiled whole
 * as it streams in, on a background thread, instead of each function on the main thread the first
 * time it runs. For the chunks every first screen runs at once (the entry: React, the app; the
 * document screen): most of their functions run in the first render, which lazy compilation
 * slowed by some tens of milliseconds on a cold page. Added after Vite has written the files (it
 * prepends its own preamble to the code until then); scripts/build-client.ts compresses them next.
 */
function compileHints(chunkNames: string[]): Plugin {
  return {
    name: 'convene:compile-hints',
    apply: 'build',
    async writeBundle(options, bundle) {
      for (const [file, chunk] of Object.entries(bundle)) {
        if (chunk.type !== 'chunk' || !(chunk.isEntry || chunkNames.includes(chunk.name))) continue;
        const full = path.join(options.dir!, file);
        await writeFile(full, `//# allFunctionsCalledOnLoad\n${await readFile(full, 'utf8')}`);
      }
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), compileHints(['document-view'])],
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
              test: /client\/src\/(screens\/document\/(document-view|comments|composer|comment-disposition|period-status|slots|labels)|screens\/adjudication\/(shared|response-form)|lib\/(drafts|live-document|document-dispositions|comment-threads|consultation)|api\/(document|adjudication)-endpoints|i18n\/(documents|adjudication)\/)/,
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
