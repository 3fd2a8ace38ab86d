// What an operator may change: the asset registry (name, kind, home site, owner, notes), acknowledging alerts, and
// retiring or restoring gateways. The server checks the role again; the page only hides what the role may not do.
(function () {
  'use strict';
  const D = window.Dash;
  const dialog = document.getElementById('asset-dialog');
  let editing = null;

  D.editAsset = function (a) {
    editing = a.tag;
    document.getElementById('asset-form-tag').textContent = a.tag;
    document.getElementById('asset-name').value = a.registered === false ? '' : a.name;
    document.getElementById('asset-kind').value = a.kind || '';
    document.getElementById('asset-owner').value = a.owner || '';
    document.getElementById('asset-notes').value = a.notes || '';
    const site = document.getElementById('asset-site');
    const none = document.createElement('option'); none.value = ''; none.textContent = '(none)';
    site.replaceChildren(none, ...D.state.sites.map(s => { const o = document.createElement('option'); o.value = s; o.textContent = s; return o; }));
    site.value = a.site || '';
    document.getElementById('asset-error').hidden = true;
    dialog.showModal();
  };

  document.getElementById('asset-cancel').addEventListener('click', () => dialog.close());
  document.getElementById('asset-form').addEventListener('submit', async e => {
    e.preventDefault();
    try {
      const saved = await D.post('/api/registry', {
        tag: editing, name: document.getElementById('asset-name').value.trim(), kind: document.getElementById('asset-kind').value.trim(),
        site: document.getElementById('asset-site').value, owner: document.getElementById('asset-owner').value.trim(), notes: document.getElementById('asset-notes').value.trim(),
      });
      D.state.assets.set(saved.tag, saved);
      dialog.close();
      D.scheduleFull();
    } catch (err) {
      const box = document.getElementById('asset-error');
      box.textContent = err.message; box.hidden = false;
    }
  });

  D.acknowledge = async function (id) {
    try { await D.post('/api/alerts/ack', { id: id }); } catch (e) { /* cleared meanwhile: the list below says so */ }
    D.state.alerts = await D.api('/api/alerts');
    D.scheduleFull();
  };

  D.retire = async function (id) {
    if (!confirm('Retire gateway ' + id + '? It leaves the live lists; its history stays in the store.')) return;
    D.renderRetired(await D.post('/api/gateways/retire', { id: id }));
    D.state.gateways.delete(id);
    D.scheduleFull();
  };

  D.restore = async function (id) {
    D.renderRetired(await D.post('/api/gateways/restore', { id: id }));
  };
})();
