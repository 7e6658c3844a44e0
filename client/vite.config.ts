// Vite builds the browser client into client/dist (served by Fastify, see server/app.ts) and,
// with `npm run dev:client`, serves it with hot reload, proxying the API to a running server.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` listens here by default (server/config.ts: HOST, PORT); another port is named
// with CONVENE_DEV_API=http://127.0.0.1:PORT.
const API_SERVER = process.env.CONVENE_DEV_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
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
