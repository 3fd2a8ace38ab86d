// The map: Leaflet (npm leaflet, embedded at build time) with the base layer the central config chose (an offline MBTiles
// archive served by this service, a site tile server, or a labelled coordinate grid when there is neither), the
// geofences as polygons, gateways as squares and assets as circles (clustered when they crowd), a scale bar, labels
// that hide when they would overlap, and the selected history track with times along it.
(function () {
  'use strict';
  const D = window.Dash = window.Dash || {};

  // A labelled latitude/longitude grid drawn per tile: the map still has a frame of reference with no tiles at all.
  const GridLayer = L.GridLayer.extend({
    createTile: function (coords) {
      const tile = document.createElement('canvas');
      const size = this.getTileSize();
      tile.width = size.x; tile.height = size.y;
      const ctx = tile.getContext('2d');
      ctx.fillStyle = '#fbfcfd'; ctx.fillRect(0, 0, size.x, size.y);
      ctx.strokeStyle = '#d8dce3'; ctx.strokeRect(0, 0, size.x, size.y);
      const nw = this._map.unproject([coords.x * size.x, coords.y * size.y], coords.z);
      ctx.fillStyle = '#9aa1ab'; ctx.font = '11px system-ui, sans-serif';
      const digits = Math.max(0, Math.min(6, Math.round(coords.z * 0.3)));
      ctx.fillText(nw.lat.toFixed(digits) + '°, ' + nw.lng.toFixed(digits) + '°', 4, 14);
      return tile;
    },
  });

  // A large fleet as dots on one canvas, drawn in one pass; a dot is an entry in a map, not a Leaflet layer. Ten thousand
  // layers (an object, a projection and event handlers each) took seconds to create and re-project
  // (deploy/bench/dashboard.sh); this draws them in milliseconds. Names show on hover, a click selects.
  // dot: {lat, lon, fill, label}; options.square: squares (gateways) instead of circles.
  const Still = '#4a4f57';
  const DotLayer = L.Layer.extend({
    initialize: function (onSelect, options) {
      L.setOptions(this, options);
      this.dots = new Map();
      this.onSelect = onSelect;
      this.drawn = [];
    },
    onAdd: function (map) {
      // leaflet-zoom-hide: hidden while a zoom animates, redrawn when it ends.
      this.canvas = L.DomUtil.create('canvas', 'dot-layer leaflet-zoom-hide', map.getPanes().overlayPane);
      this.tooltip = L.tooltip({ direction: 'top', offset: [0, -6] });
      map.on('moveend zoomend resize viewreset', this.redraw, this);
      map.on('click', this.click, this);
      map.on('mousemove', this.hover, this);
      this.redraw();
    },
    onRemove: function (map) {
      map.off('moveend zoomend resize viewreset', this.redraw, this);
      map.off('click', this.click, this);
      map.off('mousemove', this.hover, this);
      L.DomUtil.remove(this.canvas);
    },
    // Many changes in one task (a load, a batch of live updates, a fit that moves the map) draw once, in the next frame.
    redraw: function () {
      if (this.pending) return;
      this.pending = true;
      requestAnimationFrame(() => { this.pending = false; this.draw(); });
    },
    draw: function () {
      const map = this._map;
      if (!map) return;
      const size = map.getSize(), ratio = window.devicePixelRatio || 1, c = this.canvas;
      L.DomUtil.setPosition(c, map.containerPointToLayerPoint([0, 0]));
      c.width = size.x * ratio; c.height = size.y * ratio;
      c.style.width = size.x + 'px'; c.style.height = size.y + 'px';
      const ctx = c.getContext('2d');
      ctx.scale(ratio, ratio);
      ctx.lineWidth = 1; ctx.strokeStyle = '#fff';
      // A dot's world pixel position is kept per zoom level: a pan only shifts the origin, nothing is projected again.
      const zoom = map.getZoom(), origin = map.getPixelBounds().min;
      const byFill = new Map();
      this.drawn = [];
      for (const [key, d] of this.dots) {
        if (d.zoom !== zoom) { const p = map.project([d.lat, d.lon], zoom); d.px = p.x; d.py = p.y; d.zoom = zoom; }
        const x = d.px - origin.x, y = d.py - origin.y;
        if (x < -8 || y < -8 || x > size.x + 8 || y > size.y + 8) continue;
        let list = byFill.get(d.fill);
        if (!list) byFill.set(d.fill, list = []);
        list.push(x, y);
        this.drawn.push({ key: key, x: x, y: y });
      }
      // One path per colour (a fill and a stroke each, not one per dot); grey first, so coloured dots stay on top.
      const square = this.options.square;
      [...byFill.keys()].sort((a, b) => (a === Still ? 0 : 1) - (b === Still ? 0 : 1)).forEach(fill => {
        const xy = byFill.get(fill);
        ctx.beginPath();
        for (let i = 0; i < xy.length; i += 2) {
          if (square) ctx.rect(xy[i] - 5, xy[i + 1] - 5, 10, 10);
          else { ctx.moveTo(xy[i] + 4, xy[i + 1]); ctx.arc(xy[i], xy[i + 1], 4, 0, 2 * Math.PI); }
        }
        ctx.fillStyle = fill; ctx.fill(); ctx.stroke();
      });
    },
    nearest: function (point) {
      let best = null, bestDistance = 49;
      for (const d of this.drawn) {
        const distance = (d.x - point.x) ** 2 + (d.y - point.y) ** 2;
        if (distance < bestDistance) { best = d; bestDistance = distance; }
      }
      return best;
    },
    click: function (e) {
      const hit = this.nearest(e.containerPoint);
      if (hit) this.onSelect(hit.key);
    },
    hover: function (e) {
      const hit = this._map.dragging && this._map.dragging.moving() ? null : this.nearest(e.containerPoint);
      const d = hit && this.dots.get(hit.key);
      this._map.getContainer().style.cursor = d ? 'pointer' : '';
      if (!d) { if (this._map.hasLayer(this.tooltip)) this._map.closeTooltip(this.tooltip); return; }
      this.tooltip.setLatLng([d.lat, d.lon]).setContent(d.label);
      if (!this._map.hasLayer(this.tooltip)) this.tooltip.addTo(this._map);
    },
  });

  function FleetMap(element, onSelect) {
    this.onSelect = onSelect;
    this.map = L.map(element, { maxZoom: 22, minZoom: 2, zoomControl: true, attributionControl: true, preferCanvas: false, worldCopyJump: true });
    this.map.attributionControl.setPrefix(false);
    L.control.scale({ imperial: false, maxWidth: 150 }).addTo(this.map);
    this.fences = L.layerGroup().addTo(this.map);
    this.gateways = L.layerGroup().addTo(this.map);
    this.assets = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false, chunkedLoading: true, spiderfyOnMaxZoom: true });
    this.map.addLayer(this.assets);
    this.track = L.layerGroup().addTo(this.map);
    this.gatewayMarkers = new Map();
    this.assetMarkers = new Map();
    this.fitted = false;
    this.map.on('zoomend moveend', () => this.declutter());
    this.assets.on('animationend', () => this.declutter());
    this.map.setView([0, 0], 2);
  }

  // tiles: {kind: 'archive'|'url'|'grid', url, minZoom, maxZoom, attribution}
  FleetMap.prototype.setBase = function (tiles) {
    if (this.base) this.map.removeLayer(this.base);
    if (tiles.kind === 'grid') {
      this.base = new GridLayer({ maxZoom: 22 });
    } else {
      // An archive has tiles only down to its maxZoom: deeper zooms scale its last level up instead of showing nothing.
      // Above its minZoom (and outside its bounds) the layer asks for nothing: scaling deep tiles down to a world view
      // would mean millions of requests.
      const options = { minZoom: tiles.minZoom || 0, maxZoom: 22, maxNativeZoom: tiles.maxZoom || 19, attribution: tiles.attribution || '', className: 'base-tiles' };
      if (tiles.bounds) options.bounds = [[tiles.bounds[1], tiles.bounds[0]], [tiles.bounds[3], tiles.bounds[2]]];
      this.base = L.tileLayer(tiles.url, options);
    }
    this.base.addTo(this.map);
    this.base.bringToBack();
  };

  FleetMap.prototype.setFences = function (fences) {
    this.fences.clearLayers();
    fences.forEach(f => {
      const p = L.polygon(f.points, { className: 'fence', color: '#8a6d00', weight: 2, dashArray: '6 4', fillOpacity: 0.06 });
      p.bindTooltip(f.name, { sticky: true });
      p.addTo(this.fences);
    });
  };

  // More gateways than this get their names on hover only: a thousand permanent labels would be unreadable anyway.
  const MaxLabelledGateways = 200;

  function label(marker, text, cls) {
    marker.bindTooltip(text, { permanent: true, direction: 'right', offset: [8, 0], className: 'map-label ' + cls });
  }

  FleetMap.prototype.updateGateways = function (gateways) {
    if (gateways.length > MaxLabelledGateways && !this.gatewayDots) {
      this.map.removeLayer(this.gateways);
      this.gatewayMarkers.clear();
      this.gatewayDots = new DotLayer(key => this.onSelect(key), { square: true });
      this.map.addLayer(this.gatewayDots);
    }
    if (this.gatewayDots) {
      this.gatewayDots.dots.clear();
      gateways.forEach(g => { if (g.lat != null) this.gatewayDots.dots.set('gateway/' + g.id, { lat: g.lat, lon: g.lon, fill: g.online === false ? '#9aa1ab' : '#2d5fa8', label: g.id }); });
      this.gatewayDots.redraw();
      return;
    }
    const seen = new Set();
    gateways.forEach(g => {
      if (g.lat == null) return;
      seen.add(g.id);
      const cls = 'gw-icon' + (g.online === false ? ' offline' : '');
      let m = this.gatewayMarkers.get(g.id);
      if (!m) {
        m = L.marker([g.lat, g.lon], { icon: L.divIcon({ className: cls, iconSize: [14, 14] }), keyboard: false, zIndexOffset: 1000, title: g.id });
        if (gateways.length <= MaxLabelledGateways) label(m, g.id, 'gw-label');
        m.on('click', () => this.onSelect('gateway/' + g.id));
        m.addTo(this.gateways);
        m.getElement().dataset.gateway = g.id;
        this.gatewayMarkers.set(g.id, m);
      } else {
        const ll = m.getLatLng();
        if (ll.lat !== g.lat || ll.lng !== g.lon) m.setLatLng([g.lat, g.lon]);
        m.getElement().classList.toggle('offline', g.online === false);
      }
    });
    for (const [id, m] of this.gatewayMarkers) if (!seen.has(id)) { this.gateways.removeLayer(m); this.gatewayMarkers.delete(id); }
  };

  function assetClass(a) {
    return 'asset-icon' + (a.inAlert ? ' alarm' : a.moving ? ' moving' : '') + (a.registered === false ? ' unregistered' : '');
  }

  // Above this many assets the map draws them as dots on one canvas (DotLayer) instead of one element each: a cluster
  // group that re-sorts thousands of moving markers, and thousands of labels, would keep the browser busy far longer
  // than the quarter second between redraws (deploy/bench/dashboard.sh); names then show on hover.
  const LargeFleet = 1000;
  const dotColour = a => a.inAlert ? '#c62828' : a.moving ? '#1f9d55' : Still;

  // assets: all of them (complete: the ones missing are removed) or only those that changed.
  FleetMap.prototype.updateAssets = function (assets, complete) {
    if (this.large === undefined && assets.length) {
      this.large = assets.length > LargeFleet;
      if (this.large) {
        this.map.removeLayer(this.assets);
        this.assetDots = new DotLayer(key => this.onSelect(key));
        // Under the gateways' squares.
        this.map.addLayer(this.assetDots);
        if (this.gatewayDots) this.gatewayDots.canvas.parentNode.appendChild(this.gatewayDots.canvas);
      }
    }
    if (this.large) {
      const dots = this.assetDots.dots;
      if (complete) dots.clear();
      assets.forEach(a => { if (a.lat != null) dots.set('asset/' + a.tag, { lat: a.lat, lon: a.lon, fill: dotColour(a), label: a.name + ' (' + a.tag + ')' }); });
      if (!this.fitted) this.fit();
      this.assetDots.redraw();
      return;
    }
    const add = [];
    const seen = new Set();
    assets.forEach(a => {
      if (a.lat == null) return;
      seen.add(a.tag);
      let m = this.assetMarkers.get(a.tag);
      const cls = assetClass(a);
      if (!m) {
        m = L.marker([a.lat, a.lon], { icon: L.divIcon({ className: cls, iconSize: [14, 14] }), keyboard: false, title: a.name + ' (' + a.tag + ')' });
        label(m, a.name, 'asset-label');
        m.on('add', () => { const e = m.getElement(); if (e) e.dataset.tag = a.tag; });
        m.tag = a.tag; m.cls = cls;
        m.on('click', () => this.onSelect('asset/' + a.tag));
        this.assetMarkers.set(a.tag, m);
        add.push(m);
      } else {
        const ll = m.getLatLng();
        if (ll.lat !== a.lat || ll.lng !== a.lon) m.setLatLng([a.lat, a.lon]);
        if (m.cls !== cls) {
          m.cls = cls;
          m.setIcon(L.divIcon({ className: cls, iconSize: [14, 14] }));
          const e = m.getElement(); if (e) e.dataset.tag = a.tag;
        }
      }
    });
    if (add.length) this.assets.addLayers(add);
    const gone = [];
    if (complete) for (const [tag, m] of this.assetMarkers) if (!seen.has(tag)) { gone.push(m); this.assetMarkers.delete(tag); }
    if (gone.length) this.assets.removeLayers(gone);
    if (!this.fitted) this.fit();
    this.declutter();
  };

  FleetMap.prototype.fit = function () {
    const pts = [];
    this.fences.eachLayer(l => l.getLatLngs()[0].forEach(p => pts.push(p)));
    for (const m of this.gatewayMarkers.values()) pts.push(m.getLatLng());
    for (const m of this.assetMarkers.values()) pts.push(m.getLatLng());
    for (const layer of [this.gatewayDots, this.assetDots]) if (layer) for (const d of layer.dots.values()) pts.push([d.lat, d.lon]);
    if (!pts.length) return;
    this.fitted = true;
    this.map.fitBounds(L.latLngBounds(pts).pad(0.1), { maxZoom: 16 });
  };

  // Hides every permanent label that would overlap one already shown (gateways first), so names stay readable.
  FleetMap.prototype.declutter = function () {
    const shown = [];
    const labels = [...document.querySelectorAll('.map-label.gw-label'), ...document.querySelectorAll('.map-label.asset-label')];
    labels.forEach(el => el.classList.remove('hidden-label'));
    labels.forEach(el => {
      const r = el.getBoundingClientRect();
      if (shown.some(s => r.left < s.right && r.right > s.left && r.top < s.bottom && r.bottom > s.top)) el.classList.add('hidden-label');
      else shown.push(r);
    });
  };

  // points: [{t, lat, lon}], oldest first; draws the track with a time label every so often and returns nothing.
  FleetMap.prototype.showTrack = function (points) {
    this.track.clearLayers();
    this.replayMarker = null;
    if (!points.length) return;
    L.polyline(points.map(p => [p.lat, p.lon]), { className: 'history-track', color: '#7b1fa2', weight: 3, opacity: 0.8 }).addTo(this.track);
    const every = Math.max(1, Math.ceil(points.length / 8));
    points.forEach((p, i) => {
      if (i % every !== 0 && i !== points.length - 1) return;
      const c = L.circleMarker([p.lat, p.lon], { radius: 3, className: 'track-time', color: '#7b1fa2' });
      c.bindTooltip(D.clock(p.t), { permanent: true, direction: 'top', className: 'time-label' });
      c.addTo(this.track);
    });
    this.map.fitBounds(L.latLngBounds(points.map(p => [p.lat, p.lon])).pad(0.2), { maxZoom: 17 });
  };

  FleetMap.prototype.replayAt = function (p) {
    if (!this.replayMarker) {
      this.replayMarker = L.circleMarker([p.lat, p.lon], { radius: 8, className: 'replay-marker', color: '#7b1fa2', fillOpacity: 0.9 }).addTo(this.track);
    }
    this.replayMarker.setLatLng([p.lat, p.lon]);
  };

  D.FleetMap = FleetMap;
})();
