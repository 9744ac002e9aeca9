'use strict';
// The control room: renders the run's snapshot (pushed by Server-Sent Events) and sends the operator's actions.
const token = new URLSearchParams(location.search).get('token');
const $ = (id) => document.getElementById(id);
let last = null;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}
const ms = (t) => new Date(t).getTime();
const hhmm = (t) => t ? t.substring(11, 19) : '';

async function act(action, step) {
  const by = $('by').value || 'control room';
  localStorage.setItem('cutover.by', by);
  const q = new URLSearchParams({ token: token || '', action, by });
  if (step) q.set('step', step);
  const r = await fetch('api/action?' + q, { method: 'POST' });
  $('message').textContent = r.ok ? action + (step ? ' ' + step : '') + ': ok' : await r.text();
}

function render(s) {
  last = s;
  document.title = s.runbook + ' — ' + s.state;
  $('title').textContent = s.runbook;
  $('run').textContent = s.kind + ' ' + s.run + ' · ' + s.state + ' · now ' + hhmm(s.now);
  const f = $('forecast');
  f.className = 'panel ' + (s.margin_seconds < 0 ? 'late' : 'ok');
  f.replaceChildren(
    el('h2', null, 'Forecast'),
    el('div', 'forecast-end', 'expected end ' + hhmm(s.forecast_end) + ' · window ends ' + hhmm(s.window.end) + ' · ' + s.verdict),
    el('div', null, 'p90 end ' + hhmm(s.p90_end)));
  if (s.warning) f.append(el('div', 'warning', 'warning: ' + s.warning));
  if (s.point_of_no_return_passed) f.append(el('div', 'ponr', 'point of no return passed: rollback is refused'));

  const cur = $('current');
  cur.replaceChildren(el('h2', null, 'Now'));
  const active = s.steps.filter((x) => x.state === 'running' || x.state === 'waiting');
  if (active.length === 0) cur.append(el('div', null, s.state === 'running' ? 'between steps' : 'run ' + s.state));
  for (const x of active) {
    const d = el('div', 'current-step state-' + x.state);
    d.append(el('div', null, x.id + ' — ' + x.title + ' (' + x.owner + '): ' + x.state));
    if (x.instruction) d.append(el('div', null, x.instruction));
    if (x.gate_value) d.append(el('div', 'gate', x.gate_value));
    if (x.note) d.append(el('div', null, x.note));
    if (token && x.confirmable) {
      const b = el('button', 'primary confirm', 'Confirm ' + x.id);
      b.dataset.step = x.id;
      b.onclick = () => act('confirm', x.id);
      d.append(b);
    }
    if (token && x.manual && x.state === 'running') {
      const ok = el('button', 'primary done', 'Done');
      ok.onclick = () => act('done', x.id);
      const no = el('button', 'danger failed', 'Failed');
      no.onclick = () => act('failed', x.id);
      d.append(ok, no);
    }
    if (x.output && x.output.length) d.append(el('pre', 'output', x.output.join('\n')));
    cur.append(d);
  }
  gantt(s);
  $('events').replaceChildren(...s.events.slice().reverse().map((e) => el('li', null, e)));
  const live = s.state === 'running' || s.state === 'paused';
  for (const b of document.querySelectorAll('#controls button')) b.disabled = !token || !live;
  $('pause').hidden = s.state === 'paused';
  $('resume').hidden = s.state !== 'paused';
  $('rollback').disabled = !token || !live || s.point_of_no_return_passed;
  $('readonly').hidden = !!token;
}

function gantt(s) {
  const steps = s.steps.filter((x) => !x.rollback_only || x.state !== 'pending');
  let lo = ms(s.window.start), hi = Math.max(ms(s.window.end), ms(s.forecast_end), ms(s.now));
  for (const x of steps) {
    if (x.started_at) lo = Math.min(lo, ms(x.started_at));
  }
  const pos = (t) => (100 * (ms(t) - lo) / (hi - lo)).toFixed(2) + '%';
  const width = (a, b) => Math.max(0.3, 100 * (ms(b) - ms(a)) / (hi - lo)).toFixed(2) + '%';
  const g = $('gantt');
  g.replaceChildren(el('h2', null, 'Timeline (planned above, actual below)'));
  for (const x of steps) {
    const row = el('div', 'row state-' + x.state);
    row.dataset.step = x.id;
    const label = el('div', 'label');
    label.append(el('span', 'id', x.id), ' ', el('span', 'owner', x.owner), ' ', el('span', 'state', x.state));
    if (x.point_of_no_return) label.append(' ', el('span', 'ponr', 'no return'));
    if (x.confirmed_by) label.append(el('div', 'owner', 'confirmed by ' + x.confirmed_by));
    const track = el('div', 'track');
    if (x.planned_start) {
      const p = el('div', 'bar planned' + (x.critical ? ' critical' : ''));
      p.style.left = pos(x.planned_start);
      p.style.width = width(x.planned_start, x.planned_end);
      track.append(p);
    }
    if (x.started_at) {
      const a = el('div', 'bar actual');
      a.style.left = pos(x.started_at);
      a.style.width = width(x.started_at, x.finished_at || s.now);
      track.append(a);
    }
    const now = el('div', 'line now'); now.style.left = pos(s.now);
    const end = el('div', 'line end'); end.style.left = pos(s.window.end);
    track.append(now, end);
    row.append(label, track);
    g.append(row);
  }
}

for (const b of document.querySelectorAll('#controls button')) b.onclick = () => act(b.dataset.action);
$('by').value = localStorage.getItem('cutover.by') || '';
fetch('api/state').then((r) => r.json()).then(render);
const events = new EventSource('events');
events.onmessage = (e) => render(JSON.parse(e.data));
