// The admin page: session history from /api/admin/sessions, a chart of each session's listener samples
// (Chart.js, served from the jar) and its track list. The token is asked for once and kept for this tab only;
// a link may carry it after '#token=' (never sent to the server, removed from the address bar at once).
const base = document.body.dataset.base;
const TOKEN_KEY = 'music-share-admin-token';
const PAGE_SIZE = 25;

const el = (id) => document.getElementById(id);
const status = el('status');
let offset = 0;
let chart = null;

/** Read-only view for operators' consoles and the browser test: what the chart shows. */
window.musicShareAdmin = Object.freeze({
  get chartSamples() {
    return chart ? chart.data.datasets[0].data.slice() : [];
  },
  get chartLabels() {
    return chart ? chart.data.labels.slice() : [];
  },
});

function takeTokenFromFragment() {
  const match = /(?:^|&)token=([^&]*)/.exec(location.hash.slice(1));
  if (!match) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
  history.replaceState(null, '', location.pathname + location.search);
}

async function api(path, accept = 'application/json') {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const response = await fetch(`${base}${path}`, {
    headers: { Authorization: `Bearer ${token}`, Accept: accept },
    cache: 'no-store',
  });
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin('That token was not accepted.');
    throw new Error('unauthorized');
  }
  if (!response.ok) {
    let message = `The server answered ${response.status}.`;
    try { message = (await response.json()).error ?? message; } catch { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

function showLogin(message) {
  el('history').hidden = true;
  el('detail').hidden = true;
  el('login').hidden = false;
  status.textContent = message ?? '';
  el('token').focus();
}

function range() {
  const params = new URLSearchParams();
  if (el('from').value) params.set('from', new Date(`${el('from').value}T00:00:00`).toISOString());
  if (el('to').value) {
    const to = new Date(`${el('to').value}T00:00:00`);
    to.setDate(to.getDate() + 1); // the whole "to" day
    params.set('to', to.toISOString());
  }
  return params;
}

const time = (iso) => new Date(iso).toLocaleString();
const clock = (iso, withSeconds = false) => new Date(iso).toLocaleTimeString([],
  withSeconds ? { hour: '2-digit', minute: '2-digit', second: '2-digit' } : { hour: '2-digit', minute: '2-digit' });
function duration(seconds) {
  if (seconds < 10) return `${(Math.round(seconds * 10) / 10).toFixed(1)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h} h ${m} min` : m ? `${m} min ${s % 60} s` : `${s} s`;
}
const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text;
  row.append(td);
  return td;
}

async function loadSessions() {
  const params = range();
  params.set('limit', PAGE_SIZE);
  params.set('offset', offset);
  let page;
  try {
    page = await (await api(`api/admin/sessions?${params}`)).json();
  } catch (e) {
    if (e.message !== 'unauthorized') status.textContent = e.message;
    return;
  }
  el('login').hidden = true;
  el('history').hidden = false;
  status.textContent = page.total ? '' : 'No session in this range yet.';
  const body = el('sessions').tBodies[0];
  body.replaceChildren();
  for (const session of page.sessions) {
    const row = document.createElement('tr');
    row.className = 'selectable';
    row.dataset.id = session.id;
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'link';
    open.textContent = time(session.startedAt);
    open.addEventListener('click', () => showSession(session.id, row));
    const first = document.createElement('td');
    first.append(open);
    row.append(first);
    cell(row, session.sessionId);
    cell(row, duration(session.durationSeconds));
    cell(row, session.peakListeners);
    cell(row, session.averageListeners.toFixed(2));
    cell(row, session.listenerMinutes.toFixed(1));
    cell(row, session.tracks);
    cell(row, megabytes(session.bytesIn));
    cell(row, session.live ? 'live' : session.endReason);
    row.addEventListener('click', (event) => { if (event.target === row || event.target.tagName === 'TD') open.click(); });
    body.append(row);
  }
  const shown = page.sessions.length;
  el('page-info').textContent = shown ? `${offset + 1}–${offset + shown} of ${page.total}` : '';
  el('newer').disabled = offset === 0;
  el('older').disabled = offset + shown >= page.total;
}

async function showSession(id, row) {
  for (const selected of document.querySelectorAll('tr[aria-selected="true"]')) selected.removeAttribute('aria-selected');
  row?.setAttribute('aria-selected', 'true');
  let session;
  try {
    session = await (await api(`api/admin/sessions/${id}`)).json();
  } catch (e) {
    if (e.message !== 'unauthorized') status.textContent = e.message;
    return;
  }
  el('detail').hidden = false;
  el('detail-title').textContent = `Session ${session.sessionId}, ${time(session.startedAt)}`;
  const figures = [
    ['Duration', duration(session.durationSeconds)],
    ['Ended', session.live ? 'live' : `${session.endReason}, ${time(session.endedAt)}`],
    ['Peak listeners', session.peakListeners],
    ['Average listeners', session.averageListeners.toFixed(2)],
    ['Listener-minutes', session.listenerMinutes.toFixed(1)],
    ['Audio in', `${duration(session.audioSeconds)}, ${session.chunksIn} chunks, ${megabytes(session.bytesIn)}`],
    ...Object.entries(session.bytesOut).map(([codec, bytes]) => [`Sent (${codec})`, megabytes(bytes)]),
  ];
  const list = el('figures');
  list.replaceChildren();
  for (const [term, value] of figures) {
    const pair = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    pair.append(dt, dd);
    list.append(pair);
  }
  drawChart(session.listenerSeries);
  const recordings = await recordingsOf(session);
  const tracks = el('tracks').tBodies[0];
  tracks.replaceChildren();
  for (const track of session.trackList) {
    const row = document.createElement('tr');
    cell(row, clock(track.firstHeardAt));
    cell(row, track.title || '—');
    cell(row, track.artist || '—');
    cell(row, duration(track.secondsPlayed));
    const recording = cell(row, '');
    const files = recordings.filter((file) => file.title === track.title && file.artist === track.artist);
    for (const file of files) {
      const link = document.createElement('a');
      link.href = `${base}${file.downloadUrl.replace(/^\//, '')}`;
      link.textContent = files.length > 1 ? `Part ${file.part}` : 'Download';
      link.title = `${duration(file.durationSeconds)}, ${megabytes(file.bytes)}`
        + (file.missedSecondsBefore > 0 ? `, ${file.missedSecondsBefore.toFixed(1)} s missed before it` : '');
      link.addEventListener('click', (event) => {
        event.preventDefault();
        download(file.downloadUrl, `${file.id}.opus`);
      });
      if (recording.childNodes.length) recording.append(' ');
      recording.append(link);
    }
    if (!files.length) recording.textContent = '—';
    tracks.append(row);
  }
  el('detail').scrollIntoView({ block: 'nearest' });
}

function drawChart(series) {
  el('no-samples').hidden = series.length > 0;
  // Samples closer than a minute apart (a short HISTORY_SAMPLE_SECONDS) need seconds to tell them apart.
  const closeTogether = series.length > 1 && Date.parse(series[1].at) - Date.parse(series[0].at) < 60_000;
  const labels = series.map((sample) => clock(sample.at, closeTogether));
  const counts = series.map((sample) => sample.listeners);
  const styles = getComputedStyle(document.documentElement);
  const accent = styles.getPropertyValue('--accent').trim() || '#3b5bdb';
  const muted = styles.getPropertyValue('--muted').trim() || '#5b6070';
  if (chart) chart.destroy();
  chart = new window.Chart(el('listeners-chart'), {
    type: 'line',
    data: { labels, datasets: [{ label: 'Listeners', data: counts, borderColor: accent, backgroundColor: accent,
      stepped: 'before', pointRadius: 3 }] },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: {
        y: { beginAtZero: true, ticks: { precision: 0, color: muted } },
        x: { ticks: { color: muted } },
      },
    },
  });
}

