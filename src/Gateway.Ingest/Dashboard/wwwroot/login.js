// Shows why the last login failed (the server redirects back with ?failed=1, ?wait=SECONDS or ?busy=1).
(function () {
  'use strict';
  const q = new URLSearchParams(location.search);
  const box = document.getElementById('login-error');
  const wait = Number(q.get('wait')) || 0;
  const next = wait > 0 ? ' The next try is possible in ' + wait + ' s.' : '';
  let text = null;
  if (q.has('failed')) text = 'Wrong user name or password.' + next;
  else if (wait > 0) text = 'Too many failed attempts from here or for this name: try again in ' + wait + ' s.';
  else if (q.has('busy')) text = 'The server is busy checking other logins: try again in a few seconds.';
  if (text) { box.textContent = text; box.hidden = false; }
})();
