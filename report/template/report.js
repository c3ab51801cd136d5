// orbiome report page: builds the sections, Vega-Lite charts and sortable tables from the JSON
// blocks that `orbiome report` embeds. Works from file:// with no network.
(function () {
  'use strict';

  // Tableau 10: distinguishable, colour-blind tolerant, prints well.
  const GROUP_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  // Tableau 20, saturated colours first so that neighbouring taxa never get a similar pair.
  const TAXON_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#edc948', '#76b7b2', '#9c755f', '#ff9da7',
    '#a0cbe8', '#ffbe7d', '#8cd17d', '#b6992d', '#86bcb6', '#ff9d9a', '#d4a6c8', '#d7b5a6', '#499894', '#d37295'];
  const OTHER_COLOUR = '#c9ccd1';
  const NS_COLOUR = '#c3c8cf';
  const FONT = '"Inter", "Segoe UI", "Helvetica Neue", "DejaVu Sans", Arial, sans-serif';

  const readBlock = (el) => JSON.parse(el.textContent);
  const meta = readBlock(document.getElementById('orbiome-meta'));
  // The sections in page order, with their headings and layouts, come from the report's data
  // (the section registry in src/report/load_study.cpp), so that a new section needs no change here.
  const SECTIONS = meta.sections;
  const figures = Array.from(document.querySelectorAll('script.orbiome-figure')).map(readBlock);
  const tables = Array.from(document.querySelectorAll('script.orbiome-table')).map(readBlock);

  const groupColour = {};
  meta.groups.forEach((g, i) => { groupColour[g] = GROUP_COLOURS[i % GROUP_COLOURS.length]; });
  const groupScale = (groups) => ({ domain: groups, range: groups.map((g) => groupColour[g] || '#888') });

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v);
    });
    (children || []).forEach((c) => e.appendChild(c));
    return e;
  }

  // ---- Vega-Lite specifications, one builder per figure kind ----------------------------
  const CONFIG = {
    font: FONT,
    view: { stroke: null },
    axis: { labelFontSize: 11.5, titleFontSize: 12, titleFontWeight: 600, labelColor: '#3b4452', titleColor: '#1d2430',
      gridColor: '#edf0f4', domainColor: '#9aa3b0', tickColor: '#9aa3b0' },
    legend: { labelFontSize: 11.5, titleFontSize: 12, titleFontWeight: 600, symbolSize: 90 },
  };

  function stackedBar(f) {
    const taxa = f.params.taxa;
    const colours = taxa.map((t, i) => (t === 'Other' ? OTHER_COLOUR : TAXON_COLOURS[i % TAXON_COLOURS.length]));
    return {
      width: 'container', height: 320,
      data: { values: f.rows },
      mark: { type: 'bar', stroke: '#fff', strokeWidth: 0.4, width: { band: 0.78 } },
      encoding: {
        x: { field: 'group', type: 'nominal', sort: f.params.groups, title: null, axis: { labelAngle: 0 } },
        y: { field: 'mean_relative_abundance', type: 'quantitative', stack: 'zero', title: 'Mean relative abundance',
          axis: { format: '.0%' }, scale: { domain: [0, 1] } },
        color: { field: 'taxon', type: 'nominal', title: f.params.rank, scale: { domain: taxa, range: colours },
          legend: { labelLimit: 260 } },
        order: { field: 'order', type: 'quantitative' },
        tooltip: [{ field: 'group' }, { field: 'taxon' },
          { field: 'mean_relative_abundance', title: 'mean relative abundance', format: '.2%' }, { field: 'n_samples' }],
      },
    };
  }

  function jitter(id) {
    // A fixed pseudo-random offset per sample, so the picture is the same on every load.
    let h = 2166136261;
    for (let i = 0; i < id.length; i++) { h ^= id.charCodeAt(i); h = Math.imul(h, 16777619); }
    return ((h >>> 0) % 1000) / 1000 - 0.5;
  }

  function box(f) {
    const y = f.params.y_field;
    const groups = f.params.groups.filter((g) => f.rows.some((r) => r.group === g));
    const values = f.rows.map((r) => Object.assign({ jitter: jitter(r.sample_id) }, r));
    const x = { field: 'group', type: 'nominal', sort: groups, title: null, axis: { labelAngle: 0 } };
    const yEnc = { field: y, type: 'quantitative', title: f.params.y_title, scale: { zero: false } };
    return {
      width: 'container', height: 250,
      data: { values: values },
      layer: [
        { mark: { type: 'boxplot', extent: 1.5, size: 34, outliers: false, median: { color: '#1d2430', strokeWidth: 2 },
          rule: { color: '#6b7483' }, box: { opacity: 0.35 } },
          encoding: { x: x, y: yEnc, color: { field: 'group', scale: groupScale(groups), legend: null } } },
        { mark: { type: 'point', filled: true, size: 34, opacity: 0.9, stroke: '#fff', strokeWidth: 0.6, xOffset: { expr: 'datum.jitter * 30' } },
          encoding: { x: x, y: yEnc,
            color: { field: 'group', scale: groupScale(groups), legend: null },
            tooltip: [{ field: 'sample_id', title: 'sample' }, { field: 'group' }, { field: y, title: f.params.y_title, format: '.4~g' }] } },
      ],
    };
  }

  function pcoa(f) {
    const groups = f.params.groups.filter((g) => f.rows.some((r) => r.group === g));
    return {
      width: 'container', height: 300,
      data: { values: f.rows },
      mark: { type: 'point', filled: true, size: 80, opacity: 0.88, stroke: '#fff', strokeWidth: 0.8 },
      encoding: {
        x: { field: 'PC1', type: 'quantitative', title: f.params.x_title, scale: { zero: false, nice: true } },
        y: { field: 'PC2', type: 'quantitative', title: f.params.y_title, scale: { zero: false, nice: true } },
        color: { field: 'group', type: 'nominal', title: 'Group', scale: groupScale(groups) },
        shape: { field: 'group', type: 'nominal', scale: { domain: groups } },
        tooltip: [{ field: 'sample_id', title: 'sample' }, { field: 'group' }, { field: 'PC1', format: '.3f' }, { field: 'PC2', format: '.3f' }],
      },
    };
  }

  function volcano(f) {
    const classes = f.params.classes;
    const cg = f.params.class_groups || [];
    const range = [cg[0] ? groupColour[cg[0]] || '#d1495b' : '#d1495b', cg[1] ? groupColour[cg[1]] || '#2e86ab' : '#2e86ab', NS_COLOUR];
    const maxAbs = Math.max(1, ...f.rows.map((r) => Math.abs(r.effect)));
    return {
      width: 'container', height: 300,
      data: { values: f.rows },
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 4], color: '#8a93a0' }, data: { values: [{ y: f.params.q_line }] },
          encoding: { y: { field: 'y', type: 'quantitative' } } },
        { mark: { type: 'rule', color: '#d5dae1' }, data: { values: [{ x: 0 }] }, encoding: { x: { field: 'x', type: 'quantitative' } } },
        { mark: { type: 'circle', size: 46, opacity: 0.85, stroke: '#fff', strokeWidth: 0.5 },
          encoding: {
            x: { field: 'effect', type: 'quantitative', title: f.params.x_title, scale: { domain: [-maxAbs * 1.05, maxAbs * 1.05] } },
            y: { field: 'neg_log10_q', type: 'quantitative', title: '−log10 q', scale: { domain: [0, f.params.y_max || 1], nice: false } },
            color: { field: 'class', type: 'nominal', title: null, scale: { domain: classes, range: range }, legend: { orient: 'top' } },
            order: { field: 'neg_log10_q', type: 'quantitative' },
            tooltip: [{ field: 'feature' }, { field: 'effect', format: '.3f' }, { field: 'p_value', format: '.3g' }, { field: 'q_value', format: '.3g' }],
          } },
        // Labels were placed in C++ (sections.cpp) so that none overlaps another: each side its own layer.
        { mark: { type: 'text', fontSize: 10.5, align: 'left', baseline: 'bottom', color: '#2b3340' },
          transform: [{ filter: 'datum.label != "" && datum.label_side == "right"' }],
          encoding: { x: { field: 'label_x', type: 'quantitative' }, y: { field: 'label_y', type: 'quantitative' }, text: { field: 'label' } } },
        { mark: { type: 'text', fontSize: 10.5, align: 'right', baseline: 'bottom', color: '#2b3340' },
          transform: [{ filter: 'datum.label != "" && datum.label_side == "left"' }],
          encoding: { x: { field: 'label_x', type: 'quantitative' }, y: { field: 'label_y', type: 'quantitative' }, text: { field: 'label' } } },
      ],
    };
  }

  function heatmap(f) {
    const nv = f.params.variables.length;
    const nf = f.params.features.length;
    const x = { field: 'variable', type: 'nominal', sort: f.params.variables, title: null, axis: { labelAngle: -40, labelLimit: 160 } };
    const y = { field: 'feature', type: 'nominal', sort: f.params.features, title: null, axis: { labelLimit: 220 } };
    return {
      width: Math.max(220, 28 * nv), height: Math.max(160, 22 * nf),
      data: { values: f.rows },
      encoding: { x: x, y: y },
      layer: [
        { mark: { type: 'rect', stroke: '#fff', strokeWidth: 0.6 },
          encoding: { color: { field: 'coefficient', type: 'quantitative', title: 'coefficient',
            scale: { scheme: 'redblue', domain: [-1, 1], reverse: true } },
          tooltip: [{ field: 'feature' }, { field: 'variable' }, { field: 'coefficient', format: '.3f' }, { field: 'q_value', format: '.3g' }] } },
        { mark: { type: 'text', fontSize: 12, fontWeight: 700, baseline: 'middle', dy: 1 },
          encoding: { text: { field: 'mark' },
            color: { condition: { test: 'abs(datum.coefficient) > 0.6', value: '#ffffff' }, value: '#1d2430' } } },
      ],
    };
  }

  // Power (or false-positive rate) against animals per group, one line per method, with its
  // 95 % Monte-Carlo interval as a band and the target (or alpha) as a dashed line.
  function powerCurve(f) {
    const p = f.params;
    const colour = { field: 'method', type: 'nominal', title: 'Method',
      scale: { domain: p.methods, range: p.methods.map((m, i) => GROUP_COLOURS[i % GROUP_COLOURS.length]) },
      legend: { orient: 'bottom', symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 } };
    const ns = Array.from(new Set(f.rows.map((r) => r.n_per_group))).sort((a, b) => a - b);
    const x = { field: 'n_per_group', type: 'quantitative', title: 'Animals per group', axis: { values: ns, format: 'd' },
      scale: { domain: [0, ns[ns.length - 1] || 1] } };
    // Power spans 0..1; a false-positive rate is read near alpha, so its axis stops above the largest interval.
    const top = p.y === 'power' ? 1 : Math.min(1, Math.max(0.2, ...f.rows.map((r) => r[p.y + '_high'] * 1.1)));
    const y = { type: 'quantitative', scale: { domain: [0, top] } };
    return {
      width: 'container', height: 260,
      data: { values: f.rows },
      layer: [
        { mark: { type: 'area', opacity: 0.16 },
          encoding: { x: x, y: Object.assign({ field: p.y + '_low', title: p.y_title }, y), y2: { field: p.y + '_high' },
            color: colour } },
        { mark: { type: 'rule', strokeDash: [5, 4], color: '#8a93a0' }, data: { values: [{ line: p.line }] },
          encoding: { y: { field: 'line', type: 'quantitative' } } },
        // The pilot's group size (the n the data came from), when the table names it.
        ...(p.pilot_n ? [{ mark: { type: 'rule', strokeDash: [2, 3], color: '#6b7483' }, data: { values: [{ n: p.pilot_n }] },
          encoding: { x: { field: 'n', type: 'quantitative' } } },
        { mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 2, fontSize: 10.5, color: '#4a5361' },
          data: { values: [{ n: p.pilot_n, y: top, label: 'pilot: ' + p.pilot_n }] },
          encoding: { x: { field: 'n', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } } }] : []),
        { mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 46 } },
          encoding: { x: x, y: Object.assign({ field: p.y, title: p.y_title, axis: { format: '.0%' } }, y), color: colour,
            tooltip: [{ field: 'method' }, { field: 'n_per_group', title: 'per group' }, { field: 'fold' },
              { field: p.y, format: '.3f' }, { field: p.y + '_low', format: '.3f' }, { field: p.y + '_high', format: '.3f' }] } },
      ],
    };
  }

  const BUILDERS = { stacked_bar: stackedBar, box: box, pcoa: pcoa, volcano: volcano, heatmap: heatmap, power_curve: powerCurve };

  // ---- TSV downloads --------------------------------------------------------------------
  function tsvCell(v) {
    if (v === null || v === undefined) return 'NA';
    return String(v).replace(/[\t\n\r]/g, ' ');
  }
  function toTsv(columns, rows) {
    const lines = [columns.join('\t')];
    rows.forEach((r) => lines.push((Array.isArray(r) ? r : columns.map((c) => r[c])).map(tsvCell).join('\t')));
    return lines.join('\n') + '\n';
  }
  function downloadLink(label, name, text) {
    const a = el('a', { class: 'btn download-tsv', download: name, text: label });
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/tab-separated-values' }));
    return a;
  }
  function saveUrl(url, name) {
    const a = el('a', { download: name });
    a.href = url;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  // ---- sortable tables ------------------------------------------------------------------
  function formatCell(v, numeric) {
    if (v === null || v === undefined) return 'NA';
    if (!numeric || typeof v !== 'number') return String(v);
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
  }
  function sortRows(rows, col, numeric, dir) {
    const missing = (v) => v === null || v === undefined || (typeof v === 'number' && isNaN(v));
    return rows.slice().sort((a, b) => {
      const x = a[col], y = b[col];
      if (missing(x) || missing(y)) return missing(x) - missing(y);  // missing values always last
      const c = numeric ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
      return dir * c;
    });
  }
  function buildTable(t) {
    const table = el('table', { class: 'results', 'data-table': t.id });
    const thead = el('thead');
    const headRow = el('tr');
    const tbody = el('tbody');
    let rows = t.rows;
    const qCol = t.columns.indexOf('q_value');
    const fill = () => {
      tbody.textContent = '';
      rows.forEach((r) => {
        const tr = el('tr');
        r.forEach((v, i) => {
          const td = el('td', { text: formatCell(v, t.numeric[i]) });
          if (t.numeric[i]) td.className = 'num';
          if (i === qCol && typeof v === 'number' && v < 0.05) td.className += ' sig';
          tr.appendChild(td);
        });
        tbody.appendChild(tr);
      });
    };
    t.columns.forEach((c, i) => {
      const th = el('th', { text: c, scope: 'col', title: 'Sort by ' + c });
      if (t.numeric[i]) th.className = 'num';
      th.addEventListener('click', () => {
        const dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
        headRow.querySelectorAll('th').forEach((h) => h.removeAttribute('aria-sort'));
        th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
        rows = sortRows(t.rows, i, t.numeric[i], dir);
        fill();
      });
      headRow.appendChild(th);
    });
    thead.appendChild(headRow);
    table.appendChild(thead);
    table.appendChild(tbody);
    fill();
    const summary = el('summary', { text: t.title });
    summary.appendChild(el('span', { class: 'count', text: t.rows.length + ' rows' }));
    const tools = el('div', { class: 'tools' }, [downloadLink('Table (TSV)', t.id + '.tsv', toTsv(t.columns, t.rows))]);
    // The full result file sits next to the report in the study folder.
    if (t.source) tools.appendChild(el('a', { class: 'btn', href: t.source, text: 'Full results: ' + t.source }));
    return el('details', { class: 'table-card', id: t.id }, [summary, el('div', { class: 'table-scroll' }, [table]), tools]);
  }

  // ---- page -----------------------------------------------------------------------------
  function header() {
    const m = document.getElementById('report-meta');
    const bits = [];
    if (meta.version) bits.push('orbiome ' + meta.version);
    // A report of a power table alone has no samples.
    if (meta.n_samples_total) {
      bits.push(meta.n_samples + ' samples analysed' +
        (meta.n_samples_total !== meta.n_samples ? ' (' + meta.n_samples_total + ' before rarefaction)' : ''));
    }
    m.appendChild(document.createTextNode(bits.join(' · ') + '   '));
    meta.groups.forEach((g) => {
      const chip = el('span', { class: 'chip' }, [el('i', { style: 'background:' + groupColour[g] })]);
      chip.appendChild(document.createTextNode(g));
      m.appendChild(chip);
    });
  }

  const pending = [];
  function buildFigure(f) {
    const chart = el('div', { class: 'chart', 'data-figure': f.id, 'data-kind': f.kind });
    const card = el('figure', { class: 'card', id: f.id }, [
      el('h3', { text: f.title }), el('p', { class: 'subtitle', text: f.subtitle || '' }), chart]);
    const tools = el('div', { class: 'tools' }, [downloadLink('Data (TSV)', f.id + '.tsv', toTsv(f.columns, f.rows))]);
    card.appendChild(tools);
    const spec = Object.assign({ config: CONFIG, background: 'white', padding: 6 }, BUILDERS[f.kind](f));
    const done = vegaEmbed(chart, spec, { actions: false, renderer: 'svg', mode: 'vega-lite' }).then((res) => {
      chart.setAttribute('data-rendered', 'true');
      const svg = el('button', { class: 'btn', type: 'button', text: 'SVG' });
      svg.addEventListener('click', () => res.view.toImageURL('svg').then((u) => saveUrl(u, f.id + '.svg')));
      const png = el('button', { class: 'btn', type: 'button', text: 'PNG' });
      png.addEventListener('click', () => res.view.toImageURL('png', 3).then((u) => saveUrl(u, f.id + '.png')));
      tools.insertBefore(png, tools.firstChild);
      tools.insertBefore(svg, tools.firstChild);
    }).catch((err) => {
      chart.appendChild(el('p', { class: 'error', text: 'Chart failed: ' + err }));
      console.error('orbiome report: figure ' + f.id + ': ' + err);
    });
    pending.push(done);
    return card;
  }

  function methods(main, nav) {
    if (!meta.methods.length && !meta.warnings.length) return;
    nav.appendChild(el('a', { href: '#methods', text: 'Methods' }));
    const parts = [el('h2', { text: 'Methods' })];
    if (meta.warnings.length)
      parts.push(el('div', { class: 'warnings' }, meta.warnings.map((w) => el('p', { text: '⚠ ' + w }))));
    parts.push(el('ul', { class: 'methods' }, meta.methods.map((m) => el('li', { text: m }))));
    main.appendChild(el('section', { id: 'methods' }, parts));
  }

  function build() {
    header();
    const main = document.getElementById('report-main');
    const nav = document.getElementById('report-nav');
    methods(main, nav);
    SECTIONS.forEach((s) => {
      const figs = figures.filter((f) => f.section === s.id);
      const tabs = tables.filter((t) => t.section === s.id);
      if (!figs.length && !tabs.length) return;
      nav.appendChild(el('a', { href: '#' + s.id, text: s.title }));
      // Box plots of more than four groups need the width of two columns.
      const layout = s.layout === 'four' && meta.groups.length > 4 ? 'two' : s.layout;
      const grid = el('div', { class: 'grid ' + layout }, figs.map(buildFigure));
      main.appendChild(el('section', { id: s.id }, [el('h2', { text: s.title }), el('p', { class: 'lead', text: s.lead }), grid]
        .concat(tabs.map(buildTable))));
    });
    const footer = document.getElementById('report-footer');
    const line = 'Written by ' + (meta.generator || 'orbiome') + '. Charts: Vega-Lite ' + vegaLite.version + ', Vega ' + vega.version +
      ', vega-embed ' + vegaEmbed.version + ' (embedded; this page uses no network).';
    footer.appendChild(el('p', { text: line }));
    if (meta.skipped.length) {
      footer.appendChild(el('p', { text: 'Not drawn:' }));
      footer.appendChild(el('ul', {}, meta.skipped.map((s) => el('li', { text: s }))));
    }
    Promise.all(pending).then(() => { document.body.setAttribute('data-render-state', 'done'); });
  }

  build();
})();
