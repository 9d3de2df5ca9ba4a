// The local board as one self-contained page: every answer drawn with Observable Plot (and d3,
// which it draws with), both inlined from their packages, so the page opens from the disk with
// no network, and the data inlined as JSON.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Answer } from './board.ts';

/** A package's file, found the way Node finds the package (its exports do not list dist/). */
function library(pkg: string, file: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const path = join(dir, 'node_modules', pkg, file);
    if (existsSync(path)) return readFileSync(path, 'utf8');
    if (dirname(dir) === dir) throw new Error(`${pkg}/${file} is not installed: npm ci installs it`);
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderPage(answers: Answer[], meta: { source: string; spans: number; metrics: number }): string {
  const data = answers.map((a) => ({
    name: a.query.name,
    description: a.query.description,
    dataset: a.dataset,
    breakdowns: a.query.spec.breakdowns ?? [],
    labels: a.labels,
    rows: a.rows,
    series: a.series,
    heatmap: a.heatmap,
    from: a.from,
    to: a.to,
  }));
  // The data goes in as JSON inside a script element: "</" would end it early.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cruddur week 2: the week's questions, locally</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; background: #0f1117; color: #e8e6ef; }
  header { padding: 20px 24px 8px; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  header p { margin: 0; color: #a9a4b8; }
  main { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(520px, 100%), 1fr)); gap: 16px; padding: 16px 24px 32px; }
  section { background: #181b24; border: 1px solid #2b2f3d; border-radius: 10px; padding: 14px 16px; overflow-x: auto; }
  h2 { font-size: 16px; margin: 0 0 2px; }
  .about { color: #a9a4b8; font-size: 13px; margin: 0 0 10px; }
  .empty { color: #a9a4b8; font-style: italic; }
  table { border-collapse: collapse; font-size: 13px; width: 100%; }
  th, td { text-align: left; padding: 3px 8px 3px 0; border-bottom: 1px solid #2b2f3d; }
  td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
  svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<header>
  <h1>The week's questions, answered locally</h1>
  <p>${escapeHtml(meta.source)}: ${meta.spans} spans, ${meta.metrics} metric points, the last 24 hours. The same queries npm run honeycomb:board saves in Honeycomb.</p>
</header>
<main id="board"></main>
<script>${library('d3', 'dist/d3.min.js')}</script>
<script>${library('@observablehq/plot', 'dist/plot.umd.min.js')}</script>
<script type="application/json" id="answers">${json}</script>
<script>
const answers = JSON.parse(document.getElementById('answers').textContent);
const board = document.getElementById('board');
const ink = { fill: '#b286ff', stroke: '#b286ff' };
const style = { background: 'transparent', color: '#e8e6ef', fontSize: '12px' };
const number = d3.format(',.4~r');
const short = d3.format('.3~s');
// A chart's steps as times: the answer's window cut in as many steps as it has.
const timeOf = (a, step, steps) => new Date(Date.parse(a.from) + ((Date.parse(a.to) - Date.parse(a.from)) * step) / steps);
for (const a of answers) {
  const section = document.createElement('section');
  const h2 = document.createElement('h2');
  h2.textContent = a.name;
  const about = document.createElement('p');
  about.className = 'about';
  about.textContent = a.description + ' (' + a.dataset + ')';
  section.append(h2, about);
  // In the page first, so each chart is drawn at its card's width (a phone's too), not scaled down.
  board.append(section);
  const width = Math.max(260, section.clientWidth - 34);
  const value = a.labels[0];
  const has = a.rows.some((r) => a.labels.some((l) => r[l]));
  if (!has) {
    const p = document.createElement('p');
    p.className = 'empty';
    p.textContent = 'No data yet.';
    section.append(p);
  } else if (a.heatmap) {
    const h = a.heatmap;
    const size = (h.hi - h.lo) / h.bands;
    const cells = [];
    h.cells.forEach((row, band) => row.forEach((n, step) => { if (n) cells.push({ t1: timeOf(a, step, h.steps), t2: timeOf(a, step + 1, h.steps), y1: h.lo + size * band, y2: h.lo + size * (band + 1), n }); }));
    section.append(Plot.plot({ style, width, height: 240, marginLeft: 50, x: { type: 'time', label: null }, y: { label: value.replace('HEATMAP(', '').replace(')', ''), grid: true },
      color: { type: 'linear', range: ['#3a2a5c', '#e9d8ff'], legend: true, label: 'requests' },
      marks: [Plot.rect(cells, { x1: 't1', x2: 't2', y1: 'y1', y2: 'y2', fill: 'n', inset: 0.5 })] }));
  } else if (a.breakdowns.length) {
    const top = a.rows.slice(0, 12).map((r) => ({ ...r, group: a.breakdowns.map((b) => r[b] ?? '–').join(' · ') }));
    // A label longer than the margin keeps its end (routes differ at the end); the table has it whole.
    const margin = Math.min(200, width / 2.4);
    const fits = Math.floor(margin / 7.6);
    const fit = (s) => (s.length > fits ? '…' + s.slice(s.length - fits + 1) : s);
    section.append(Plot.plot({ style, width, marginLeft: margin, marginRight: 56, height: 40 + top.length * 24, x: { label: value, grid: true, tickFormat: short }, y: { label: null, tickFormat: fit },
      marks: [Plot.barX(top, { x: value, y: 'group', sort: { y: '-x' }, ...ink }), Plot.text(top, { x: value, y: 'group', text: (d) => short(d[value]), dx: 4, textAnchor: 'start', fill: '#e8e6ef' })] }));
    const table = document.createElement('table');
    const head = [...a.breakdowns, ...a.labels];
    table.innerHTML = '<tr>' + head.map((h, i) => '<th class="' + (i >= a.breakdowns.length ? 'n' : '') + '"></th>').join('') + '</tr>';
    head.forEach((h, i) => (table.rows[0].cells[i].textContent = h));
    for (const r of a.rows.slice(0, 12)) {
      const tr = table.insertRow();
      head.forEach((h, i) => { const td = tr.insertCell(); td.textContent = r[h] === null ? '–' : typeof r[h] === 'number' ? number(r[h]) : r[h]; if (i >= a.breakdowns.length) td.className = 'n'; });
    }
    section.append(table);
  } else if (a.series) {
    const points = a.series.map((v, step) => ({ t: timeOf(a, step + 0.5, a.series.length), v })).filter((d) => d.v !== null);
    section.append(Plot.plot({ style, width, height: 200, marginLeft: 56, x: { type: 'time', label: null }, y: { label: value, grid: true, tickFormat: short },
      marks: [Plot.lineY(points, { x: 't', y: 'v', stroke: '#b286ff', strokeWidth: 2 }), Plot.dot(points, { x: 't', y: 'v', fill: '#b286ff', r: 2 })] }));
  }
}
</script>
</body>
</html>
`;
}
