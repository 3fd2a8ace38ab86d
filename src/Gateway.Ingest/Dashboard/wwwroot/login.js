// Shows why the last login failed (the server redirects back with ?failed=1 or ?locked=1).
(function () {
  'use strict';
  const q = new URLSearchParams(location.search);
  const box = document.getElementById('login-error');
  if (q.has('failed')) { box.textContent = 'Wrong user name or password.'; box.hidden = false; }
  if (q.has('locked')) { box.textContent = 'Too many failed attempts: wait a minute and try again.'; box.hidden = false; }
})();
