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
    // Small and few files: the whole app is one entry chunk plus one stylesheet for now.
    modulePreload: { polyfill: false },
    // .vite/manifest.json: which chunks a lazily loaded screen needs, so the server can preload
    // them from the page's head (server/modules/client-shell/shell.ts).
    manifest: true,
    reportCompressedSize: false,
  },
  server: {
    port: 5173,
    proxy: { '/api': API_SERVER, '/sign-in/verify': API_SERVER },
  },
});