/** The session's finished recordings (recording may be off, or the session not recorded: then none). */
async function recordingsOf(session) {
  try {
    const body = await (await api(`api/recordings?sessionId=${session.sessionId}`)).json();
    return body.recordings.filter((file) => file.sessionStartedAt === session.startedAt);
  } catch (e) {
    return [];
  }
}

/** Links cannot carry the token in a header: the file is fetched with it and saved from memory. */
async function download(url, name) {
  try {
    const blob = await (await api(url.replace(/^\//, ''), 'audio/ogg')).blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  } catch (e) {
    if (e.message !== 'unauthorized') status.textContent = e.message;
  }
}

async function downloadCsv() {
  try {
    const blob = await (await api(`api/admin/sessions?${range()}&limit=1000&format=csv`, 'text/csv')).blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'sessions.csv';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  } catch (e) {
    if (e.message !== 'unauthorized') status.textContent = e.message;
  }
}

el('login').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = el('token').value.trim();
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  el('token').value = '';
  loadSessions();
});
el('filter').addEventListener('submit', (event) => {
  event.preventDefault();
  offset = 0;
  loadSessions();
});
el('newer').addEventListener('click', () => { offset = Math.max(0, offset - PAGE_SIZE); loadSessions(); });
el('older').addEventListener('click', () => { offset += PAGE_SIZE; loadSessions(); });
el('csv').addEventListener('click', downloadCsv);

takeTokenFromFragment();
if (sessionStorage.getItem(TOKEN_KEY)) loadSessions();
else showLogin();
