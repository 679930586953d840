// Drives the listener page in Debian's headless Chromium for BrowserPageTest, which starts the server and the
// sender and makes the assertions. This script only acts and reports: one JSON object per stdout line.
// Usage: node listen-page.mjs <base-url> <token> <session-id> <artifact-dir>
import { launchChromium, status, waitForState as waitForAnyState } from './chromium.mjs';
import { createInterface } from 'node:readline';

const [baseUrl, token, sessionId, artifacts] = process.argv.slice(2);
const report = (step, data = {}) => console.log(JSON.stringify({ step, ...data }));
const stdin = createInterface({ input: process.stdin });
const nextInput = () => new Promise((resolve) => stdin.once('line', resolve));
const waitForState = (page, states, timeout = 15000) => waitForAnyState(page, states, timeout);

const browser = await launchChromium(['--autoplay-policy=user-gesture-required']);
const errors = [];
// Script errors anywhere; console errors only where every request should succeed (a refused request is logged
// as a console error by the browser itself, and the end-state tabs are refused on purpose).
const watch = (page, consoleToo = true) => {
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  if (consoleToo) {
    page.on('console', (message) => { if (message.type() === 'error') errors.push(`console: ${message.text()}`); });
  }
};
try {
  // Join page: type the code and the token with the keyboard, submit with Enter.
  const page = await browser.newPage({ viewport: { width: 1100, height: 850 } });
  watch(page);
  // PCM, as the server relays it: this test is about the page (Opus in the page: ListenTogetherPageTest, both ways)
  await page.goto(`${baseUrl}/?codec=pcm`);
  await page.keyboard.type(sessionId); // the code field has focus on load
  await page.keyboard.press('Tab');
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  await page.waitForURL(`**/listen/${sessionId}?codec=pcm`);
  report('joined', { url: page.url() });

  await waitForState(page, ['ready']);
  await page.waitForFunction(() => !document.getElementById('cover').hidden
    && document.getElementById('cover').naturalWidth > 0, null, { timeout: 10000 });
  await page.waitForFunction(() => /[1-9]\d* listening/.test(document.getElementById('listeners').textContent),
    null, { timeout: 10000 });
  report('ready', {
    title: await page.textContent('#title'), artist: await page.textContent('#artist'),
    coverWidth: await page.evaluate(() => document.getElementById('cover').naturalWidth),
    listeners: await page.textContent('#listeners'), lyricLines: await page.locator('#lyrics li').count(),
    status: await status(page),
  });

  // Listen, by keyboard: Tab to the button, press Space (a user gesture, as browsers require for audio).
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.id === 'listen')) break;
  }
  await page.keyboard.press('Space');
  await waitForState(page, ['playing']);
  const samples = [];
  for (let i = 0; i < 40; i++) {
    // One evaluation: the status and the highlighted line from the same moment.
    samples.push(await page.evaluate(() => ({ ...window.musicShareStatus,
      highlighted: [...document.querySelectorAll('#lyrics li.current')].map((item) => item.textContent) })));
    await page.waitForTimeout(200);
  }
  report('playing', { samples, pressed: await page.getAttribute('#listen', 'aria-pressed') });
  await page.screenshot({ path: `${artifacts}/listen-playing.png`, fullPage: true });

  // The same session on a phone in dark mode, for the screenshot.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark',
    deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const phonePage = await phone.newPage();
  watch(phonePage);
  await phonePage.goto(`${baseUrl}/listen/${sessionId}#token=${encodeURIComponent(token)}`);
  await waitForState(phonePage, ['ready']);
  report('phone', { url: phonePage.url(), scrollWidth: await phonePage.evaluate(() => document.documentElement.scrollWidth) });
  await phonePage.waitForTimeout(1200);
  await phonePage.screenshot({ path: `${artifacts}/listen-phone-dark.png`, fullPage: true });

  report('stop-now');
  await nextInput();
  await waitForState(page, ['ended']);
  report('ended', { state: (await status(page)).state, status: await status(page), notice: await page.textContent('#notice'),
    listenDisabled: await page.isDisabled('#listen'), tokenFormShown: await page.isVisible('#token-form') });
  await page.screenshot({ path: `${artifacts}/listen-ended.png`, fullPage: true });

  // A page opened during the after-stop grace period, by someone with a name who never presses Listen: it must say
  // who listened, in the past tense, and not count (or name) itself. The test checks the server's status too.
  const late = await browser.newContext({ viewport: { width: 1100, height: 850 } });
  await late.addInitScript(() => {
    localStorage.setItem('music-share.name', 'Latecomer');
    localStorage.setItem('music-share.name-asked', 'yes');
  });
  const latePage = await late.newPage();
  watch(latePage);
  await latePage.goto(`${baseUrl}/listen/${sessionId}?codec=pcm#token=${encodeURIComponent(token)}`);
  await waitForState(latePage, ['ended', 'not-found']);
  await latePage.waitForTimeout(1500); // room for any late status request to (wrongly) rewrite the header
  report('late-ended', { state: (await status(latePage)).state, notice: await latePage.textContent('#notice'),
    listeners: await latePage.textContent('#listeners'), firstPageListeners: await page.textContent('#listeners') });
  await nextInput(); // the test reads the session's status before this page goes away
  await late.close();

  // The other end states, each in a fresh tab (the token lives in the tab's session storage).
  const ends = {};
  for (const [name, path] of [['unknown', '/listen/999999#token=' + encodeURIComponent(token)],
    ['wrongToken', '/listen/999998#token=not-the-token'], ['malformed', '/listen/12ab#token=x']]) {
    const tab = await browser.newPage();
    watch(tab, false);
    await tab.goto(`${baseUrl}${path}`);
    await waitForState(tab, ['not-found', 'denied', 'invalid']);
    ends[name] = { state: (await status(tab)).state, notice: await tab.textContent('#notice'),
      tokenFormShown: await tab.isVisible('#token-form') };
    await tab.close();
  }
  report('done', { ends, errors });
} catch (error) {
  report('failed', { error: String(error.stack ?? error), errors });
  process.exitCode = 1;
} finally {
  await browser.close();
  stdin.close();
}
