// Plays an Ogg Opus stream in an <audio> element in Debian's headless Chromium for StreamBrowserTest, which starts
// the server and the sender and makes the assertions. This script only acts and reports: one JSON object per
// stdout line, a sample of the element's state every 500 ms. It counts samples, not seconds: on a loaded machine a
// sample takes longer than 500 ms, and the test needs a given number of them after each title change.
// Usage: node play-stream.mjs <stream-url> <samples>
import { launchChromium } from './chromium.mjs';

const [streamUrl, samples] = process.argv.slice(2);
const report = (step, data = {}) => console.log(JSON.stringify({ step, ...data }));

const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
try {
  const page = await browser.newPage();
  page.on('pageerror', (error) => report('pageerror', { message: error.message }));
  await page.setContent('<audio id="player" preload="auto"></audio>');
  await page.evaluate((url) => {
    const player = document.getElementById('player');
    window.playerEvents = [];
    for (const name of ['playing', 'waiting', 'stalled', 'ended', 'error', 'emptied', 'pause']) {
      player.addEventListener(name, () => window.playerEvents.push(name));
    }
    player.src = url;
    return player.play().catch((error) => window.playerEvents.push(`play() rejected: ${error.message}`));
  }, streamUrl);
  for (let taken = 0; taken < Number(samples); taken++) {
    await page.waitForTimeout(500);
    report('sample', await page.evaluate(() => {
      const player = document.getElementById('player');
      return {
        currentTime: player.currentTime, paused: player.paused, ended: player.ended, readyState: player.readyState,
        error: player.error ? `${player.error.code} ${player.error.message}` : null, events: window.playerEvents,
      };
    }));
  }
} catch (error) {
  report('failed', { message: String(error) });
} finally {
  await browser.close();
}
