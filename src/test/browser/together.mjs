// Listening together in Debian's headless Chromium, for ListenTogetherPageTest (assertions) and the benchmark
// (figures): pages on one session, each with a tap on its audio output that records which of the sender's samples
// it plays when (tap.mjs). The sender (Java) sends tones whose phases name each sample. This script acts, measures
// and reports, one JSON object per stdout line; the Java side drives the sender when asked ("sender-start",
// "pause-now", "stop-now") and answers on stdin.
// Usage: node together.mjs <base-url> <listen-url> <artifact-dir> <seconds-together> <late-joiner-after-seconds>
//   <whole-run-seconds> <shared-token> <codec: pcm|opus>
// The phases follow one another without idle waits: two pages join at once (the error pages meanwhile), the third
// 20 s later; once the first two have played together for 30 s and the third for 10 s, the third page stalls for 3 s
// and is watched until it is back in step and has stayed there; then the sender pauses; the session stops once the
// lyrics have been followed for the whole run. The 3 s connection stall is made by the page itself (its ?debug hook
// drops the stream and stays away): a browser context's offline switch does not reliably cut a live stream.
import { createInterface } from 'node:readline';
import { launchChromium, status, waitForState as waitForAnyState } from './chromium.mjs';
import { Tap } from './tap.mjs';
import { RATE, TAP_SETTLE_MS, delays, discontinuities, frameAt, glitches, heard, lyricErrors, percentile,
  senderClock, settling, silentSpan, skew, skewBySecond, summary } from './together-analysis.mjs';

const [baseUrl, listenUrl, artifacts, togetherArg, joinerArg, wholeArg, sharedToken, codec = 'pcm'] =
  process.argv.slice(2);
const TOGETHER_MS = Number(togetherArg) * 1000;
const JOINER_AFTER_MS = Number(joinerArg) * 1000;
const WHOLE_MS = Number(wholeArg) * 1000;       // the lyrics are followed at least this long (issue 15: over 60 s)
const JOINER_IN_STEP_MS = 10000;                // the late joiner is compared this long, outside its tap's settling
const STALL_MS = 3000;
const RECOVERY_LIMIT_MS = 5000;                 // issue 15: back at the delay within 5 s
const STAYS_MS = 2000;                          // a page back in step is watched this long
const PAUSE_MS = 2000;                          // the sender's pause (ListenTogetherPageTest)
const TAP_READ_EVERY_MS = 1000;                 // each read stays small (see tap.mjs)
const report = (step, data = {}) => console.log(JSON.stringify({ step, at: Date.now(), ...data }));
const stdin = createInterface({ input: process.stdin });
const lines = [];
stdin.on('line', (line) => lines.push(line));
const nextInput = async () => {
  while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  return lines.shift();
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const waitForState = (page, states, timeout = 20000) => waitForAnyState(page, states, timeout);

const browser = await launchChromium(['--autoplay-policy=user-gesture-required']);
const errors = [];
const watch = (page) => page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
const taps = [];
let reading = true;

/** The listen link with the page's ?debug flag (musicShareDebug.stallStream(ms)) and the codec to receive. */
function debugUrl(link) {
  const url = new URL(link);
  url.searchParams.set('debug', '1');
  url.searchParams.set('codec', codec);
  return url.toString();
}

/**
 * A tab for a listener in its own browser context (its own storage), still blank: starting its renderer is the
 * heaviest part of opening a page, which a late joiner does before it joins (measured: the first two pages drew no
 * frame for 300-400 ms while a third was opened from nothing).
 */
async function openTab(options) {
  // bypassCSP: the page's policy allows scripts from its own origin only, and the tap is loaded from a blob URL
  const context = await browser.newContext({ ...options, bypassCSP: true });
  const page = await context.newPage();
  watch(page);
  return { context, page };
}

/** Opens the listen link in a tab, names the listener, presses Listen, installs the tap. */
async function join(name, { context, page }) {
  await page.goto(debugUrl(listenUrl));
  await page.waitForSelector('#name-form:not([hidden])');
  await page.fill('#display-name', name);
  await page.click('#name-form button[type="submit"]');
  await waitForState(page, ['ready']);
  await page.click('#listen');
  // a fresh server's Opus encoder may take a while to run in real time on a loaded machine (its JIT warming up)
  await waitForState(page, ['playing'], 60000);
  const tap = await Tap.install(page);
  taps.push(tap);
  return { context, page, name, tap };
}

/** Error states: the player is hidden and Listen disabled. */
async function errorStates() {
  const ends = {};
  for (const [name, path, scheme] of [
    ['wrongToken', '/listen/999998#token=lt_999998_00000000000000000000000000000000', 'light'],
    ['notFound', `/listen/999999#token=${encodeURIComponent(sharedToken)}`, 'dark']]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: scheme });
    const tab = await context.newPage();
    await tab.goto(`${baseUrl}${path}`);
    await waitForState(tab, ['not-found', 'denied', 'invalid']);
    ends[name] = { state: (await status(tab)).state, playerVisible: await tab.isVisible('#player'),
      listenDisabled: await tab.isDisabled('#listen') };
    await tab.screenshot({ path: `${artifacts}/together-${name}-${scheme}.png`, fullPage: true });
    await context.close();
  }
  return ends;
}

