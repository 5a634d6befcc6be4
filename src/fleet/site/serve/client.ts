/**
 * The site page's script, served as /app.js (no build step: plain browser JavaScript in a string).
 * Sorting and search work on the rows the server rendered; a decision from the server-sent events
 * is added with textContent (never as markup), then the list and gates bodies are fetched again as
 * server-rendered, escaped HTML (/list, /gates), so one renderer escapes everything. The gates'
 * body is also fetched every `data-refresh-ms` of the gates table, so its ages go on counting.
 */
export const CLIENT_JS = `'use strict';
(function () {
  var date = document.body.dataset.date;
  var list = document.querySelector('#list tbody');
  var sortCol = -1, sortDir = 1;
  var search = document.getElementById('search');
  function key(tr, col) { var c = tr.children[col]; return c ? (c.dataset.sort !== undefined ? c.dataset.sort : c.textContent) : ''; }
  function apply() {
    var rows = Array.prototype.slice.call(list.rows);
    if (sortCol >= 0) {
      rows.sort(function (a, b) { return sortDir * key(a, sortCol).localeCompare(key(b, sortCol), 'nb', { numeric: true }); });
      rows.forEach(function (r) { list.appendChild(r); });
    }
    var q = search.value.trim().toLowerCase(), shown = 0;
    rows.forEach(function (r) { var hit = q === '' || r.textContent.toLowerCase().indexOf(q) >= 0; r.hidden = !hit; if (hit) shown++; });
    document.getElementById('count').textContent = shown + ' worker(s)' + (q ? ' matching' : '');
  }
  document.querySelectorAll('#list th').forEach(function (th) {
    th.addEventListener('click', function () {
      var col = Number(th.dataset.col);
      sortDir = col === sortCol ? -sortDir : 1; sortCol = col;
      document.querySelectorAll('#list th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
      apply();
    });
  });
  search.addEventListener('input', apply);
  var pending = null;
  function refresh() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      fetch('/list?date=' + encodeURIComponent(date)).then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { list.innerHTML = html; apply(); }).catch(function () {});
      gates();
    }, 200);
  }
  function gates() {
    fetch('/gates').then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { document.querySelector('#gates tbody').innerHTML = html; }).catch(function () {});
  }
  // The gates' "list age now (at most)" counts on between taps: the server renders it afresh.
  var every = Number(document.getElementById('gates').dataset.refreshMs);
  if (every > 0) setInterval(gates, every);
  var ol = document.getElementById('decisions');
  var es = new EventSource('/events');
  es.addEventListener('decision', function (ev) {
    var d = JSON.parse(ev.data);
    var li = document.createElement('li');
    li.className = d.allow ? 'allow' : 'deny';
    li.textContent = d.text;
    ol.insertBefore(li, ol.firstChild);
    while (ol.children.length > 50) ol.removeChild(ol.lastChild);
    refresh();
  });
})();
`;
