// History of the selected asset or gateway over a chosen range: the track on the map with times along it, a replay, the
// points listed, the gateways that heard it, charts, and the track as CSV, GeoJSON or GPX.
(function () {
  'use strict';
  const D = window.Dash;
  const MaxTableRows = 1000;
  let positions = [];
  let timer = null;
  let custom = null;

  function localInput(t) {
    const d = new Date(t - new Date(t).getTimezoneOffset() * 60000);
    return d.toISOString().slice(0, 16);
  }

  // The selected range as [from, to] in unix ms (the viewer's days for today and yesterday).
  D.range = function () {
    const now = Date.now();
    const midnight = new Date(); midnight.setHours(0, 0, 0, 0);
    switch (document.getElementById('range').value) {
      case 'today': return [midnight.getTime(), now];
      case 'yesterday': return [midnight.getTime() - 86400e3, midnight.getTime()];
      case 'day': return [now - 86400e3, now];
      case 'week': return [now - 7 * 86400e3, now];
      case 'custom': {
        if (custom) return custom;
        const from = Date.parse(document.getElementById('range-from').value), to = Date.parse(document.getElementById('range-to').value);
        return isNaN(from) || isNaN(to) || to <= from ? [now - 3600e3, now] : [from, to];
      }
      default: return [now - 3600e3, now];
    }
  };

  // Opens the history around a moment (an alert's raise): half an hour either side.
  D.showAt = function (key, t) {
    document.getElementById('range').value = 'custom';
    document.getElementById('custom-range').hidden = false;
    document.getElementById('range-from').value = localInput(t - 1800e3);
    document.getElementById('range-to').value = localInput(t + 1800e3);
    custom = [t - 1800e3, t + 1800e3];
    D.select(key);
    document.getElementById('history').scrollIntoView({ behavior: 'smooth' });
  };

  D.loadHistory = async function (key) {
    stop();
    const [kind, id] = key.split('/');
    const [from, to] = D.range();
    custom = null;
    const query = '?from=' + encodeURIComponent(new Date(from).toISOString()) + '&to=' + encodeURIComponent(new Date(to).toISOString());
    const subject = document.getElementById('history-subject');
    const summary = document.getElementById('history-summary');
    const asset = kind === 'asset' ? D.state.assets.get(id) : null;
    subject.textContent = kind === 'asset' ? (asset ? asset.name + ' (' + id + ')' : id) : 'gateway ' + id;
    summary.textContent = 'Loading…';
    summary.removeAttribute('data-points');
    D.clearCharts();
    document.querySelector('#history-table tbody').replaceChildren();
    document.getElementById('heard-by').replaceChildren();
    document.getElementById('exports').hidden = kind !== 'asset';
    document.getElementById('replay').hidden = true;
    D.map.showTrack([]);
    try {
      if (kind === 'asset') showAsset(id, await D.api('/api/history/asset/' + encodeURIComponent(id) + query), query);
      else showGateway(await D.api('/api/history/gateway/' + encodeURIComponent(id) + query));
    } catch (e) {
      summary.textContent = 'History unavailable: ' + e.message;
    }
  };

  function rangeText(track) {
    return D.absolute(track.from) + ' – ' + D.absolute(track.to);
  }

  function showAsset(tag, track, query) {
    const points = track.points;
    positions = points.filter(p => p.lat != null && p.lon != null);
    const summary = document.getElementById('history-summary');
    summary.dataset.points = String(points.length);
    summary.textContent = points.length + ' points (' + positions.length + ' positions), ' + rangeText(track) +
      (track.bucketSeconds ? ' · downsampled to one point per ' + track.bucketSeconds + ' s' : '') + (track.truncated ? ' · the first ' + points.length + ' only' : '');
    D.map.showTrack(positions);
    ['csv', 'geojson', 'gpx'].forEach(f => { document.getElementById('export-' + f).href = '/api/history/asset/' + encodeURIComponent(tag) + query + '&format=' + f; });
    const heard = document.getElementById('heard-by');
    heard.replaceChildren(...track.heardBy.map(h => { const li = document.createElement('li'); li.textContent = h.gateway + ': ' + h.frames + ' frames'; return li; }));
    if (track.heardBy.length) { const li = document.createElement('li'); li.className = 'muted'; li.textContent = 'Heard by'; heard.prepend(li); }
    const rows = points.slice(-MaxTableRows).reverse().map(p => {
      const tr = document.createElement('tr');
      const t = D.cell(tr, D.absolute(p.t), '', 'Time');
      t.title = new Date(p.t).toISOString();
      D.cell(tr, p.lat == null ? null : p.lat.toFixed(5) + ', ' + p.lon.toFixed(5), '', 'Position');
      D.cell(tr, p.batteryMv == null ? null : Math.round(p.batteryMv) + ' mV', '', 'Battery');
      D.cell(tr, p.rssi == null ? null : p.rssi.toFixed(1) + ' dBm', '', 'RSSI');
      D.cell(tr, p.gateway, '', 'Gateway');
      return tr;
    });
    document.querySelector('#history-table tbody').replaceChildren(...rows);
    const battery = points.filter(p => p.batteryMv != null).map(p => [p.t, p.batteryMv]);
    const rssi = points.filter(p => p.rssi != null).map(p => [p.t, p.rssi]);
    if (battery.length) D.chart('battery', 'mV', battery);
    if (rssi.length) D.chart('rssi', 'dBm', rssi);
    if (positions.length > 1) {
      const slider = document.getElementById('replay-slider');
      slider.max = String(positions.length - 1);
      slider.value = '0';
      document.getElementById('replay').hidden = false;
      replayTo(0);
    }
  }

  function showGateway(history) {
    const summary = document.getElementById('history-summary');
    const total = history.series.reduce((n, s) => n + s.points.length, 0);
    summary.dataset.points = String(total);
    summary.textContent = history.series.length ? history.series.length + ' metrics, ' + rangeText(history) + (history.bucketSeconds > 1 ? ' · one point per ' + history.bucketSeconds + ' s' : '')
      : 'No history in the store for ' + rangeText(history) + '.';
    history.series.forEach(s => D.chart(s.name, s.unit, s.points, s.labels));
  }

  function replayTo(i) {
    const p = positions[i];
    if (!p) return;
    D.map.replayAt(p);
    const t = document.getElementById('replay-time');
    t.textContent = D.absolute(p.t);
  }

  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    document.getElementById('replay-play').textContent = '▶ Replay';
  }

  document.getElementById('replay-slider').addEventListener('input', e => { stop(); replayTo(+e.target.value); });
  document.getElementById('replay-play').addEventListener('click', () => {
    if (timer) { stop(); return; }
    const slider = document.getElementById('replay-slider');
    if (+slider.value >= positions.length - 1) slider.value = '0';
    document.getElementById('replay-play').textContent = '❚❚ Pause';
    // The whole track in about 20 s, whatever its length.
    const step = Math.max(1, Math.round(positions.length / 200));
    timer = setInterval(() => {
      const next = Math.min(positions.length - 1, +slider.value + step);
      slider.value = String(next);
      replayTo(next);
      if (next >= positions.length - 1) stop();
    }, 100);
  });
  document.getElementById('range').addEventListener('change', e => {
    document.getElementById('custom-range').hidden = e.target.value !== 'custom';
    if (e.target.value === 'custom') {
      const [from, to] = [Date.now() - 3600e3, Date.now()];
      if (!document.getElementById('range-from').value) document.getElementById('range-from').value = localInput(from);
      if (!document.getElementById('range-to').value) document.getElementById('range-to').value = localInput(to);
      return;
    }
    if (D.state.selected) D.loadHistory(D.state.selected);
  });
  document.getElementById('range-apply').addEventListener('click', () => { if (D.state.selected) D.loadHistory(D.state.selected); });
})();
