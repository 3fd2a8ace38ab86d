// The dashboard page: loads the fleet from the JSON API, keeps it fresh from the server-sent event stream, and
// renders the map, the tables and the alert list. All text goes in through textContent (never innerHTML), because
// names, ids and messages come from the field.
(function () {
  'use strict';
  const state = { gateways: new Map(), assets: new Map(), trails: {}, alerts: [], fences: [], events: [], selected: null, history: null, trailMs: 6 * 3600e3 };
  const map = new window.FleetMap(document.getElementById('map'));
  let redrawPending = false;

  async function api(path, options) {
    const r = await fetch(path, Object.assign({ credentials: 'same-origin' }, options || {}));
    if (r.status === 401) { location.href = '/login'; throw new Error('logged out'); }
    if (!r.ok) throw new Error(path + ': ' + r.status);
    return r.json();
  }

  function ago(iso) {
    if (!iso) return 'never';
    const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (s < 60) return Math.round(s) + ' s ago';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    if (s < 86400) return (s / 3600).toFixed(1) + ' h ago';
    return Math.round(s / 86400) + ' d ago';
  }

  function cell(tr, text, cls) {
    const td = document.createElement('td');
    td.textContent = text == null ? '–' : String(text);
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  const fmt = (v, d, unit) => v == null ? null : Number(v).toFixed(d) + (unit || '');

  function activeAlertFor(tag) {
    return state.alerts.some(a => a.active && a.tag === tag);
  }

  function renderAssets() {
    const body = document.querySelector('#assets-table tbody');
    body.replaceChildren();
    [...state.assets.values()].sort((a, b) => a.name.localeCompare(b.name)).forEach(a => {
      const tr = document.createElement('tr');
      tr.dataset.tag = a.tag;
      if (state.selected === 'asset/' + a.tag) tr.className = 'selected';
      cell(tr, a.name);
      cell(tr, a.tag);
      cell(tr, ago(a.lastSeen));
      cell(tr, a.gateway);
      cell(tr, a.batteryMv == null ? null : a.batteryMv + ' mV', a.lowBattery ? 'bad' : '');
      cell(tr, a.moving == null ? null : a.moving ? 'moving' : 'still', a.moving ? 'ok' : '');
      cell(tr, a.lat == null ? null : a.lat.toFixed(5) + ', ' + a.lon.toFixed(5), activeAlertFor(a.tag) ? 'bad' : '');
      tr.addEventListener('click', () => select('asset/' + a.tag));
      body.appendChild(tr);
    });
  }

  function renderGateways() {
    const body = document.querySelector('#gateways-table tbody');
    body.replaceChildren();
    [...state.gateways.values()].sort((a, b) => a.id.localeCompare(b.id)).forEach(g => {
      const tr = document.createElement('tr');
      tr.dataset.gateway = g.id;
      if (state.selected === 'gateway/' + g.id) tr.className = 'selected';
      cell(tr, g.id);
      cell(tr, g.site);
      cell(tr, g.online === true ? 'online' : g.online === false ? 'offline' : 'unknown', g.online === true ? 'ok' : 'bad');
      cell(tr, ago(g.lastSeen));
      cell(tr, ago(g.lastPublish));
      cell(tr, g.backlog == null ? null : g.backlog + ' records' + (g.oldestUnsentSeconds ? ' (' + Math.round(g.oldestUnsentSeconds) + ' s)' : ''), g.backlog > 0 ? 'warn' : '');
      cell(tr, g.busVoltage == null ? null : fmt(g.busVoltage, 2, ' V') + (g.current == null ? '' : ' / ' + fmt(g.current, 2, ' A')));
      const open = (g.inputs || []).filter(i => i.alarm && i.state).map(i => i.name + ' open');
      cell(tr, [fmt(g.enclosureTemperature, 1, ' °C'), fmt(g.enclosureHumidity, 0, ' %')].filter(x => x).concat(open).join(', ') || null, open.length ? 'bad' : '');
      cell(tr, g.sequenceMissing ? g.sequenceMissing + ' missing' : '0', g.sequenceMissing ? 'bad' : '');
      tr.addEventListener('click', () => select('gateway/' + g.id));
      body.appendChild(tr);
    });
  }

  function renderAlerts() {
    const list = document.getElementById('alerts-list');
    list.replaceChildren();
    const active = state.alerts.filter(a => a.active).length;
    const badge = document.getElementById('alert-count');
    badge.textContent = active;
    badge.className = 'badge' + (active ? '' : ' zero');
    state.alerts.slice(0, 100).forEach(a => {
      const li = document.createElement('li');
      li.dataset.id = a.id;
      li.dataset.rule = a.rule;
      li.className = (a.active ? 'active' : 'cleared') + (a.acknowledgedBy ? ' acked' : '');
      const msg = document.createElement('div');
      msg.textContent = a.message;
      li.appendChild(msg);
      const meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = a.severity + ' · raised ' + ago(a.raisedAt) + (a.clearedAt ? ' · cleared ' + ago(a.clearedAt) : '') +
        (a.acknowledgedBy ? ' · acknowledged by ' + a.acknowledgedBy : '');
      if (!a.acknowledgedBy) {
        const b = document.createElement('button');
        b.textContent = 'Acknowledge';
        b.className = 'ack';
        b.addEventListener('click', () => acknowledge(a.id));
        meta.appendChild(b);
      }
      li.appendChild(meta);
      list.appendChild(li);
    });
  }

  function renderEvents() {
    const list = document.getElementById('events-list');
    list.replaceChildren();
    state.events.slice(0, 50).forEach(e => {
      const li = document.createElement('li');
      li.textContent = new Date(e.at).toISOString().replace('T', ' ').slice(0, 19) + ' UTC · ' + e.gateway + ' · ' + e.kind + (e.message ? ': ' + e.message : '');
      list.appendChild(li);
    });
  }

  function drawMap() {
    redrawPending = false;
    map.draw({
      fences: state.fences,
      gateways: [...state.gateways.values()],
      assets: [...state.assets.values()].map(a => Object.assign({ inAlert: activeAlertFor(a.tag) }, a)),
      trails: state.trails,
      history: state.history,
    });
  }

  function scheduleDraw() {
    if (!redrawPending) { redrawPending = true; setTimeout(drawMap, 250); }
  }

  async function acknowledge(id) {
    await api('/api/alerts/ack', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Gateway-Dashboard': '1' }, body: JSON.stringify({ id: id }) });
    state.alerts = await api('/api/alerts');
    renderAlerts();
  }

  async function select(key) {
    state.selected = key;
    renderAssets(); renderGateways();
    const details = document.getElementById('details');
    details.textContent = 'Loading history…';
    const [kind, id] = key.split('/');
    try {
      const series = await api('/api/history/' + kind + '/' + encodeURIComponent(id) + '?hours=' + Math.round(state.trailMs / 3600e3));
      details.replaceChildren();
      if (kind === 'asset') {
        const rows = series.length ? series[0].rows : [];
        state.history = rows.filter(r => r[1] != null && r[2] != null).map(r => [r[1], r[2]]);
        const batt = rows.map(r => r[3]).filter(v => v != null);
        details.textContent = id + ': ' + state.history.length + ' positions in the last ' + Math.round(state.trailMs / 3600e3) + ' h' +
          (batt.length ? ', battery ' + batt[0] + ' → ' + batt[batt.length - 1] + ' mV' : '');
        scheduleDraw();
      } else {
        state.history = null;
        series.forEach(s => details.appendChild(sparkline(s.columns[1], s.rows)));
        if (!series.length) details.textContent = id + ': no history in the store for this period.';
      }
    } catch (e) {
      details.textContent = 'History unavailable: ' + e.message;
    }
  }

  function sparkline(name, rows) {
    const box = document.createElement('div');
    const values = rows.map(r => r[1]).filter(v => v != null);
    const label = document.createElement('div');
    label.textContent = name + ': ' + (values.length ? values[values.length - 1].toFixed(2) + ' (min ' + Math.min(...values).toFixed(2) + ', max ' + Math.max(...values).toFixed(2) + ')' : 'no data');
    box.appendChild(label);
    if (values.length > 1) {
      const NS = 'http://www.w3.org/2000/svg';
      const svg = document.createElementNS(NS, 'svg');
      svg.setAttribute('class', 'spark');
      svg.setAttribute('viewBox', '0 0 300 60');
      svg.setAttribute('preserveAspectRatio', 'none');
      const lo = Math.min(...values), hi = Math.max(...values), span = hi - lo || 1;
      const line = document.createElementNS(NS, 'polyline');
      line.setAttribute('points', values.map((v, i) => (i * 300 / (values.length - 1)).toFixed(1) + ',' + (58 - (v - lo) / span * 56).toFixed(1)).join(' '));
      svg.appendChild(line);
      box.appendChild(svg);
    }
    return box;
  }

  function applyAsset(a) {
    const old = state.assets.get(a.tag);
    state.assets.set(a.tag, a);
    if (a.lat != null && (!old || old.lat !== a.lat || old.lon !== a.lon)) {
      const t = state.trails[a.tag] || (state.trails[a.tag] = []);
      t.push([Date.parse(a.positionAt || a.lastSeen), a.lat, a.lon]);
      const oldest = Date.now() - state.trailMs;
      while (t.length && (t[0][0] < oldest || t.length > 2000)) t.shift();
    }
  }

  async function loadAll() {
    const [me, gateways, assets, alerts, trails, mapConfig, events] = await Promise.all([
      api('/api/me'), api('/api/gateways'), api('/api/assets'), api('/api/alerts'), api('/api/trails'), api('/api/map'), api('/api/events')]);
    document.getElementById('user').textContent = me.user;
    state.trailMs = me.trailHours * 3600e3;
    state.gateways = new Map(gateways.map(g => [g.id, g]));
    state.assets = new Map(assets.map(a => [a.tag, a]));
    state.alerts = alerts;
    state.events = events;
    state.trails = {};
    trails.forEach(t => { state.trails[t.tag] = t.points; });
    map.tileUrl = mapConfig.tileUrl;
    document.getElementById('map-note').textContent = mapConfig.tileUrl ? '(site tiles)' : '(coordinate grid, no tiles)';
    state.fences = mapConfig.sites.filter(s => s.geofence).map(s => ({ name: s.name, points: s.geofence }))
      .concat(mapConfig.assets.map(a => ({ name: a.name, points: a.geofence })));
    renderAssets(); renderGateways(); renderAlerts(); renderEvents(); drawMap();
  }

  function connect() {
    const live = document.getElementById('live');
    const source = new EventSource('/api/stream');
    source.addEventListener('hello', () => { live.textContent = 'live'; live.className = 'live'; });
    source.addEventListener('gateway', e => { const g = JSON.parse(e.data); state.gateways.set(g.id, g); renderGateways(); scheduleDraw(); });
    source.addEventListener('asset', e => { applyAsset(JSON.parse(e.data)); renderAssets(); scheduleDraw(); });
    source.addEventListener('alerts', e => { state.alerts = JSON.parse(e.data); renderAlerts(); renderAssets(); scheduleDraw(); });
    source.addEventListener('reset', () => loadAll());
    source.onerror = () => {
      live.textContent = 'reconnecting…'; live.className = 'live off';
      // EventSource retries by itself; a 401 (session expired) needs the login page instead.
      fetch('/api/me', { credentials: 'same-origin' }).then(r => { if (r.status === 401) location.href = '/login'; }).catch(() => {});
    };
  }

  setInterval(() => { renderAssets(); renderGateways(); }, 5000);
  setInterval(async () => { try { state.events = await api('/api/events'); renderEvents(); } catch (e) { /* next time */ } }, 10000);
  loadAll().then(connect).catch(e => { document.getElementById('details').textContent = 'Could not load the fleet: ' + e.message; });
})();
