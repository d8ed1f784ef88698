// The bitget-orders web page: plain JavaScript, no build step, served from the API's own origin.
// It talks to the API with JSON (and the x-api-key header when the deployment asks for one) and follows the
// runs through GET /runs/events, read as a stream of server-sent events.
/* global document, window, location, fetch, sessionStorage, setTimeout, URL, URLSearchParams, TextDecoderStream */
'use strict';

(function () {
  const $ = (selector) => document.querySelector(selector);
  const state = {
    key: sessionStorage.getItem('bitget-orders-key') || '',
    keyRequired: false,
    runs: [],
    current: null, // the execution ARN the run page shows
    reportShownFor: null,
  };

  function headers(extra) {
    const h = Object.assign({ accept: 'application/json' }, extra || {});
    if (state.key) h['x-api-key'] = state.key;
    return h;
  }

  async function api(path, options) {
    const opts = options || {};
    const init = { method: opts.method || 'GET', headers: headers(opts.headers) };
    if (opts.body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(opts.body);
    }
    const res = await fetch(path, init);
    const text = await res.text();
    let body;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = { message: text };
    }
    if (res.status === 401) askForKey();
    if (!res.ok) throw new Error((body && body.message) || res.status + ' ' + res.statusText);
    return body;
  }

  function notice(message, isError) {
    const p = $('#notice');
    p.textContent = message;
    p.className = isError ? 'error' : 'ok';
    p.hidden = !message;
  }

  function askForKey() {
    state.keyRequired = true;
    $('#key-form').hidden = false;
  }

  const enc = encodeURIComponent;
  const pad = (n) => String(n).padStart(2, '0');
  function utc(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return (
      d.getUTCFullYear() +
      '-' +
      pad(d.getUTCMonth() + 1) +
      '-' +
      pad(d.getUTCDate()) +
      ' ' +
      pad(d.getUTCHours()) +
      ':' +
      pad(d.getUTCMinutes()) +
      ':' +
      pad(d.getUTCSeconds())
    );
  }
  function duration(ms) {
    if (ms === null || ms === undefined) return '—';
    const s = Math.round(ms / 1000);
    if (s < 60) return s + ' s';
    const m = Math.floor(s / 60);
    return m < 60 ? m + ' min ' + (s % 60) + ' s' : Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }
  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '' : String(text);
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }
  function bar(fraction) {
    const outer = document.createElement('div');
    outer.className = 'bar';
    const inner = document.createElement('div');
    inner.style.width = Math.round(Math.max(0, Math.min(1, fraction)) * 100) + '%';
    outer.appendChild(inner);
    return outer;
  }

  // ---- the runs, pushed by the server ---------------------------------------------------------------------

  function renderRuns() {
    const body = $('#runs tbody');
    body.textContent = '';
    $('#no-runs').hidden = state.runs.length > 0;
    for (const run of state.runs) {
      const tr = document.createElement('tr');
      tr.dataset.arn = run.executionArn;
      cell(tr, utc(run.startDate.iso));
      const name = cell(tr, '');
      const a = document.createElement('a');
      a.href = '#run/' + enc(run.executionArn);
      a.textContent = run.runId || run.name;
      name.appendChild(a);
      cell(tr, run.status, 'status ' + run.status.toLowerCase());
      const p = run.progress;
      cell(tr, p ? p.orders : run.orders, 'num orders');
      cell(tr, p ? p.requestsPerSecond.toFixed(1) : '', 'num rate');
      const progress = cell(tr, '');
      if (p) progress.appendChild(bar(p.fraction));
      else if (run.status === 'SUCCEEDED') progress.textContent = 'imported ' + run.import.importedOrders;
      cell(tr, p ? duration(p.etaMs) : '', 'eta');
      body.appendChild(tr);
    }
  }

  async function followRuns() {
    for (;;) {
      try {
        const res = await fetch('/runs/events', { headers: headers({ accept: 'text/event-stream' }) });
        if (res.status === 401) {
          askForKey();
          $('#live').textContent = 'needs the API key';
          return;
        }
        if (!res.ok || !res.body) throw new Error('events answered ' + res.status);
        if ((res.headers.get('content-type') || '').startsWith('application/json')) {
          // A deployment that cannot stream (the Lambda) answers one event: ask again in a moment.
          showRuns(await res.json());
          $('#live').textContent = 'refreshed every 2 s';
          await new Promise((resolve) => setTimeout(resolve, 2000));
          continue;
        }
        $('#live').textContent = 'live';
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) break;
          buffer += chunk.value;
          let end;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            onEvent(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch {
        $('#live').textContent = 'reconnecting…';
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }

  function onEvent(block) {
    let type = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trim());
    }
    if (type === 'runs') showRuns(JSON.parse(data.join('\n')));
  }

  function showRuns(event) {
    state.runs = event.runs;
    renderRuns();
    if (state.current) {
      const run = state.runs.find((r) => r.executionArn === state.current);
      if (!run) return;
      // The run ended or its import moved on: read it again (its result, report and orders appear).
      if (run.status + ':' + run.import.status !== lastStatus) void showRun(run.executionArn);
      else renderRunLive(run);
    }
  }

  // ---- the start form ---------------------------------------------------------------------------------------

  function dayMs(value) {
    return value ? Date.parse(value + 'T00:00:00Z') : undefined;
  }

  async function startRun(event) {
    event.preventDefault();
    const form = event.target;
    const checked = (name) =>
      [...form.querySelectorAll('input[name="' + name + '"]:checked')].map((i) => i.value);
    const body = { markets: checked('markets'), kinds: checked('kinds') };
    const symbols = form.symbols.value
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((s) => s.toUpperCase());
    if (symbols.length) body.symbols = symbols;
    const since = dayMs(form.since.value);
    const until = dayMs(form.until.value);
    if (since !== undefined) body.since = since;
    if (until !== undefined) body.until = until;
    try {
      const started = await api('/extract-orders', { method: 'POST', body });
      location.hash = '#run/' + enc(started.executionArn);
    } catch (e) {
      notice('The run did not start: ' + e.message, true);
    }
  }

  // ---- a run's page -----------------------------------------------------------------------------------------

  function fact(dl, term, value) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value === null || value === undefined || value === '' ? '—' : String(value);
    dl.append(dt, dd);
  }

  function renderRunLive(run) {
    const p = run.progress;
    $('#stop').hidden = !p;
    $('#run-progress').hidden = !p;
    if (!p) return;
    $('#run-bar').style.width = Math.round(p.fraction * 100) + '%';
    $('#run-progress-text').textContent =
      p.stage +
      ': ' +
      p.orders +
      ' orders, ' +
      p.requests +
      ' requests (' +
      p.requestsPerSecond.toFixed(1) +
      '/s), lanes ' +
      p.lanesDone +
      '/' +
      p.lanesTotal +
      ', ETA ' +
      duration(p.etaMs);
    const body = $('#lanes tbody');
    body.textContent = '';
    for (const lane of p.lanes) {
      const tr = document.createElement('tr');
      cell(tr, lane.laneId);
      cell(tr, lane.orders, 'num');
      cell(tr, lane.requests, 'num');
      cell(tr, lane.retries, 'num');
      cell(tr, lane.http429, 'num');
      cell(tr, '').appendChild(bar(lane.covered));
      body.appendChild(tr);
    }
  }

  let lastStatus = null;
  async function showRun(arn) {
    state.current = arn;
    const view = await api('/orders/' + enc(arn));
    const changed = lastStatus !== view.status + ':' + view.import.status;
    lastStatus = view.status + ':' + view.import.status;
    $('#run-title').textContent = view.name;
    const dl = $('#run-facts');
    dl.textContent = '';
    fact(dl, 'Status', view.status);
    fact(dl, 'Started', utc(view.timing.startDate));
    fact(dl, 'Stopped', utc(view.timing.stopDate));
    fact(dl, 'Duration', view.timing.duration);
    const req = view.request || {};
    fact(dl, 'Markets', (req.markets || []).join(', '));
    fact(dl, 'Kinds', (req.kinds || []).join(', '));
    fact(dl, 'Symbols', req.symbols ? req.symbols.join(', ') : 'every symbol');
    fact(dl, 'Orders', view.result ? view.result.orders : null);
    fact(dl, 'Complete', view.result ? String(view.result.complete) : null);
    fact(dl, 'Imported', view.import.status + ' (' + view.import.importedOrders + ')');
    if (view.error) fact(dl, 'Error', view.error + ': ' + (view.cause || ''));

    if (view.progress) renderRunLive({ progress: view.progress });
    else $('#run-progress').hidden = true;

    const summary = view.result && view.result.summary;
    $('#run-errors').hidden = !summary;
    if (summary) {
      // One column per category: the names over their counts.
      const body = $('#errors tbody');
      body.textContent = '';
      const names = document.createElement('tr');
      const counts = document.createElement('tr');
      for (const [category, value] of Object.entries(summary.error_summary)) {
        const th = document.createElement('th');
        th.textContent = category;
        th.className = 'num';
        names.appendChild(th);
        cell(counts, value.count, 'num' + (value.count ? ' bad' : ''));
      }
      body.append(names, counts);
    }
    const runId = view.result && view.result.ordersJsonlKey ? view.result.ordersJsonlKey.split('/')[1] : null;
    $('#run-files').hidden = !runId;
    $('#run-report').hidden = !runId;
    if (runId) {
      renderFiles(runId);
      if (state.reportShownFor !== runId) void showReport(runId);
    }
    $('#run-orders').hidden = view.import.status !== 'imported';
    if (view.import.status === 'imported' && changed) void runOrders.load([]);
  }

  function renderFiles(runId) {
    const ul = $('#files');
    ul.textContent = '';
    const files = [
      ['orders.jsonl', 'JSONL (one canonical order per line)'],
      ['orders.csv', 'CSV (ISO 8601 times beside epoch ms)'],
      ['orders.parquet', 'Parquet'],
      ['orders.json', 'JSON'],
      ['summary.json', 'Summary'],
      ['report.html', 'Report (HTML)'],
    ];
    for (const [name, label] of files) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      const url = '/runs/' + enc(runId) + '/files/' + enc(name);
      a.textContent = label;
      a.dataset.file = name;
      if (state.keyRequired) {
        // Links cannot carry the key: fetch the file with it and hand the browser the bytes.
        a.href = '#';
        a.addEventListener('click', (event) => {
          event.preventDefault();
          void download(url, runId + '-' + name);
        });
      } else {
        a.href = url;
        a.download = runId + '-' + name;
      }
      li.appendChild(a);
      ul.appendChild(li);
    }
  }

  async function download(url, filename) {
    const res = await fetch(url, { headers: headers({ accept: '*/*' }) });
    if (!res.ok) return notice('The download failed: ' + res.status, true);
    const blob = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = blob;
    a.download = filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(blob), 10000);
  }

  async function showReport(runId) {
    state.reportShownFor = runId;
    const url = '/runs/' + enc(runId) + '/report';
    $('#report-link').href = url;
    const frame = $('#report');
    if (!state.keyRequired) {
      frame.src = url;
      return;
    }
    const res = await fetch(url, { headers: headers({ accept: 'text/html' }) });
    frame.srcdoc = res.ok ? await res.text() : '<p>The report could not be read (' + res.status + ').</p>';
  }

  // ---- the orders table: filters and keyset pages (one template, a run's orders and the archive's) ---------

  /**
   * Fills `section`'s .orders-browser with a copy of the page's orders table (#orders-browser: filters, rows,
   * first/next page buttons) and wires it. `source` says how to read one page: `read(query)` asks the API,
   * `time(value)` turns a typed From/To into what that endpoint takes (it may throw, naming the value),
   * `created(order)` reads the creation time of the answer's shape, `count(page, later)` is the line shown in
   * `countOf`, `what` names the orders in a failure. Returns `load(cursors)` and `reset()`.
   */
  function ordersBrowser(section, countOf, source) {
    const copy = $('#orders-browser').content.cloneNode(true);
    section.querySelector('.orders-browser').appendChild(copy);
    const form = section.querySelector('form.filters');
    const rows = section.querySelector('table.orders tbody');
    const first = section.querySelector('.first-page');
    const next = section.querySelector('.next-page');
    let cursors = []; // keyset cursors: the one that produced the page shown is last

    async function load(from) {
      cursors = from;
      try {
        const q = new URLSearchParams();
        for (const name of ['market', 'kind', 'symbol', 'status', 'since', 'until']) {
          const value = form.elements[name].value.trim();
          if (value) q.set(name, name === 'since' || name === 'until' ? source.time(value) : value);
        }
        q.set('limit', '50');
        const after = cursors[cursors.length - 1];
        if (after) q.set('after', after);
        const page = await source.read(q);
        renderOrderRows(rows, page.orders, source.created);
        countOf.textContent = source.count(page, !!after);
        next.disabled = !page.next;
        next.dataset.next = page.next || '';
        first.disabled = cursors.length === 0;
      } catch (e) {
        notice('The ' + source.what + ' could not be read: ' + e.message, true);
      }
    }

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void load([]);
    });
    next.addEventListener('click', () => {
      if (next.dataset.next) void load(cursors.concat([next.dataset.next]));
    });
    first.addEventListener('click', () => void load([]));
    return { load, reset: () => form.reset() };
  }

  /** One row per order; `created` reads the creation time (ISO 8601 or epoch ms) of the answer's shape. */
  function renderOrderRows(body, orders, created) {
    body.textContent = '';
    for (const o of orders) {
      const tr = document.createElement('tr');
      cell(tr, utc(created(o)));
      cell(tr, o.market);
      cell(tr, o.kind);
      cell(tr, o.symbol);
      cell(tr, o.side);
      cell(tr, o.orderType);
      cell(tr, o.status);
      cell(tr, o.price, 'num');
      cell(tr, o.size, 'num');
      cell(tr, o.fee === null ? '' : o.fee + ' ' + (o.feeCoin || ''), 'num');
      cell(tr, o.orderId, 'id');
      body.appendChild(tr);
    }
  }

  /** The run's imported orders (GET /orders/{arn}/orders: ISO 8601 or ms in, both out). */
  let runOrders;
  /** The archive's orders (GET /archive/orders, epoch ms). */
  let archiveOrders;
  function buildOrderTables() {
    runOrders = ordersBrowser($('#run-orders'), $('#orders-count'), {
      what: 'orders',
      read: (q) => api('/orders/' + enc(state.current) + '/orders?' + q.toString()),
      time: toTime,
      created: (o) => o.cTimeIso,
      count: (page, later) =>
        page.matched +
        ' matching' +
        (page.count ? ', showing ' + page.count : '') +
        (later ? ' (later page)' : ''),
    });
    archiveOrders = ordersBrowser($('#archive-orders-section'), $('#archive-orders-count'), {
      what: 'archived orders',
      read: (q) => api('/archive/orders?' + q.toString()),
      time: toMs,
      created: (o) => o.cTime,
      count: (page, later) =>
        'showing ' + page.orders.length + (later ? ' (later page)' : '') + (page.next ? ', more follow' : ''),
    });
  }

  /** A date (2024-05-01) means its UTC midnight; anything else goes to the API as typed (ISO 8601 or ms). */
  function toTime(value) {
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value + 'T00:00:00Z' : value.replace(' ', 'T');
  }

  // ---- the archive: coverage, gaps, its orders (GET /archive/status, GET /archive/orders) -----------------

  /** The archive's endpoint takes epoch ms: a date is its UTC midnight, ISO 8601 is parsed, digits pass. */
  function toMs(value) {
    if (/^\d+$/.test(value)) return value;
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? value + 'T00:00:00Z' : value.replace(' ', 'T'));
    if (Number.isNaN(ms)) throw new Error('"' + value + '" is neither a date, an ISO 8601 time nor epoch ms');
    return String(ms);
  }

  async function showArchive() {
    let status;
    try {
      status = await api('/archive/status');
    } catch (e) {
      $('#archive-coverage').hidden = true;
      $('#archive-orders-section').hidden = true;
      $('#archive-empty').hidden = false;
      $('#archive-empty').textContent = 'No archive to show: ' + e.message;
      return;
    }
    $('#archive-empty').hidden = true;
    $('#archive-coverage').hidden = false;
    $('#archive-orders-section').hidden = false;
    $('#archive-account').textContent = 'of account ' + status.uid;
    const orders = status.datasets.orders || { records: 0, from: null, to: null, gaps: [] };
    const dl = $('#archive-facts');
    dl.textContent = '';
    fact(dl, 'Orders archived', orders.records);
    fact(dl, 'Covered from', orders.from === null ? null : utc(orders.from));
    fact(dl, 'Covered to', orders.to === null ? null : utc(orders.to));
    fact(dl, 'Last sync', status.lastSync === null ? null : utc(status.lastSync));
    fact(dl, 'Rows in the database', status.database.rows);
    const body = $('#archive-gaps tbody');
    body.textContent = '';
    for (const gap of orders.gaps) {
      const tr = document.createElement('tr');
      cell(tr, gap.stream);
      cell(tr, utc(gap.from));
      cell(tr, utc(gap.to));
      cell(tr, ((gap.to - gap.from) / 86400000).toFixed(1), 'num');
      body.appendChild(tr);
    }
    $('#archive-gap-count').textContent = orders.gaps.length ? '(' + orders.gaps.length + ')' : '(none)';
    $('#archive-gaps').hidden = orders.gaps.length === 0;
    await archiveOrders.load([]);
  }

  /** A link cannot carry the API key: with one, the report is fetched with it and opened from its bytes. */
  async function openArchiveReport(event) {
    if (!state.keyRequired) return;
    event.preventDefault();
    const res = await fetch('/archive/report', { headers: headers({ accept: 'text/html' }) });
    if (!res.ok) return notice("The archive's report could not be read: " + res.status, true);
    const blob = URL.createObjectURL(await res.blob());
    window.open(blob, '_blank', 'noopener');
    setTimeout(() => URL.revokeObjectURL(blob), 60000);
  }

  async function stopRun() {
    if (!state.current) return;
    try {
      const stopped = await api('/orders/' + enc(state.current), { method: 'DELETE' });
      notice(stopped.message, false);
      await showRun(state.current);
    } catch (e) {
      notice('The run was not stopped: ' + e.message, true);
    }
  }

  // ---- routing: #run/<arn> is a run's page, #archive the archive, anything else the list ----------------

  async function route() {
    notice('', false);
    const match = /^#run\/(.+)$/.exec(location.hash);
    const inArchive = location.hash === '#archive';
    $('#home').hidden = !!match || inArchive;
    $('#run').hidden = !match;
    $('#archive').hidden = !inArchive;
    if (inArchive) {
      state.current = null;
      archiveOrders.reset();
      await showArchive();
      return;
    }
    if (!match) {
      state.current = null;
      return;
    }
    const arn = decodeURIComponent(match[1]);
    if (state.current !== arn) {
      state.reportShownFor = null;
      lastStatus = null;
      $('#report').removeAttribute('src');
      runOrders.reset();
    }
    try {
      await showRun(arn);
    } catch (e) {
      notice('This run could not be read: ' + e.message, true);
    }
  }

  async function describeDeployment() {
    try {
      const info = await api('/info');
      state.keyRequired = info.apiKeyRequired;
      $('#deployment').textContent = 'v' + info.version + ' · ' + info.engine + ' engine · ' + info.database;
      $('#exchange').textContent =
        info.exchange === 'simulator'
          ? 'Runs read the bundled Bitget simulator (serve found no Bitget keys in its environment).'
          : 'Runs read ' + (info.exchange || 'Bitget') + ' with the keys serve was started with.';
      return true;
    } catch {
      return false;
    }
  }

  document.addEventListener('DOMContentLoaded', async () => {
    $('#start-form').addEventListener('submit', startRun);
    buildOrderTables();
    $('#archive-report-link').addEventListener('click', (event) => void openArchiveReport(event));
    $('#stop').addEventListener('click', () => void stopRun());
    $('#key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      state.key = $('#key').value;
      sessionStorage.setItem('bitget-orders-key', state.key);
      location.reload();
    });
    window.addEventListener('hashchange', () => void route());
    if (await describeDeployment()) {
      void followRuns();
      void route();
    }
  });
})();
