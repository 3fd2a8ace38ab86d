// Helpers every part of the page shares: the JSON API, times (relative text with the absolute time on hover), table
// cells. All text goes in through textContent (never innerHTML): names, ids and messages come from the field.
(function () {
  'use strict';
  const D = window.Dash = window.Dash || {};

  D.api = async function (path, options) {
    const init = Object.assign({ credentials: 'same-origin' }, options || {});
    if (init.body !== undefined) init.headers = Object.assign({ 'Content-Type': 'application/json', 'X-Gateway-Dashboard': '1' }, init.headers || {});
    // The first load's answers were asked for by boot.js: each is used once.
    const early = !options && window.DashPrefetch && window.DashPrefetch.get(path);
    if (early) window.DashPrefetch.delete(path);
    const r = await (early || fetch(path, init));
    // The fleet version a list was taken at: the live stream starts from the oldest one (app.js).
    const version = r.headers.get('X-Fleet-Version');
    if (version !== null) D.loadVersion = Math.min(D.loadVersion === undefined ? Infinity : D.loadVersion, Number(version));
    if (r.status === 401) { location.href = '/login'; throw new Error('logged out'); }
    if (!r.ok) {
      let message = path + ': ' + r.status;
      try { const body = await r.json(); if (body.error) message = body.error; } catch (e) { /* not JSON */ }
      throw new Error(message);
    }
    return r.json();
  };

  D.post = (path, body) => D.api(path, { method: 'POST', body: JSON.stringify(body) });

  D.ago = function (iso) {
    if (!iso) return 'never';
    const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (s < 60) return Math.round(s) + ' s ago';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    if (s < 86400) return (s / 3600).toFixed(1) + ' h ago';
    return Math.round(s / 86400) + ' d ago';
  };

  // Two digits, for the parts of a time.
  const pad = n => String(n).padStart(2, '0');

  // An absolute time in the viewer's zone with the zone named, e.g. "2026-12-05 13:04:05 UTC+01:00".
  D.absolute = function (t) {
    const d = new Date(t);
    const off = -d.getTimezoneOffset();
    const zone = 'UTC' + (off === 0 ? '' : (off > 0 ? '+' : '-') + pad(Math.floor(Math.abs(off) / 60)) + ':' + pad(Math.abs(off) % 60));
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + D.clock(d) + ' ' + zone;
  };

  // The time of day in the viewer's zone, e.g. "13:04:05".
  D.clock = function (t) {
    const d = new Date(t);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  };

  D.cell = function (tr, text, cls, label) {
    const td = document.createElement('td');
    td.textContent = text == null ? '–' : String(text);
    if (cls) td.className = cls;
    if (label) td.dataset.label = label;
    tr.appendChild(td);
    return td;
  };

  // A relative time whose absolute value shows on hover (and stays machine-readable in a <time> element).
  D.timeCell = function (tr, iso, label) {
    const td = document.createElement('td');
    if (label) td.dataset.label = label;
    td.appendChild(D.timeElement(iso));
    tr.appendChild(td);
    return td;
  };

  D.timeElement = function (iso) {
    const t = document.createElement('time');
    t.textContent = D.ago(iso);
    if (iso) { t.dateTime = iso; t.title = D.absolute(iso); }
    return t;
  };

  D.fmt = (v, d, unit) => v == null ? null : Number(v).toFixed(d) + (unit || '');

  D.can = role => ({ viewer: 0, operator: 1, admin: 2 }[D.role] || 0) >= ({ viewer: 0, operator: 1, admin: 2 }[role]);
})();
