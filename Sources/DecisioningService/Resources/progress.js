// The progress page of `decisioning serve`'s web dashboard: follows a run's events (server-sent,
// from /runs/{id}/events, authenticated by the session cookie) after the last one the page was
// rendered with, and updates each agent's row until `run.finished`. The page works without it:
// it then reloads itself while the run goes on. No inline script: the page loads this file.
(function () {
  'use strict';
  var root = document.getElementById('progress');
  if (!root || root.getAttribute('data-state') === 'finished' || !window.EventSource) { return; }

  var rows = document.getElementById('agent-rows');
  var state = document.getElementById('run-state');
  var done = document.getElementById('run-done');
  var seen = 0;
  var tones = { succeeded: 'good', degraded: 'warn', retrying: 'warn', 'timed out': 'warn', failed: 'bad', running: 'info' };

  function title(agent) {
    var base = agent.replace(/_agent$/, '');
    return base.split('_').map(function (w) { return w.charAt(0).toUpperCase() + w.slice(1); }).join(' ');
  }

  function row(agent) {
    var found = rows.querySelectorAll('tr[data-agent]');
    for (var i = 0; i < found.length; i++) {
      if (found[i].getAttribute('data-agent') === agent) { return found[i]; }
    }
    var tr = document.createElement('tr');
    tr.setAttribute('data-agent', agent);
    var name = document.createElement('td');
    name.className = 'dtitle';
    name.textContent = title(agent);
    var cell = document.createElement('td');
    cell.className = 'state';
    var badge = document.createElement('span');
    badge.className = 'badge neutral';
    cell.appendChild(badge);
    var detail = document.createElement('td');
    detail.className = 'detail why';
    tr.appendChild(name);
    tr.appendChild(cell);
    tr.appendChild(detail);
    rows.appendChild(tr);
    return tr;
  }

  function show(agent, status, detail) {
    if (!agent) { return; }
    var tr = row(agent);
    var badge = tr.querySelector('td.state .badge');
    badge.className = 'badge ' + (tones[status] || 'neutral');
    badge.textContent = status;
    tr.querySelector('td.detail').textContent = detail || '';
  }

  function duration(ms) {
    if (typeof ms !== 'number') { return ''; }
    return ms < 1000 ? Math.round(ms) + ' ms' : (ms / 1000).toFixed(1) + ' s';
  }

  function data(event) {
    seen += 1;
    root.setAttribute('data-events-seen', String(seen));
    try { return JSON.parse(event.data) || {}; } catch (e) { return {}; }
  }

  var url = root.getAttribute('data-events') + '?after=' + encodeURIComponent(root.getAttribute('data-after') || '0');
  var source = new EventSource(url);
  root.setAttribute('data-live', 'connecting');
  source.onopen = function () { root.setAttribute('data-live', 'open'); };
  source.onerror = function () {
    if (root.getAttribute('data-state') !== 'finished') { root.setAttribute('data-live', 'reconnecting'); }
  };

  source.addEventListener('agent.started', function (e) {
    var d = data(e);
    show(d.agent, 'running', 'attempt ' + (d.attempt || 1));
  });
  source.addEventListener('agent.retry', function (e) {
    var d = data(e);
    show(d.agent, 'retrying', d.error || '');
  });
  source.addEventListener('agent.timeout', function (e) {
    var d = data(e);
    show(d.agent, 'timed out', 'after ' + d.timeout_seconds + ' s');
  });
  source.addEventListener('agent.finished', function (e) {
    var d = data(e);
    var detail = duration(d.duration_ms);
    if (d.error) { detail += (detail ? ' · ' : '') + d.error; }
    show(d.agent, d.status || 'finished', detail);
  });
  source.addEventListener('run.started', function (e) { data(e); });
  source.addEventListener('run.finished', function (e) {
    var d = data(e);
    source.close();
    var status = d.status || 'unknown';
    root.setAttribute('data-state', 'finished');
    root.setAttribute('data-live', 'closed');
    root.setAttribute('data-status', status);
    state.textContent = 'Finished: ' + status;
    state.className = 'runstate ' + ({ succeeded: 'good', degraded: 'warn', failed: 'bad' }[status] || 'neutral');
    done.className = 'done';
  });
})();
