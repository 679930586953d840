// Drives the admin page (session history) in Debian's headless Chromium for AdminPageTest, which starts the server,
// plays a session and makes the assertions. This script only acts and reports: one JSON object per stdout line.
// Usage: node admin-page.mjs <base-url> <token> <artifact-dir>
import { launchChromium } from './chromium.mjs';

const [baseUrl, token, artifacts] = process.argv.slice(2);
const report = (step, data = {}) => console.log(JSON.stringify({ step, ...data }));
const browser = await launchChromium();
const errors = [];
const texts = (page, selector) => page.$$eval(selector, (cells) => cells.map((cell) => cell.textContent.trim()));
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(`console: ${message.text()}`); });
  page.on('requestfailed', (request) => errors.push(`requestfailed: ${request.url()}`));
  page.on('request', (request) => {
    if (!request.url().startsWith(baseUrl)) errors.push(`request to another origin: ${request.url()}`);
  });

  // Without a token the page asks for one and shows nothing else.
  await page.goto(`${baseUrl}/admin`);
  await page.waitForSelector('#login:not([hidden])');
  report('login', { historyShown: await page.isVisible('#history') });

  // The token by keyboard into the form, then the table of sessions.
  await page.fill('#token', token);
  await page.press('#token', 'Enter');
  await page.waitForSelector('#sessions tbody tr');
  report('table', { rows: await page.$$eval('#sessions tbody tr', (rows) => rows.map(
    (row) => [...row.cells].map((cell) => cell.textContent.trim()))) });

  // The newest session's detail: figures, the listener chart and the track list.
  await page.click('#sessions tbody tr:first-child button');
  await page.waitForSelector('#detail:not([hidden])');
  await page.waitForFunction(() => window.musicShareAdmin.chartSamples.length > 0, null, { timeout: 10000 });
  const canvas = await page.$eval('#listeners-chart', (element) => ({ width: element.width, height: element.height }));
  report('detail', {
    title: await page.textContent('#detail-title'),
    chartSamples: await page.evaluate(() => window.musicShareAdmin.chartSamples),
    chartLabels: await page.evaluate(() => window.musicShareAdmin.chartLabels),
    chartLibrary: await page.evaluate(() => window.Chart?.version ?? null),
    canvas,
    tracks: await page.$$eval('#tracks tbody tr', (rows) => rows.map(
      (row) => [...row.cells].map((cell) => cell.textContent.trim()))),
    figures: await texts(page, '#figures dd'),
  });
  await page.screenshot({ path: `${artifacts}/admin-history.png`, fullPage: true });

  // Each track's recording link downloads the file (fetched with the token in a header, saved under its id).
  const links = await page.$$eval('#tracks tbody tr', (rows) => rows.map(
    (row) => [...row.cells[4].querySelectorAll('a')].map((link) => link.textContent.trim())));
  const downloads = [];
  for (const [index, row] of links.entries()) {
    if (!row.length) continue;
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 10000 }),
      page.click(`#tracks tbody tr:nth-child(${index + 1}) td:nth-child(5) a`),
    ]);
    const saved = `${artifacts}/admin-download-${index + 1}.opus`;
    await download.saveAs(saved);
    downloads.push({ track: index + 1, name: download.suggestedFilename(), saved });
  }
  report('recordings', { links, downloads });

  // A link that carries the token opens straight onto the table and takes the token out of the address bar.
  const linked = await browser.newPage();
  linked.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await linked.goto(`${baseUrl}/admin#token=${encodeURIComponent(token)}`);
  await linked.waitForSelector('#sessions tbody tr');
  report('linked', { url: linked.url(), loginShown: await linked.isVisible('#login') });

  // A wrong token is refused with the form shown again.
  const wrong = await browser.newPage();
  await wrong.goto(`${baseUrl}/admin#token=wrong-token`);
  await wrong.waitForSelector('#login:not([hidden])');
  report('wrong', { status: await wrong.textContent('#status'), tableShown: await wrong.isVisible('#history') });

  report('done', { errors });
} catch (error) {
  report('failed', { error: String(error.stack ?? error), errors });
  process.exitCode = 1;
} finally {
  await browser.close();
}
