import { SANDBOX_BOOTSTRAP } from './sandbox-bootstrap.js';

/**
 * The two worker threads behind JavaScript UDFs, as source text (run with `eval: true`, so they work the same
 * from `dist/` and under vitest):
 *
 * - the **sandbox** runs user code: one `vm` context per UDF definition (its own globals and builtins; no
 *   `require`, `process`, timers, file system or network; WebAssembly and code from strings off), each call
 *   under a time limit (`vm` timeout, microtasks included); its heap is capped with `resourceLimits`.
 * - the **supervisor** owns the sandbox: it relays requests from the engine, answers the engine through a
 *   SharedArrayBuffer (the engine waits with Atomics.wait, as function evaluation is synchronous), and when the
 *   sandbox runs out of memory, crashes or overruns its time limit it answers with that error and starts a new one.
 */
export const SANDBOX_WORKER_SOURCE = String.raw`'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const vm = require('node:vm');
// ArrayBuffer bytes a UDF context may hold (live from earlier calls, or allocated within the current call: the
// collector gives memory back only between calls): twice the heap limit.
const bufferLimit = 2 * ((workerData && workerData.maxOldMb) || 128) * 1048576;
const BOOT = ${JSON.stringify(SANDBOX_BOOTSTRAP)};
const bootScript = new vm.Script(BOOT, { filename: 'hadron-udf-bootstrap.js' });
const runScript = new vm.Script('__hadron_run()', { filename: 'hadron-udf-call.js' });
const contexts = new Map();

function nullProto(v) {
  if (v === null || typeof v !== 'object') return v;
  if (ArrayBuffer.isView(v)) return Object.setPrototypeOf(v, null);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = nullProto(v[i]);
    return Object.setPrototypeOf(v, null);
  }
  for (const k of Object.keys(v)) v[k] = nullProto(v[k]);
  return Object.setPrototypeOf(v, null);
}

function runIn(c, req, timeoutMs) {
  c.sandbox.__hadron_req = nullProto(req);
  let out;
  try {
    out = runScript.runInContext(c.ctx, { timeout: timeoutMs, breakOnSigint: false });
  } catch (e) {
    if (e && e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      return { ok: false, code: 'TIMEOUT_EXCEEDED', message: 'JavaScript UDF ' + req.name + ' did not finish within ' + timeoutMs + ' ms (javascript_udf_timeout_ms)' };
    }
    return { ok: false, code: 'UDF_INTERNAL_ERROR', message: 'JavaScript UDF ' + req.name + ' failed: ' + String(e && e.message) };
  } finally {
    c.sandbox.__hadron_req = undefined;
  }
  if (out === null || typeof out !== 'object') return { ok: false, code: 'UDF_INTERNAL_ERROR', message: 'JavaScript UDF ' + req.name + ': no answer' };
  if (out.ok === true) return { ok: true, value: out.value };
  return { ok: false, code: String(out.code || 'UDF_INTERNAL_ERROR'), message: String(out.message) };
}

function contextFor(def, timeoutMs) {
  let c = contexts.get(def.key);
  if (c) return c;
  const sandbox = Object.create(null);
  const ctx = vm.createContext(sandbox, {
    name: 'udf ' + def.name,
    codeGeneration: { strings: true, wasm: false },
    microtaskMode: 'afterEvaluate',
  });
  sandbox.__hadron_buffer_limit = bufferLimit;
  bootScript.runInContext(ctx);
  const text = def.aggregate ? 'var ' + def.name + ' = ' + def.source + '\n;' : def.source;
  try {
    new vm.Script(text, { filename: def.name + '.js' }).runInContext(ctx, { timeout: timeoutMs, breakOnSigint: false });
  } catch (e) {
    const why = e && e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT' ? 'its top-level code did not finish within ' + timeoutMs + ' ms' : String(e && e.message);
    throw Object.assign(new Error('the JavaScript UDF ' + def.name + ' is invalid. Detail error: ' + why), { udfCode: 'UDF_COMPILE_ERROR' });
  }
  c = { ctx, sandbox, free: sandbox.__hadron_free, count: sandbox.__hadron_count, forgotten: false };
  const check = runIn(c, { op: 'validate', name: def.name, aggregate: def.aggregate }, timeoutMs);
  if (!check.ok) throw Object.assign(new Error(check.message), { udfCode: check.code });
  contexts.set(def.key, c);
  return c;
}

parentPort.on('message', (msg) => {
  let reply;
  try {
    for (const f of msg.frees || []) {
      const c = contexts.get(f.key);
      if (!c) continue;
      c.free(f.sid);
      if (c.forgotten && c.count() === 0) contexts.delete(f.key);
    }
    // A dropped or replaced definition: its context goes once no UDA state lives in it (running queries keep theirs).
    for (const key of msg.forget || []) {
      const c = contexts.get(key);
      if (!c) continue;
      c.forgotten = true;
      if (c.count() === 0) contexts.delete(key);
    }
    if (msg.def) {
      const c = contextFor(msg.def, msg.timeoutMs);
      reply = Object.assign({ id: msg.id }, runIn(c, Object.assign(msg.req, { name: msg.def.name }), msg.timeoutMs));
    } else reply = { id: msg.id, ok: true, value: null };
  } catch (e) {
    reply = { id: msg.id, ok: false, code: (e && e.udfCode) || 'UDF_INTERNAL_ERROR', message: String(e && e.message) };
  }
  try {
    parentPort.postMessage(reply);
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, code: 'UDF_INTERNAL_ERROR', message: 'JavaScript UDF result cannot be transferred: ' + String(e && e.message) });
  }
});
`;

