// The map, drawn by us in SVG: it must work with no internet (no tile server, no CDN). Web Mercator (EPSG:3857)
// projection, so that a site's tile server (dashboard.tileUrl, {z}/{x}/{y} as in the OSM slippy-map scheme) lines up
// under the same coordinates when one is configured; without one, a labelled latitude/longitude grid is the background.
(function () {
  'use strict';
  const NS = 'http://www.w3.org/2000/svg';
  const W = 1000, H = 640, PAD = 40;

  function mercator(lat, lon) {
    const x = (lon + 180) / 360;
    const s = Math.sin(lat * Math.PI / 180);
    const y = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    return [x, y];
  }

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  // A "nice" grid step in degrees for a span: 1, 2 or 5 times a power of ten.
  function niceStep(span) {
    const raw = span / 6;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (raw <= m * p) return m * p;
    return 10 * p;
  }

  function FleetMap(svg) {
    this.svg = svg;
    this.tileUrl = null;
    this.onSelect = null;
  }

  // data: { fences: [{name, points:[[lat,lon]]}], gateways: [...], assets: [...], trails: {tag: [[t,lat,lon]]}, history: [[lat,lon]] }
  FleetMap.prototype.draw = function (data) {
    const svg = this.svg;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const pts = [];
    data.fences.forEach(f => f.points.forEach(p => pts.push(p)));
    data.gateways.forEach(g => { if (g.lat != null) pts.push([g.lat, g.lon]); });
    data.assets.forEach(a => { if (a.lat != null) pts.push([a.lat, a.lon]); });
    Object.values(data.trails).forEach(t => t.forEach(p => pts.push([p[1], p[2]])));
    (data.history || []).forEach(p => pts.push(p));
    if (pts.length === 0) {
      el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'grid-label' }, svg).textContent = 'No positions yet';
      return;
    }
    let minLat = Infinity, maxLat = -Infinity, minLon = Infinity, maxLon = -Infinity;
    pts.forEach(([la, lo]) => { minLat = Math.min(minLat, la); maxLat = Math.max(maxLat, la); minLon = Math.min(minLon, lo); maxLon = Math.max(maxLon, lo); });
    // At least ~200 m across, so one point alone still gets a sensible scale.
    const minSpan = 0.002;
    if (maxLat - minLat < minSpan) { const c = (maxLat + minLat) / 2; minLat = c - minSpan / 2; maxLat = c + minSpan / 2; }
    if (maxLon - minLon < minSpan) { const c = (maxLon + minLon) / 2; minLon = c - minSpan / 2; maxLon = c + minSpan / 2; }
    const [x0, y1] = mercator(minLat, minLon), [x1, y0] = mercator(maxLat, maxLon);
    const scale = Math.min((W - 2 * PAD) / (x1 - x0), (H - 2 * PAD) / (y1 - y0));
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    const project = (lat, lon) => { const [x, y] = mercator(lat, lon); return [W / 2 + (x - cx) * scale, H / 2 + (y - cy) * scale]; };
    const unproject = (px, py) => {
      const x = (px - W / 2) / scale + cx, y = (py - H / 2) / scale + cy;
      const lon = x * 360 - 180;
      const lat = Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180 / Math.PI;
      return [lat, lon];
    };
    if (this.tileUrl) this.drawTiles(scale, cx, cy);
    this.drawGrid(unproject, project);
    data.fences.forEach(f => {
      el('polygon', { class: 'fence', points: f.points.map(p => project(p[0], p[1]).join(',')).join(' ') }, svg);
      const [lx, ly] = project(f.points[0][0], f.points[0][1]);
      el('text', { x: lx + 4, y: ly - 4, class: 'fence-label' }, svg).textContent = f.name;
    });
    for (const tag in data.trails) {
      const t = data.trails[tag];
      if (t.length > 1) el('polyline', { class: 'trail', points: t.map(p => project(p[1], p[2]).join(',')).join(' ') }, svg);
    }
    if (data.history && data.history.length > 1)
      el('polyline', { class: 'trail history', points: data.history.map(p => project(p[0], p[1]).join(',')).join(' ') }, svg);
    data.gateways.forEach(g => {
      if (g.lat == null) return;
      const [x, y] = project(g.lat, g.lon);
      const r = el('rect', { x: x - 7, y: y - 7, width: 14, height: 14, class: 'gw' + (g.online === false ? ' offline' : ''), 'data-gateway': g.id }, svg);
      el('title', {}, r).textContent = g.id;
      el('text', { x: x + 10, y: y + 4, class: 'label' }, svg).textContent = g.id;
    });
    data.assets.forEach(a => {
      if (a.lat == null) return;
      const [x, y] = project(a.lat, a.lon);
      const cls = 'asset' + (a.inAlert ? ' alarm' : a.moving ? ' moving' : '');
      const c = el('circle', { cx: x, cy: y, r: 7, class: cls, 'data-tag': a.tag }, svg);
      el('title', {}, c).textContent = a.name + ' (' + a.tag + ')';
      c.addEventListener('click', () => this.onSelect && this.onSelect(a.tag));
      el('text', { x: x + 10, y: y + 4, class: 'label' }, svg).textContent = a.name;
    });
  };

  FleetMap.prototype.drawGrid = function (unproject, project) {
    const [topLat, leftLon] = unproject(0, 0), [bottomLat, rightLon] = unproject(W, H);
    const step = niceStep(Math.max(rightLon - leftLon, topLat - bottomLat));
    const digits = Math.max(0, -Math.floor(Math.log10(step)));
    const g = el('g', {}, this.svg);
    for (let lon = Math.ceil(leftLon / step) * step; lon <= rightLon; lon += step) {
      const [x] = project(0, lon);
      el('line', { x1: x, y1: 0, x2: x, y2: H, class: 'grid' }, g);
      el('text', { x: x + 3, y: H - 4, class: 'grid-label' }, g).textContent = lon.toFixed(digits) + '°';
    }
    for (let lat = Math.ceil(bottomLat / step) * step; lat <= topLat; lat += step) {
      const [, y] = project(lat, 0);
      el('line', { x1: 0, y1: y, x2: W, y2: y, class: 'grid' }, g);
      el('text', { x: 3, y: y - 3, class: 'grid-label' }, g).textContent = lat.toFixed(digits) + '°';
    }
  };

  FleetMap.prototype.drawTiles = function (scale, cx, cy) {
    // 256-pixel tiles: at zoom z the world is 256 * 2^z pixels; pick the zoom whose tiles are drawn closest to 256 px.
    const z = Math.max(0, Math.min(19, Math.round(Math.log2(scale / 256))));
    const n = Math.pow(2, z), size = scale / n;
    const left = cx - (W / 2) / scale, top = cy - (H / 2) / scale;
    const g = el('g', {}, this.svg);
    for (let tx = Math.floor(left * n); tx < Math.ceil((left + W / scale) * n); tx++) {
      for (let ty = Math.floor(top * n); ty < Math.ceil((top + H / scale) * n); ty++) {
        if (ty < 0 || ty >= n) continue;
        const href = this.tileUrl.replace('{z}', z).replace('{x}', ((tx % n) + n) % n).replace('{y}', ty);
        el('image', { href: href, x: W / 2 + (tx / n - cx) * scale, y: H / 2 + (ty / n - cy) * scale, width: size + 0.5, height: size + 0.5 }, g);
      }
    }
  };

  window.FleetMap = FleetMap;
})();
