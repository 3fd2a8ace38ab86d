// Loaded first, in the page's head: asks for the fleet while the browser is still fetching and parsing the map and
// chart libraries, instead of after them (the first load's longest wait: deploy/bench/dashboard.sh prints the timeline).
// D.api takes each answer once; later calls fetch afresh.
(function () {
  'use strict';
  const paths = ['/api/me', '/api/gateways', '/api/assets', '/api/alerts', '/api/map', '/api/events', '/api/gateways/retired'];
  window.DashPrefetch = new Map(paths.map(p => [p, fetch(p, { credentials: 'same-origin' })]));
})();