export const SUPERVISOR_WORKER_SOURCE = String.raw`'use strict';
const { Worker, workerData } = require('node:worker_threads');
const { port, flag, sandboxSource, maxOldMb } = workerData;
const signal = new Int32Array(flag);
const queue = [];
let sandbox = null;
let inflight = null;
let timer = null;

function spawn() {
  const w = new Worker(sandboxSource, {
    eval: true,
    resourceLimits: { maxOldGenerationSizeMb: maxOldMb, maxYoungGenerationSizeMb: Math.max(4, Math.min(32, Math.floor(maxOldMb / 4))), stackSizeMb: 4 },
    stdout: true,
    stderr: true,
    env: {},
    workerData: { maxOldMb },
  });
  w.on('message', (m) => { if (w === sandbox) onReply(m); });
  w.on('error', (e) => { if (w === sandbox) died(w, e, undefined); });
  w.on('exit', (code) => { if (w === sandbox) died(w, undefined, code); });
  sandbox = w;
}

function reply(m) {
  port.postMessage(m);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function onReply(m) {
  if (inflight === null || m.id !== inflight.id) return;
  clearTimeout(timer);
  inflight = null;
  reply(m);
  next();
}

function died(w, e, code) {
  sandbox = null;
  w.terminate().catch(() => {});
  if (inflight !== null) {
    clearTimeout(timer);
    const oom = e && e.code === 'ERR_WORKER_OUT_OF_MEMORY';
    const name = inflight.def ? inflight.def.name : '';
    reply({
      id: inflight.id,
      ok: false,
      code: oom ? 'UDF_MEMORY_THRESHOLD_EXCEEDED' : 'UDF_INTERNAL_ERROR',
      message: oom
        ? 'JavaScript UDF ' + name + ' exceeded the memory limit of the JavaScript sandbox (' + maxOldMb + ' MiB)'
        : 'The JavaScript sandbox stopped while running ' + name + ': ' + (e ? String(e.message) : 'exit code ' + code),
    });
    inflight = null;
  }
  next();
}

function next() {
  if (inflight !== null || queue.length === 0) return;
  if (sandbox === null) spawn();
  inflight = queue.shift();
  const current = inflight;
  timer = setTimeout(() => {
    if (inflight !== current) return;
    const w = sandbox;
    sandbox = null;
    inflight = null;
    if (w) w.terminate().catch(() => {});
    reply({ id: current.id, ok: false, code: 'TIMEOUT_EXCEEDED', message: 'JavaScript UDF ' + (current.def ? current.def.name : '') + ' did not finish within ' + current.timeoutMs + ' ms (javascript_udf_timeout_ms); the sandbox was restarted' });
    next();
  }, current.timeoutMs + 1000);
  sandbox.postMessage(current);
}

// Remote UDFs: the HTTP call runs here (never in the sandbox), concurrently with sandbox calls.
async function remote(m) {
  const r = m.remote;
  try {
    const res = await fetch(r.url, { method: 'POST', headers: r.headers, body: r.body, signal: AbortSignal.timeout(r.timeoutMs) });
    const text = await res.text();
    reply({ id: m.id, ok: true, value: { status: res.status, text } });
  } catch (e) {
    const timedOut = e && (e.name === 'TimeoutError' || e.name === 'AbortError');
    const cause = e && e.cause ? ' (' + String(e.cause.message || e.cause) + ')' : '';
    reply({ id: m.id, ok: false, code: timedOut ? 'TIMEOUT_EXCEEDED' : 'REMOTE_CALL_FAILED', message: 'Call remote uri ' + r.url + ' failed: ' + String(e && e.message) + cause });
  }
}

port.on('message', (m) => {
  if (m.remote) {
    void remote(m);
    return;
  }
  queue.push(m);
  next();
});
spawn();
`;
