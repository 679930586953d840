// What every browser script here shares: Debian's Chromium with the flags this closed, 2-core machine needs (no
// sandbox as root, no GPU, no background connections that the network would refuse), and the page's status probes.
import { chromium } from 'playwright-core';

/** Launches headless Chromium (CHROMIUM overrides /usr/bin/chromium) with the standard flags plus `extraArgs`. */
export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** The listener page's own report of itself (`window.musicShareStatus`). */
export const status = (page) => page.evaluate(() => window.musicShareStatus);

/** Waits until the listener page's state is one of `states`. */
export const waitForState = (page, states, timeout) => page.waitForFunction(
  (wanted) => wanted.includes(window.musicShareStatus?.state), states, { timeout });