/** Reads every tap every second, in the background, until the run ends. */
async function readTaps() {
  while (reading) {
    await sleep(TAP_READ_EVERY_MS);
    for (const tap of [...taps]) await tap.pull();
  }
}

/** The taps' latest: each pulled, then viewed (see Tap#view). */
async function views(...pageTaps) {
  await Promise.all(pageTaps.map((tap) => tap.pull()));
  return pageTaps.map((tap) => tap.view());
}

const round2 = (value) => Math.round(value * 100) / 100;

/** The longest stretch without a frame drawn (epoch ms of the page's frames) that overlaps [from, to]. */
function longestGap(frames, from, to) {
  let longest = 0;
  for (let i = 1; i < frames.length; i++) {
    if (frames[i] >= from && frames[i - 1] <= to) longest = Math.max(longest, frames[i] - frames[i - 1]);
  }
  return longest;
}

try {
  report('sender-start');
  const senderStartEpoch = Number(await nextInput());
  const lrcTimes = JSON.parse(await nextInput());
  let clock = senderClock(senderStartEpoch);
  const series = (view) => heard(view.points, view.reference);

  // Two pages press Listen together; the error pages are checked meanwhile.
  report('joining');
  const [alice, bob, ends, carolTab] = await Promise.all([
    openTab({ viewport: { width: 1100, height: 900 } }).then((tab) => join('Alice', tab)),
    openTab({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', deviceScaleFactor: 2, isMobile: true,
      hasTouch: true }).then((tab) => join('Bob', tab)),
    errorStates(),
    openTab({ viewport: { width: 800, height: 700 } })]);
  const together = Date.now();
  report('two-listening');
  const reader = readTaps();

  // Screenshots while the taps settle: desktop light with the invitation open, phone dark with the current line
  // above the fold. Taking them holds up the pages' main threads: lyric changes then are left out.
  const shotsAt = Date.now();
  await alice.page.click('#invite');
  await alice.page.waitForSelector('#invite-panel:not([hidden]) #invite-qr[src]');
  await alice.page.waitForFunction(() => document.getElementById('invite-qr').naturalWidth > 0);
  const inviteLink = await alice.page.inputValue('#invite-link');
  await alice.page.screenshot({ path: `${artifacts}/together-desktop-light.png`, fullPage: true });
  await bob.page.screenshot({ path: `${artifacts}/together-phone-dark.png` });
  const phoneLine = await bob.page.evaluate(() => {
    const line = document.getElementById('current-line');
    const box = line.getBoundingClientRect();
    return { text: line.textContent, top: box.top, bottom: box.bottom, visible: box.height > 0,
      scrollBoxes: [...document.querySelectorAll('*')].filter((element) => {
        const style = getComputedStyle(element);
        return /(auto|scroll)/.test(style.overflowY) && element.scrollHeight > element.clientHeight + 1;
      }).map((element) => element.id || element.className) };
  });
  const testBusy = [[shotsAt, Date.now() + 500]];
  report('shots', { from: shotsAt });

  // The third page joins later; the first two play together for TOGETHER_MS, the third for JOINER_IN_STEP_MS.
  await sleep(together + JOINER_AFTER_MS - Date.now());
  report('carol-joining');
  const carol = await join('Carol', carolTab);
  report('carol-joined');
  const start = Math.max(alice.tap.installedAt, bob.tap.installedAt) + TAP_SETTLE_MS;
  const joined = carol.tap.installedAt + TAP_SETTLE_MS;
  await sleep(Math.max(start + TOGETHER_MS, joined + JOINER_IN_STEP_MS) - Date.now());
  // the page asks for the names every 5 s; Carol named herself once her page loaded
  await alice.page.waitForFunction(() => /Carol/.test(document.getElementById('listeners').textContent), null,
    { timeout: 15000 });
  const listeners = await alice.page.textContent('#listeners');
  const [tapA, tapB, tapC] = await views(alice.tap, bob.tap, carol.tap);
  const [a, b, c] = [tapA, tapB, tapC].map(series);
  const end = Math.min(a.at(-1)?.[0] ?? 0, b.at(-1)?.[0] ?? 0);
  const groups = tapA.lyricChanges.filter((change) => change.group.length > 1).map((change) => change.group);
  report('together', {
    listeners, inviteLink, phoneLine, seconds: Math.round((end - start) / 1000),
    joinerSeconds: Math.round((end - joined) / 1000),
    skewAB: summary(skew(a, b, start, end, glitches(tapA, tapB))),
    skewAC: summary(skew(a, c, joined, end, glitches(tapA, tapC))),
    skewABRaw: summary(skew(a, b, start, end)),
    skewACRaw: summary(skew(a, c, joined, end)),
    skewABBySecond: skewBySecond(a, b, start, end),
    skewACBySecond: skewBySecond(a, c, joined, end),
    lyricErrorMs: summary(lyricErrors(a, tapA, lrcTimes, testBusy).concat(lyricErrors(b, tapB, lrcTimes, testBusy))
      .map(Math.abs)),
    lyricGroups: groups.slice(0, 3), delayMs: summary(delays(a, clock, start, end)),
    statusA: await status(alice.page), statusB: await status(bob.page), statusC: await status(carol.page),
    jumps: [a, b, c].map((heardSeries, i) => discontinuities(heardSeries, [tapA, tapB, tapC][i]).slice(0, 10)),
    taps: [tapA, tapB, tapC].map((view) => view.health),
  });

  // A 3 s connection stall on Carol's page: it rejoins the timeline with a fade, never replays. Watched until it
  // plays what Alice (undisturbed) plays at the same instant, within 10 ms, and has stayed there for STAYS_MS.
  const stallAt = Date.now();
  await carol.page.evaluate((ms) => window.musicShareDebug.stallStream(ms), STALL_MS);
  const stallEnd = stallAt + STALL_MS;
  let backInStep = null;
  let a2;
  let c2;
  let tapA2;
  let tapC2;
  for (;;) {
    await sleep(500);
    [tapA2, tapC2] = await views(alice.tap, carol.tap);
    [a2, c2] = [tapA2, tapC2].map(series);
    backInStep ??= c2.find(([epoch, frame]) => {
      if (epoch < stallEnd) return false;
      const other = frameAt(a2, epoch);
      return other !== null && Math.abs(other - frame) * 1000 / RATE <= 10;
    }) ?? null;
    const heardUntil = Math.min(a2.at(-1)?.[0] ?? 0, c2.at(-1)?.[0] ?? 0);
    if (backInStep && heardUntil >= backInStep[0] + STAYS_MS) break;
    if (Date.now() > stallEnd + RECOVERY_LIMIT_MS + STAYS_MS) break;
  }
  // From the moment it is back (or from the 5 s the issue allows), for STAYS_MS at least.
  const settledFrom = backInStep ? backInStep[0] : stallEnd + RECOVERY_LIMIT_MS;
  const settledTo = Math.min(a2.at(-1)?.[0] ?? 0, c2.at(-1)?.[0] ?? 0);
  report('stall', {
    targetDelayMs: percentile(delays(a2, clock, settledFrom, settledTo), 50),
    recoveredAfterMs: backInStep ? backInStep[0] - stallEnd : null,
    watchedMs: Math.round(settledTo - settledFrom),
    delayAfterMs: summary(delays(c2, clock, settledFrom, settledTo, glitches(tapC2))),
    silentMs: silentSpan(c2, stallAt, settledFrom),
    jumps: discontinuities(c2, tapC2).filter((j) => j.at >= stallAt - 1000),
    status: await status(carol.page), note: await carol.page.textContent('#note'),
    skewAfterMs: summary(skew(a2, c2, settledFrom, settledTo, glitches(tapA2, tapC2))),
  });

  // The sender pauses; everyone follows it back to the target delay.
  report('pause-now');
  const pausedAt = Number(await nextInput());
  const resumedAt = Number(await nextInput());
  clock = senderClock(senderStartEpoch, JSON.parse(await nextInput()));
  report('pause-times', { pausedAt, resumedAt });
  // the 5 s, and a second more to see where the delay ends
  await sleep(resumedAt + RECOVERY_LIMIT_MS + 1000 - Date.now());
  const [tapA3] = await views(alice.tap);
  const a3 = series(tapA3);
  const before = percentile(delays(a3, clock, pausedAt - 6000, pausedAt - 500, glitches(tapA3)), 50);
  // Settled: from this moment on, the delay stays within 5 ms of where it ends, outside the browser's glitches.
  // Where that is depends on the session's timeline, which a sender's stall on this loaded machine may have
  // re-anchored before the pause (then the pause's re-anchoring gives the stall's delay back): the delay must settle,
  // and not grow.
  const { settledAt } = settling(a3, clock, resumedAt, glitches(tapA3));
  report('pause', { delayBeforeMs: before, settledAfterMs: settledAt === null ? null : settledAt - resumedAt,
    delayAfterMs: summary(delays(a3, clock, resumedAt + RECOVERY_LIMIT_MS, Infinity, glitches(tapA3))),
    statusA: await status(alice.page), jumps: discontinuities(a3, tapA3).filter((j) => j.at >= pausedAt - 500) });

  // The end, once the lyrics have been followed for the whole run: every page plays out what it holds, then says
  // "ended".
  await sleep(start + WHOLE_MS - Date.now());
  report('stop-now');
  const lastFrame = Number(await nextInput());
  const stoppedAt = Date.now();
  await waitForState(alice.page, ['ended'], 20000);
  const endedAt = Date.now();
  reading = false;
  await reader;
  const [tapA4, tapB4] = await views(alice.tap, bob.tap);
  const [a4, b4] = [tapA4, tapB4].map(series);
  // The whole run, two pages side by side: skew and lyrics everywhere both play (the sender's pause is silence on
  // both, so it drops out by itself); delay outside the pause and its settling.
  const whole = [start, stoppedAt];
  // the last sample heard at all: the end's fade-out is heard too, if ever more quietly
  const pairs = (flat) => Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);
  const everything = pairs(tapA4.points).concat(pairs(tapA4.quiet)).sort((x, y) => x[0] - y[0]).flat();
  const lastHeard = heard(everything, tapA4.reference).at(-1);
  report('ended', { lastFrameSent: lastFrame, lastFrameHeard: lastHeard?.[1] ?? null,
    lastValidFrameHeard: a4.at(-1)?.[1] ?? null,
    lastHeardBeforeEndedMs: endedAt - (lastHeard?.[0] ?? 0),
    state: (await status(alice.page)).state, listenDisabled: await alice.page.isDisabled('#listen'),
    endedView: await alice.page.evaluate(() => ({ listeners: document.getElementById('listeners').textContent,
      inviteDisabled: document.getElementById('invite').disabled,
      invitePanelHidden: document.getElementById('invite-panel').hidden,
      inviteLink: document.getElementById('invite-link').value,
      reception: document.getElementById('reception').textContent,
      liveHidden: document.getElementById('live').hidden, note: document.getElementById('note').textContent,
      total: document.getElementById('total').textContent,
      progressHidden: document.getElementById('progress').hidden })),
    tailFaded: tapA4.fades.some((epoch) => epoch >= (a4.at(-1)?.[0] ?? 0) - 1 && epoch <= (a4.at(-1)?.[0] ?? 0) + 20),
    seconds: round2((whole[1] - whole[0]) / 1000),
    skewAB: summary(skew(a4, b4, ...whole, glitches(tapA4, tapB4))),
    skewABRaw: summary(skew(a4, b4, ...whole)),
    lyricErrorMs: summary(lyricErrors(a4, tapA4, lrcTimes, testBusy)
      .concat(lyricErrors(b4, tapB4, lrcTimes, testBusy)).map(Math.abs)),
    // [epoch ms, ms late, line, longest time without a frame drawn before it (ms), page]
    lyricLate: [[a4, tapA4, 'A'], [b4, tapB4, 'B']].flatMap(([heardSeries, view, name]) => lyricErrors(heardSeries,
      view, lrcTimes, testBusy, true, true).filter(([, error]) => Math.abs(error) > 50)
      .map(([epoch, error, line]) => [Math.round(epoch), Math.round(error), line,
        Math.round(longestGap(view.frames, epoch - error - 20, epoch)), name])),
    lyricErrorRawMs: summary(lyricErrors(a4, tapA4, lrcTimes, [], false)
      .concat(lyricErrors(b4, tapB4, lrcTimes, [], false)).map(Math.abs)),
    delayMs: summary(delays(a4, clock, whole[0], pausedAt - 500).concat(delays(a4, clock, resumedAt + 5000, stoppedAt))),
    jumps: [a4, b4].map((heardSeries, i) => discontinuities(heardSeries, [tapA4, tapB4][i])),
    taps: [tapA4, tapB4].map((view) => view.health), start: whole[0],
    // around each late change: the page's changes then, with where it said it was ([ms into the run, line,
    // position s, state, page])
    lyricAround: [[a4, tapA4, 'A'], [b4, tapB4, 'B']].flatMap(([heardSeries, view, name]) => {
      const late = lyricErrors(heardSeries, view, lrcTimes, testBusy, true, true)
        .filter(([, error]) => Math.abs(error) > 50);
      return view.lyricChanges.filter((change) => late.some(([epoch]) => Math.abs(change.epoch - epoch) < 4000))
        .map(({ epoch, line, position, state }) => [Math.round(epoch - whole[0]), line, round2(position), state, name]);
    }),
    readsMs: summary(tapA4.busy.map(([from, to]) => to - from)) });
  await alice.page.screenshot({ path: `${artifacts}/together-ended.png`, fullPage: true });
  report('done', { ends, errors });
} catch (error) {
  report('failed', { error: String(error.stack ?? error), errors });
  process.exitCode = 1;
} finally {
  reading = false;
  await browser.close();
  stdin.close();
}
