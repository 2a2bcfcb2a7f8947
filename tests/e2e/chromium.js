// Where Debian's Chromium is and how every browser test launches it (RUNTIMES.md: headless, no sandbox as root,
// no background networking on this closed network).
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';

export const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A skip reason when Chromium is not installed, else false. */
export const chromiumMissing = !existsSync(CHROMIUM)
  && `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
