// The client's index.html as Vite built it, cut at the root element so a page can be streamed:
// the head goes out at once (the browser starts fetching the scripts) while the server gathers
// the page's data, which follows in the body. Vite's manifest names the chunks of a screen that
// is loaded on demand, so the head can ask for them too (modulepreload) instead of the browser
// discovering them only once the entry script runs.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const ROOT_ELEMENT = '<div id="root"></div>';

interface ManifestChunk {
  file: string;
  name?: string;
  imports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/**
 * A screen loaded on demand: its source file as Vite's manifest keys it
 * ('src/screens/document/document-view.tsx') and, when client/vite.config.ts puts its modules in
 * a chunk of their own, that chunk's name (the manifest then keys the chunk, not the source).
 */
export interface ScreenChunk {
  source: string;
  chunk?: string;
}

export interface ShellParts {
  /** Everything up to and including the root element, with `extraHead` before </head>. */
  head: string;
  /** The rest of the page after the root element. */
  tail: string;
}

export interface Shell {
  /**
   * The page cut in two, its head also preloading `preloadScreen`'s chunks and loading `scripts`
   * (async, ahead of the entry); null when the client is not built.
   */
  parts: (options: { preloadScreen?: ScreenChunk; scripts?: string[] }) => Promise<ShellParts | null>;
}

/** index.html and the manifest are re-read when index.html changes (a rebuild while running). */
export function createShell(clientDir: string): Shell {
  let loaded: { mtimeMs: number; html: string; manifest: Manifest } | null = null;

  async function load() {
    const file = path.join(clientDir, 'index.html');
    const info = await stat(file).catch(() => null);
    if (!info) return null;
    if (loaded?.mtimeMs !== info.mtimeMs) {
      const [html, manifest] = await Promise.all([
        readFile(file, 'utf8'),
        readFile(path.join(clientDir, '.vite', 'manifest.json'), 'utf8').then(
          (text) => JSON.parse(text) as Manifest,
          () => ({}),
        ),
      ]);
      loaded = { mtimeMs: info.mtimeMs, html, manifest };
    }
    return loaded;
  }

  return {
    async parts({ preloadScreen, scripts = [] }) {
      const built = await load();
      if (!built) return null;
      const at = built.html.indexOf(ROOT_ELEMENT);
      if (at < 0) return null;
      let head = built.html.slice(0, at + ROOT_ELEMENT.length);
      const early = scripts.map((src) => `<script async src="${src}"></script>\n    `).join('');
      if (early) head = head.replace('<script type="module"', `${early}<script type="module"`);
      const preloads = preloadScreen ? preloadTags(built.manifest, preloadScreen, head) : '';
      if (preloads) head = head.replace('</head>', `${preloads}\n  </head>`);
      return { head, tail: built.html.slice(at + ROOT_ELEMENT.length) };
    },
  };
}

/**
 * Links for a screen's chunk and what it imports statically, minus those the page already has:
 * modulepreload for the scripts, and its stylesheets (which the screen's import would otherwise
 * fetch only once the entry runs, before it renders).
 */
function preloadTags(manifest: Manifest, screen: ScreenChunk, html: string): string {
  const scripts = new Set<string>();
  const styles = new Set<string>();
  const visit = (k: string) => {
    const chunk = manifest[k];
    if (!chunk || scripts.has(chunk.file)) return;
    scripts.add(chunk.file);
    for (const css of chunk.css ?? []) styles.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  const named =
    screen.chunk === undefined
      ? undefined
      : Object.keys(manifest).find((k) => k.startsWith('_') && manifest[k]!.name === screen.chunk && manifest[k]!.file.endsWith('.js'));
  visit(manifest[screen.source] ? screen.source : (named ?? screen.source));
  const missing = (file: string) => !html.includes(`/${file}"`);
  return [
    ...[...styles].filter(missing).map((file) => `\n    <link rel="stylesheet" crossorigin href="/${file}">`),
    ...[...scripts].filter(missing).map((file) => `\n    <link rel="modulepreload" crossorigin href="/${file}">`),
  ].join('');
}
