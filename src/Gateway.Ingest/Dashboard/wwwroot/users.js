// What an admin may change: the accounts (add, change a role, reset a password, remove). The server checks the role
// again, refuses to remove the admin's own account or the last admin, and logs out an account whose password was reset.
(function () {
  'use strict';
  const D = window.Dash;
  const form = document.getElementById('user-form');
  const error = document.getElementById('user-error');

  D.renderUsers = function (users) {
    document.getElementById('users-panel').hidden = false;
    document.querySelector('#users-table tbody').replaceChildren(...users.map(u => {
      const tr = document.createElement('tr');
      tr.dataset.user = u.user;
      D.cell(tr, u.user, 'title', 'User'); D.cell(tr, u.role, 'account-role', 'Role');
      D.cell(tr, u.fromConfig ? 'central config' : 'state (edited here)', '', 'Kept in');
      const actions = D.cell(tr, '', 'actions');
      actions.appendChild(D.button('Edit', 'edit-user', () => {
        document.getElementById('user-name').value = u.user;
        document.getElementById('user-role').value = u.role;
        document.getElementById('user-password').focus();
      }));
      actions.appendChild(D.button('Remove', 'remove-user', () => change('/api/users/remove', { user: u.user }, 'Remove the account ' + u.user + '?')));
      return tr;
    }));
  };

  async function change(path, body, question) {
    if (question && !confirm(question)) return;
    error.hidden = true;
    try {
      await D.post(path, body);
      D.renderUsers(await D.api('/api/users'));
      return true;
    } catch (err) {
      error.textContent = err.message; error.hidden = false;
      return false;
    }
  }

  form.addEventListener('submit', async e => {
    e.preventDefault();
    const password = document.getElementById('user-password').value;
    const body = { user: document.getElementById('user-name').value.trim(), role: document.getElementById('user-role').value };
    if (password) body.password = password;
    if (await change('/api/users', body)) form.reset();
  });
})();
