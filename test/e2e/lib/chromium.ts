// Debian's Chromium driven by playwright-core, with the flags that work as root on a closed
// network. CHROMIUM_PATH points elsewhere (scripts/ensure-installed.mjs).
import { chromium, type Browser } from 'playwright-core';
import { vi } from 'vitest';
import { takeBrowserTurn } from './browser-turn.ts';

// Every browser file imports this module: it waits here for its turn (browser-turn.ts). Its
// tests are many browser steps each, beside another file on a shared two-core machine: they get
// more time than the suite's default (only a failing test waits it out).
await takeBrowserTurn();
vi.setConfig({ testTimeout: 60_000, expect: { poll: { timeout: 10_000 } } });

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
