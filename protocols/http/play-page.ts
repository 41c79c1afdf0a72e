/**
 * `/play`: a small self-contained query page (textarea, Run, results table). It posts the query with
 * `default_format=JSON` and the credentials typed in, and shows errors as the server's own text.
 */
export const PLAY_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>Hadron Play</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1rem 2rem; background: #fafafa; color: #222; }
  header { display: flex; gap: .5rem; align-items: center; margin-bottom: .5rem; }
  header h1 { font-size: 1.2rem; margin: 0 1rem 0 0; }
  input { padding: .3rem; }
  textarea { width: 100%; height: 10rem; font-family: ui-monospace, monospace; font-size: .95rem; padding: .5rem; box-sizing: border-box; }
  button { padding: .4rem 1.2rem; font-size: 1rem; cursor: pointer; }
  #status { margin: .5rem 0; color: #555; }
  #error { white-space: pre-wrap; color: #b00020; font-family: ui-monospace, monospace; }
  table { border-collapse: collapse; font-family: ui-monospace, monospace; font-size: .9rem; background: #fff; }
  th, td { border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; vertical-align: top; }
  th { background: #eee; }
  td.num { text-align: right; }
</style>
</head>
<body>
<header>
  <h1>Hadron Play</h1>
  <label>User <input id="user" value="default" size="10"></label>
  <label>Password <input id="password" type="password" size="10"></label>
</header>
<textarea id="query" spellcheck="false">SELECT 1</textarea>
<div><button id="run">Run</button> <small>Ctrl+Enter</small></div>
<div id="status"></div>
<div id="error"></div>
<div id="result"></div>
<script>
(function () {
  var $ = function (id) { return document.getElementById(id); };
  function cell(tag, text, cls) {
    var el = document.createElement(tag);
    el.textContent = text;
    if (cls) el.className = cls;
    return el;
  }
  function show(json) {
    var table = document.createElement('table');
    var head = document.createElement('tr');
    json.meta.forEach(function (m) { head.appendChild(cell('th', m.name + ' ' + m.type)); });
    table.appendChild(head);
    json.data.forEach(function (row) {
      var tr = document.createElement('tr');
      json.meta.forEach(function (m) {
        var v = row[m.name];
        var text = v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        tr.appendChild(cell('td', text, typeof v === 'number' ? 'num' : ''));
      });
      table.appendChild(tr);
    });
    $('result').appendChild(table);
  }
  function run() {
    $('error').textContent = '';
    $('result').textContent = '';
    $('status').textContent = 'Running…';
    var started = performance.now();
    var headers = { 'X-ClickHouse-User': $('user').value || 'default' };
    if ($('password').value) headers['X-ClickHouse-Key'] = $('password').value;
    fetch('/?default_format=JSON', { method: 'POST', headers: headers, body: $('query').value })
      .then(function (r) {
        return r.text().then(function (text) {
          var elapsed = ((performance.now() - started) / 1000).toFixed(3) + ' s';
          if (!r.ok) {
            $('status').textContent = 'Error (HTTP ' + r.status + ', ' + elapsed + ')';
            $('error').textContent = text;
            return;
          }
          var json = null;
          try { json = JSON.parse(text); } catch (e) { json = null; }
          if (json && json.meta && json.data) {
            $('status').textContent = json.rows + ' rows in ' + elapsed;
            show(json);
          } else {
            $('status').textContent = 'Done in ' + elapsed;
            $('result').appendChild(cell('pre', text));
          }
        });
      })
      .catch(function (e) { $('status').textContent = ''; $('error').textContent = String(e); });
  }
  $('run').addEventListener('click', run);
  $('query').addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
  });
})();
</script>
</body>
</html>
`;
