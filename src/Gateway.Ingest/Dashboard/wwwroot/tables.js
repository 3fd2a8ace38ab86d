// The lists: assets (registered, searchable), unregistered tags, gateways, retired gateways, alerts, events.
// Large fleets show the first rows of a list and say how many more a search would reach: the page must stay quick with
// thousands of tags (deploy/bench/dashboard.sh).
(function () {
  'use strict';
  const D = window.Dash;
  const MaxRows = 200;

  D.button = button;

  function button(text, cls, onClick) {
    const b = document.createElement('button');
    b.type = 'button'; b.textContent = text; b.className = cls;
    b.addEventListener('click', e => { e.stopPropagation(); onClick(); });
    return b;
  }

  function matches(a, q) {
    if (!q) return true;
    return [a.name, a.tag, a.kind, a.site, a.owner].some(v => v && v.toLowerCase().includes(q));
  }

  D.renderAssets = function (state) {
    const q = document.getElementById('asset-search').value.trim().toLowerCase();
    const all = [...state.assets.values()];
    const registered = all.filter(a => a.registered !== false && matches(a, q)).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const body = document.querySelector('#assets-table tbody');
    body.replaceChildren(...registered.slice(0, MaxRows).map(a => assetRow(state, a, true)));
    document.getElementById('assets-more').textContent = registered.length > MaxRows ? 'Showing ' + MaxRows + ' of ' + registered.length + ': search to narrow.' : '';
    const unregistered = all.filter(a => a.registered === false && matches(a, q)).sort((a, b) => a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0);
    document.getElementById('unregistered-count').textContent = '(' + unregistered.length + ')';
    document.querySelector('#unregistered-table tbody').replaceChildren(...unregistered.slice(0, MaxRows).map(a => assetRow(state, a, false)));
  };

  function assetRow(state, a, registered) {
    const tr = document.createElement('tr');
    tr.dataset.tag = a.tag;
    if (state.selected === 'asset/' + a.tag) tr.className = 'selected';
    if (registered) {
      D.cell(tr, a.name, 'title', 'Asset');
      D.cell(tr, a.tag, '', 'Tag');
      D.cell(tr, a.kind, '', 'Kind');
      D.cell(tr, a.site, '', 'Home site');
    } else {
      D.cell(tr, a.tag, 'title', 'Tag');
    }
    D.timeCell(tr, a.lastSeen, 'Last seen');
    D.cell(tr, a.gateway, '', 'At gateway');
    D.cell(tr, a.batteryMv == null ? null : a.batteryMv + ' mV', a.lowBattery ? 'bad' : '', 'Battery');
    if (registered) D.cell(tr, a.moving == null ? null : a.moving ? 'moving' : 'still', a.moving ? 'ok' : '', 'Moving');
    D.cell(tr, a.lat == null ? null : a.lat.toFixed(5) + ', ' + a.lon.toFixed(5), state.alerts.some(x => x.active && x.tag === a.tag) ? 'bad' : '', 'Position');
    const actions = D.cell(tr, '', 'actions');
    if (D.can('operator')) actions.appendChild(button(registered ? 'Edit' : 'Register', 'edit-asset', () => D.editAsset(a)));
    tr.addEventListener('click', () => D.select('asset/' + a.tag));
    return tr;
  }

  D.renderGateways = function (state) {
    const list = [...state.gateways.values()].sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    document.querySelector('#gateways-table tbody').replaceChildren(...list.slice(0, MaxRows).map(g => gatewayRow(state, g)));
    document.getElementById('gateways-more').textContent = list.length > MaxRows ? 'Showing ' + MaxRows + ' of ' + list.length + ' gateways.' : '';
  };

  function gatewayRow(state, g) {
    const tr = document.createElement('tr');
    tr.dataset.gateway = g.id;
    if (state.selected === 'gateway/' + g.id) tr.className = 'selected';
    D.cell(tr, g.id, 'title', 'Gateway');
    D.cell(tr, g.site, '', 'Site');
    D.cell(tr, g.online === true ? 'online' : g.online === false ? 'offline' : 'unknown', g.online === true ? 'ok' : 'bad', 'State');
    D.timeCell(tr, g.lastSeen, 'Last seen');
    D.timeCell(tr, g.lastPublish, 'Last publish');
    D.cell(tr, g.backlog == null ? null : g.backlog + ' records' + (g.oldestUnsentSeconds ? ' (' + Math.round(g.oldestUnsentSeconds) + ' s)' : ''), g.backlog > 0 ? 'warn' : '', 'Backlog');
    D.cell(tr, g.busVoltage == null ? null : D.fmt(g.busVoltage, 2, ' V') + (g.current == null ? '' : ' / ' + D.fmt(g.current, 2, ' A')), '', 'Power');
    const open = (g.inputs || []).filter(i => i.alarm && i.state).map(i => i.name + ' open');
    D.cell(tr, [D.fmt(g.enclosureTemperature, 1, ' °C'), D.fmt(g.enclosureHumidity, 0, ' %')].filter(x => x).concat(open).join(', ') || null, open.length ? 'bad' : '', 'Enclosure');
    D.cell(tr, g.sequenceMissing ? g.sequenceMissing + ' missing' : '0', g.sequenceMissing ? 'bad' : '', 'Losses');
    const actions = D.cell(tr, '', 'actions');
    if (D.can('operator')) actions.appendChild(button('Retire', 'retire', () => D.retire(g.id)));
    tr.addEventListener('click', () => D.select('gateway/' + g.id));
    return tr;
  }

  D.renderRetired = function (retired) {
    document.getElementById('retired-count').textContent = '(' + retired.length + ')';
    document.getElementById('retired-list').replaceChildren(...retired.map(r => {
      const li = document.createElement('li');
      li.dataset.gateway = r.id;
      li.append(r.id + ' · retired by ' + r.by + ' ', D.timeElement(r.at), ' ');
      li.appendChild(button('History', 'history', () => D.select('gateway/' + r.id)));
      if (D.can('operator')) li.appendChild(button('Restore', 'restore', () => D.restore(r.id)));
      return li;
    }));
  };

  D.renderAlerts = function (state) {
    const list = document.getElementById('alerts-list');
    const active = state.alerts.filter(a => a.active).length;
    const badge = document.getElementById('alert-count');
    badge.textContent = active;
    badge.className = 'badge' + (active ? '' : ' zero');
    list.replaceChildren(...state.alerts.slice(0, 100).map(a => {
      const li = document.createElement('li');
      li.dataset.id = a.id;
      li.dataset.rule = a.rule;
      li.className = (a.active ? 'active' : 'cleared') + (a.acknowledgedBy ? ' acked' : '');
      const msg = document.createElement('div');
      msg.textContent = a.message;
      li.appendChild(msg);
      const meta = document.createElement('div');
      meta.className = 'meta';
      meta.append(a.severity + ' · raised ', D.timeElement(a.raisedAt));
      if (a.clearedAt) meta.append(' · cleared ', D.timeElement(a.clearedAt));
      if (a.acknowledgedBy) meta.append(' · acknowledged by ' + a.acknowledgedBy);
      // The history around the moment it was raised: where the asset (or gateway) was and what it reported.
      if (a.tag || a.gateway) {
        const link = document.createElement('a');
        link.href = '#history'; link.className = 'history-link'; link.textContent = 'history';
        link.addEventListener('click', e => { e.preventDefault(); D.showAt(a.tag ? 'asset/' + a.tag : 'gateway/' + a.gateway, Date.parse(a.raisedAt)); });
        meta.append(' · ', link);
      }
      // A cleared alert has nothing left to acknowledge.
      if (a.active && !a.acknowledgedBy && D.can('operator')) meta.appendChild(button('Acknowledge', 'ack', () => D.acknowledge(a.id)));
      li.appendChild(meta);
      return li;
    }));
  };

  D.renderEvents = function (events) {
    document.getElementById('events-list').replaceChildren(...events.slice(0, 50).map(e => {
      const li = document.createElement('li');
      const t = document.createElement('time');
      t.dateTime = e.at; t.textContent = D.absolute(e.at);
      li.append(t, ' · ' + e.gateway + ' · ' + e.kind + (e.message ? ': ' + e.message : ''));
      return li;
    }));
  };

})();
