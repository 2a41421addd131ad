import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core, as the browser tests and the dashboard benchmark
 * launch it (headless, no sandbox as root, no network of its own). `CHROMIUM_PATH` overrides.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}
