// The dashboard page: loads the fleet from the JSON API, keeps it fresh from the server-sent event stream, and renders
// the map, lists and alerts. Live events only mark what changed; the page redraws at most four times a second (one
// batch per 250 ms), however many gateways and tags report, so a large fleet cannot flood the browser.
(function () {
  'use strict';
  const D = window.Dash;
  const state = D.state = { gateways: new Map(), assets: new Map(), alerts: [], sites: [], events: [], selected: null };
  const BatchMs = 250;
  let dirty = false;
  let full = true;
  let renders = 0;
  let events = 0;
  // What the live stream changed since the last redraw: the map touches only those (the lists are cheap to redo).
  const changedAssets = new Set();
  let gatewaysChanged = false;

  D.map = new D.FleetMap(document.getElementById('map'), key => D.select(key));

  D.schedule = function () {
    if (dirty) return;
    dirty = true;
    setTimeout(render, BatchMs);
  };

  function render() {
    dirty = false;
    renders++;
    D.renderAssets(state); D.renderGateways(state); D.renderAlerts(state);
    if (full) performance.mark('lists-rendered');
    const alerting = new Set(state.alerts.filter(a => a.active && a.tag).map(a => a.tag));
    if (full || gatewaysChanged) D.map.updateGateways([...state.gateways.values()]);
    const assets = full ? [...state.assets.values()] : [...changedAssets].map(t => state.assets.get(t)).filter(a => a);
    D.map.updateAssets(assets.map(a => Object.assign({ inAlert: alerting.has(a.tag) }, a)), full);
    full = false; gatewaysChanged = false; changedAssets.clear();
  }

  // A redraw of everything (after a load, an alert change or an edit), not only what the stream changed.
  D.scheduleFull = function () { full = true; D.schedule(); };

  // For the benchmark (deploy/bench/dashboard.sh): batched redraws done and live events received so far.
  D.renderCount = () => renders;
  D.eventCount = () => events;

  D.select = function (key) {
    state.selected = key;
    D.schedule();
    D.loadHistory(key);
  };

  async function loadAll() {
    performance.mark('fleet-fetch');
    D.loadVersion = undefined;
    const [me, gateways, assets, alerts, mapConfig, events, retired] = await Promise.all([
      D.api('/api/me'), D.api('/api/gateways'), D.api('/api/assets'), D.api('/api/alerts'), D.api('/api/map'), D.api('/api/events'), D.api('/api/gateways/retired')]);
    performance.mark('fleet-fetched');
    D.role = me.role;
    document.body.dataset.role = me.role;
    document.getElementById('user').textContent = me.user;
    document.getElementById('role').textContent = me.role;
    state.gateways = new Map(gateways.map(g => [g.id, g]));
    state.assets = new Map(assets.map(a => [a.tag, a]));
    state.alerts = alerts;
    state.sites = mapConfig.sites.map(s => s.name);
    D.map.setBase(mapConfig.tiles);
    document.getElementById('map-note').textContent = { archive: '(offline map)', url: '(site tiles)', grid: '(coordinate grid, no tiles)' }[mapConfig.tiles.kind];
    D.map.setFences(mapConfig.sites.filter(s => s.geofence).map(s => ({ name: s.name, points: s.geofence }))
      .concat(mapConfig.assets.map(a => ({ name: a.name, points: a.geofence }))));
    D.renderEvents(events);
    D.renderRetired(retired);
    if (D.can('admin')) D.renderUsers(await D.api('/api/users'));
    full = true;
    render();
    // The first meaningful paint: the fleet is on the map and in the lists (read by the benchmark).
    if (!performance.getEntriesByName('fleet-rendered').length) requestAnimationFrame(() => performance.mark('fleet-rendered'));
  }

  function connect() {
    const live = document.getElementById('live');
    // From the version the lists were loaded at: what changed since comes in the first push.
    const source = new EventSource('/api/stream' + (Number.isFinite(D.loadVersion) ? '?since=' + D.loadVersion : ''));
    source.addEventListener('hello', () => { live.textContent = 'live'; live.className = 'live'; });
    // One event per push carries every gateway (or asset) that changed since the last one.
    source.addEventListener('gateways', e => { const list = JSON.parse(e.data); events += list.length; list.forEach(g => state.gateways.set(g.id, g)); gatewaysChanged = true; D.schedule(); });
    source.addEventListener('assets', e => { const list = JSON.parse(e.data); events += list.length; list.forEach(a => { state.assets.set(a.tag, a); changedAssets.add(a.tag); }); D.schedule(); });
    source.addEventListener('alerts', e => { state.alerts = JSON.parse(e.data); D.scheduleFull(); });
    source.addEventListener('reset', () => loadAll());
    source.onerror = () => {
      live.textContent = 'reconnecting…'; live.className = 'live off';
      // An expired session makes the stream fail forever; find out and go to the login page.
      fetch('/api/me', { credentials: 'same-origin' }).then(r => {
        if (r.status === 401) location.href = '/login';
        // Refused (too many streams for this login or the server): the browser does not retry that by itself.
        else if (source.readyState === EventSource.CLOSED) {
          live.textContent = 'not live: too many dashboard tabs open for this login; retrying in 30 s';
          setTimeout(connect, 30000);
        }
      }).catch(() => {});
    };
  }

  document.getElementById('asset-search').addEventListener('input', D.schedule);
  setInterval(D.schedule, 5000);
  setInterval(async () => { try { D.renderEvents(await D.api('/api/events')); } catch (e) { /* next time */ } }, 10000);
  loadAll().then(connect).catch(e => { document.getElementById('history-summary').textContent = 'Could not load the fleet: ' + e.message; });
})();
