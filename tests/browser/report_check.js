// Opens an orbiome report.html from disk in Debian's headless Chromium (driven by
// playwright-core) and checks what a reader would: no console or page errors, no network
// request, marks drawn in every chart, a result table that sorts on a header click, a figure's
// TSV download with the right content. Saves a full-page screenshot.
//
//   node report_check.js REPORT.html SCREENSHOT.png [EXPECT_FIGURE_KINDS] [MAX_SECONDS]
// EXPECT_FIGURE_KINDS: comma-separated figure kinds that must be present (e.g.
// "stacked_bar,box,pcoa,volcano,heatmap"). Exit 0 when every check passes, 1 otherwise.
'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require(path.join(__dirname, '..', '..', 'report', 'node_modules', 'playwright-core'));

const [reportPath, screenshotPath, expectKinds, maxSeconds] = process.argv.slice(2);
if (!reportPath || !screenshotPath) {
  console.error('usage: node report_check.js REPORT.html SCREENSHOT.png [KINDS]');
  process.exit(2);
}

const failures = [];
const check = (ok, what) => {
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
  if (!ok) failures.push(what);
};

// Same parser the report's TSV follows: header line, tab-separated cells, 'NA' for missing.
function parseTsv(text) {
  const lines = text.replace(/\n$/, '').split('\n');
  return { header: lines[0].split('\t'), rows: lines.slice(1).map((l) => l.split('\t')) };
}

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const consoleErrors = [];
    const external = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push('page error: ' + e.message));
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith('file:') || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
      external.push(u);
      return route.abort();
    });

    const url = 'file://' + path.resolve(reportPath);
    // Interactive = every chart drawn (the page sets data-render-state="done"), from navigation on.
    const t0 = Date.now();
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('body[data-render-state="done"]', { timeout: 30000 });
    const seconds = (Date.now() - t0) / 1000;
    console.log(`rendered in ${seconds.toFixed(2)} s`);
    if (maxSeconds) check(seconds < Number(maxSeconds), `interactive in ${seconds.toFixed(2)} s (budget ${maxSeconds} s)`);

    // --- every chart drew marks ------------------------------------------------------
    const charts = await page.$$eval('.chart[data-figure]', (els) => els.map((e) => ({
      id: e.getAttribute('data-figure'),
      kind: e.getAttribute('data-kind'),
      rendered: e.getAttribute('data-rendered') === 'true',
      // Data marks are the children of Vega's role-mark groups (rects, paths, symbols, text).
      marks: e.querySelectorAll('svg g.role-mark > *').length,
    })));
    check(charts.length > 0, `the page has charts (${charts.length})`);
    for (const c of charts) check(c.rendered && c.marks > 0, `chart ${c.id} (${c.kind}) rendered ${c.marks} marks`);
    const kinds = new Set(charts.map((c) => c.kind));
    for (const k of (expectKinds || '').split(',').filter(Boolean)) check(kinds.has(k), `a ${k} chart is present`);

    // The stacked bars of each group sum to 1 (the page's data, read back from the DOM block).
    const compositionSums = await page.$$eval('script.orbiome-figure', (els) => els.map((e) => JSON.parse(e.textContent))
      .filter((f) => f.kind === 'stacked_bar')
      .map((f) => {
        const s = {};
        f.rows.forEach((r) => { s[r.group] = (s[r.group] || 0) + r.mean_relative_abundance; });
        return Object.values(s);
      }).flat());
    check(compositionSums.every((v) => Math.abs(v - 1) < 1e-9), `stacked bars sum to 1 per group (${compositionSums.length} bars)`);

    // --- a table sorts on a header click --------------------------------------------
    // The first results table with a p_value column (a study from reads starts with its QC
    // table), else the first one (a power report's).
    const tableId = await page.$$eval('table.results', (ts) => (ts.find((t) =>
      Array.from(t.querySelectorAll('th')).some((th) => th.textContent === 'p_value')) || ts[0]).getAttribute('data-table'));
    const details = page.locator(`details#${tableId}`);
    await details.locator('summary').click();
    // A study report's first table has p values; a power report's (report --power) has power.
    const headers = await page.$$eval(`table[data-table="${tableId}"] th`, (ths) => ths.map((th) => th.textContent));
    const sortBy = headers.includes('p_value') ? 'p_value' : 'power';
    const header = page.locator(`table[data-table="${tableId}"] th`, { hasText: new RegExp('^' + sortBy + '$') }).first();
    const colIndex = await header.evaluate((th) => Array.from(th.parentNode.children).indexOf(th));
    const readCol = () => page.$$eval(`table[data-table="${tableId}"] tbody tr`,
      (trs, i) => trs.map((tr) => tr.children[i].textContent), colIndex);
    const before = await readCol();
    await header.click();
    // Missing values (NA) always sort last; the order is checked on the numbers.
    const asc = (await readCol()).map(Number).filter((v) => !isNaN(v));
    const sortedAsc = asc.every((v, i) => i === 0 || asc[i - 1] <= v);
    check(sortedAsc, `table ${tableId}: clicking ${sortBy} sorts ascending (${asc.slice(0, 3).join(', ')} ...)`);
    check(JSON.stringify(before) !== JSON.stringify(asc.map(String)) || before.length < 2,
      `table ${tableId}: the order changed`);
    await header.click();
    const desc = (await readCol()).map(Number).filter((v) => !isNaN(v));
    check(desc.every((v, i) => i === 0 || desc[i - 1] >= v), `table ${tableId}: a second click sorts descending`);
    check(await header.getAttribute('aria-sort') === 'descending', 'the header shows the sort direction');

    // --- a figure's data downloads as TSV ---------------------------------------------
    const link = page.locator('figure.card a.download-tsv').first();
    const figureId = await link.evaluate((a) => a.closest('figure').id);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const saved = await download.path();
    const tsv = parseTsv(fs.readFileSync(saved, 'utf8'));
    const figure = await page.$eval(`#figure-data-${figureId}`, (e) => JSON.parse(e.textContent));
    check(download.suggestedFilename() === `${figureId}.tsv`, `download is named ${download.suggestedFilename()}`);
    check(JSON.stringify(tsv.header) === JSON.stringify(figure.columns), `TSV header is ${tsv.header.join(',')}`);
    check(tsv.rows.length === figure.rows.length, `TSV has the figure's ${figure.rows.length} rows`);
    const mismatch = tsv.rows.findIndex((cells, i) => figure.columns.some((c, j) => {
      const v = figure.rows[i][c];
      return typeof v === 'number' ? Number(cells[j]) !== v : cells[j] !== (v === null ? 'NA' : String(v));
    }));
    check(mismatch === -1, `TSV cells equal the figure data${mismatch === -1 ? '' : ' (first difference in row ' + mismatch + ')'}`);

    // --- no errors, no network --------------------------------------------------------
    check(consoleErrors.length === 0, `no console errors${consoleErrors.length ? ': ' + consoleErrors.join(' | ') : ''}`);
    check(external.length === 0, `no network requests${external.length ? ': ' + external.join(' ') : ''}`);

    await details.evaluate((d) => { d.open = false; });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    console.log(`screenshot: ${screenshotPath}`);
  } finally {
    await browser.close();
  }
  console.log(`${failures.length ? 'FAILED' : 'passed'}: ${failures.length} failed check(s)`);
  process.exit(failures.length ? 1 : 0);
})().catch((e) => {
  console.error('report_check: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
