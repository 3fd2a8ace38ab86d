// Charts with time and value axes (npm uplot): one small chart per metric, sized to its container.
(function () {
  'use strict';
  const D = window.Dash;
  const charts = [];

  D.clearCharts = function () {
    charts.splice(0).forEach(c => c.destroy());
    document.getElementById('charts').replaceChildren();
  };

  // points: [[unix ms, value]]; labels (optional) name the integer levels of a categorical line (clock source).
  D.chart = function (name, unit, points, labels) {
    const box = document.createElement('div');
    box.className = 'chart';
    box.dataset.metric = name;
    box.dataset.points = String(points.length);
    document.getElementById('charts').appendChild(box);
    const width = Math.max(260, Math.min(560, box.clientWidth || 360));
    const data = [points.map(p => p[0] / 1000), points.map(p => p[1])];
    const value = labels ? (u, v) => v == null ? '–' : labels[v] || String(v) : (u, v) => v == null ? '–' : (+v).toFixed(2) + (unit ? ' ' + unit : '');
    const opts = {
      title: name.replace(/_/g, ' ') + (unit ? ' (' + unit + ')' : ''),
      width: width, height: 160,
      scales: { x: { time: true }, y: labels ? { range: [-0.5, labels.length - 0.5] } : { auto: true } },
      axes: [{}, { size: 60, values: labels ? (u, ticks) => ticks.map(t => Number.isInteger(t) ? labels[t] || '' : '') : undefined, incrs: labels ? [1] : undefined }],
      series: [{ value: (u, t) => t == null ? '–' : D.absolute(t * 1000) }, { label: name, stroke: '#2d5fa8', width: 2, value: value, points: { show: points.length < 60 } }],
      legend: { show: true },
    };
    charts.push(new uPlot(opts, data, box));
  };
})();
