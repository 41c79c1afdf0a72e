import { SANDBOX_BUFFER_LIMITS } from './sandbox-buffer-limits.js';

/**
 * The trusted JavaScript that runs first in every UDF's `vm` context (before the user's code), as text: it is
 * compiled inside the context, so everything it creates (arrays, Dates, instances) belongs to the context's
 * realm and the user's code never touches an object of the worker's realm. The worker hands a request over as
 * the global `__hadron_req` (null-prototype objects and typed arrays holding only primitives) and runs
 * `__hadron_run()` under the call's time limit; the answer is a fresh array/object of primitives.
 *
 * Request ops: scalar · uda_process · uda_finalize · uda_serialize · uda_merge_state · uda_merge_from · uda_emits.
 * Value encodings (see js-values.ts): f64 / date (Float64Array, ms for dates) · bool (Uint8Array) · str (string[])
 * · arr (offsets + inner) · all with an optional null map.
 */
export const SANDBOX_BOOTSTRAP = SANDBOX_BUFFER_LIMITS + String.raw`
(function () {
  'use strict';
  var G = globalThis;
  var _Array = Array, _Date = Date, _String = String, _isArray = Array.isArray, _assign = Object.assign;
  var _apply = Reflect.apply, _isFinite = Number.isFinite, _defineProperty = Object.defineProperty, _Map = Map;
  var _mapGet = Map.prototype.get, _mapSet = Map.prototype.set, _mapDelete = Map.prototype.delete;
  var _dateValue = Date.prototype.valueOf;
  var _Float64Array = Float64Array;

  /** Plain numbers travel back as a Float64Array (copied as one block), the rest as an array. */
  function outArray(spec, n) {
    return spec.t === 'num' && !spec.nullable ? new _Float64Array(n) : new _Array(n);
  }
  var states = new _Map();


  function UdfError(code, message) { this.code = code; this.message = message; }

  function typeName(v) {
    if (v === null) return 'null';
    if (_isArray(v)) return 'array';
    if (v instanceof _Date) return 'date';
    return typeof v;
  }

  function toJs(enc, n) {
    var out = new _Array(n), i, t = enc.t, v = enc.v, nulls = enc.nulls;
    if (t === 'f64') for (i = 0; i < n; i++) out[i] = v[i];
    else if (t === 'bool') for (i = 0; i < n; i++) out[i] = v[i] !== 0;
    else if (t === 'str') for (i = 0; i < n; i++) out[i] = v[i];
    else if (t === 'date') for (i = 0; i < n; i++) out[i] = new _Date(v[i]);
    else if (t === 'arr') {
      var off = enc.off, inner = toJs(enc.inner, off[n]);
      for (i = 0; i < n; i++) {
        var s = off[i], e = off[i + 1], a = new _Array(e - s);
        for (var j = s; j < e; j++) a[j - s] = inner[j];
        out[i] = a;
      }
    }
    if (nulls) for (i = 0; i < n; i++) if (nulls[i]) out[i] = null;
    return out;
  }

  function mismatch(expected, v) { throw new UdfError('TYPE_MISMATCH', 'Expected ' + expected + ', typeof=' + typeName(v)); }

  /** One result value checked against the declared return type and reduced to primitives / arrays. */
  function norm(spec, v) {
    if (v === null || v === undefined) {
      if (spec.nullable) return null;
      mismatch(spec.t === 'num' ? 'Number' : spec.t === 'bool' ? 'Boolean' : spec.t === 'str' ? 'String' : spec.t === 'date' ? 'Date' : spec.t === 'arr' ? 'Array' : 'Object', v);
    }
    switch (spec.t) {
      case 'num':
        if (typeof v === 'number') return v;
        if (typeof v === 'boolean' && spec.boolOk) return v ? 1 : 0;
        return mismatch('Number', v);
      case 'bool':
        if (typeof v === 'boolean') return v;
        if (typeof v === 'number') return v !== 0;
        return mismatch('Boolean', v);
      case 'str':
        if (typeof v === 'string') return v;
        if (typeof v === 'number') return _String(v);
        return mismatch('String', v);
      case 'date':
        if (v instanceof _Date) return _apply(_dateValue, v, []);
        return mismatch('Date', v);
      case 'arr': {
        if (!_isArray(v)) throw new UdfError('ILLEGAL_TYPE_OF_ARGUMENT', 'UDF expect return Array but got ' + typeName(v));
        var n = v.length, out = new _Array(n);
        for (var i = 0; i < n; i++) out[i] = norm(spec.e, v[i]);
        return out;
      }
      case 'tup': {
        if (typeof v !== 'object') throw new UdfError('TYPE_MISMATCH', 'the result is Tuple type, but the UDF does not return Object');
        var es = spec.es, k = es.length, t = new _Array(k);
        for (var q = 0; q < k; q++) {
          var x = spec.names ? v[spec.names[q]] : v[q];
          if (x === undefined) throw new UdfError('TYPE_MISMATCH', 'invalid result, the UDF does not return object with ' + (spec.names ? spec.names[q] : q) + ' property');
          t[q] = norm(es[q], x);
        }
        return t;
      }
    }
    throw new UdfError('NOT_IMPLEMENTED', 'unsupported result type');
  }

  function describe(e) {
    if (e instanceof UdfError) return e;
    var m;
    try { m = (e && typeof e === 'object' && 'message' in e) ? _String(e.message) : _String(e); } catch (x) { m = 'unknown error'; }
    return { code: '', message: m };
  }

  function blueprint(name) {
    var b = G[name];
    if (b === null || typeof b !== 'object') throw new UdfError('UDF_COMPILE_ERROR', 'JavaScript UDA is not valid');
    return b;
  }

  function instance(req, g) {
    var list = _apply(_mapGet, states, [req.sid]);
    if (list === undefined) {
      if (req.known) throw new UdfError('UDF_INTERNAL_ERROR', 'the state of JavaScript UDA ' + req.name + ' was lost: the JavaScript sandbox restarted after a UDF exceeded its time or memory limit');
      list = [];
      _apply(_mapSet, states, [req.sid, list]);
    }
    var rec = list[g];
    if (rec === undefined) {
      var obj = _assign({}, blueprint(req.name));
      if (typeof obj.initialize === 'function') {
        try { _apply(obj.initialize, obj, []); }
        catch (e) { throw new UdfError('UDF_INTERNAL_ERROR', "Failed to invoke 'initialize' function of JavaScript UDA " + req.name + ': ' + describe(e).message); }
      }
      rec = { obj: obj, fresh: true, emits: 0 };
      list[g] = rec;
    }
    return rec;
  }

  function member(rec, fname, req) {
    var f = rec.obj[fname];
    if (typeof f !== 'function') throw new UdfError('NOT_IMPLEMENTED', "JavaScript UDA " + req.name + " doesn't define '" + fname + "' function");
    return f;
  }

  function serializeOf(rec, req) {
    var f = member(rec, 'serialize', req), s;
    try { s = _apply(f, rec.obj, []); }
    catch (e) { throw new UdfError('AGGREGATE_FUNCTION_THROW', "Failed to invoke 'serialize' function of JavaScript UDA " + req.name + ': ' + describe(e).message); }
    if (typeof s !== 'string') s = _String(s);
    return s;
  }

  function mergeInto(rec, s, req) {
    if (rec.fresh && typeof rec.obj.deserialize === 'function') {
      try { _apply(rec.obj.deserialize, rec.obj, [s]); }
      catch (e) { throw new UdfError('UDF_INTERNAL_ERROR', "Failed to invoke 'deserialize' function of JavaScript UDA " + req.name + ': ' + describe(e).message); }
    } else {
      var f = member(rec, 'merge', req);
      try { _apply(f, rec.obj, [s]); }
      catch (e) { throw new UdfError('UDF_INTERNAL_ERROR', "Failed to invoke 'merge' function of JavaScript UDA " + req.name + ': ' + describe(e).message); }
    }
    rec.fresh = false;
  }

  function scalar(req) {
    var f = G[req.name];
    if (typeof f !== 'function') throw new UdfError('UDF_COMPILE_ERROR', 'the JavaScript UDF ' + req.name + ' is invalid');
    var n = req.rows, args = new _Array(req.args.length);
    for (var k = 0; k < args.length; k++) args[k] = toJs(req.args[k], n);
    var res;
    try { res = _apply(f, G, args); }
    catch (e) { throw new UdfError('UDF_INTERNAL_ERROR', "call JavaScript UDF '" + req.name + "' failed: " + describe(e).message); }
    if (!_isArray(res)) throw new UdfError('ILLEGAL_TYPE_OF_ARGUMENT', 'UDF should return Array but got ' + typeName(res));
    if (res.length !== n) throw new UdfError('INCORRECT_DATA', "Function '" + req.name + "': wrong result, expected " + n + ' row(s), actual ' + res.length);
    var out = outArray(req.ret, n);
    for (var i = 0; i < n; i++) out[i] = norm(req.ret, res[i]);
    return out;
  }

  function processBatch(req) {
    var n = req.rows, ids = req.groupIds, nargs = req.args.length, k, i;
    var cols = new _Array(nargs);
    for (k = 0; k < nargs; k++) cols[k] = toJs(req.args[k], n);
    var deltas = req.deltas ? toJs({ t: 'f64', v: req.deltas }, n) : undefined;
    var touched = [], lists = [];
    if (!ids) {
      touched[0] = 0;
      lists[0] = deltas ? cols.concat([deltas]) : cols;
    } else {
      var width = nargs + (deltas ? 1 : 0), all = deltas ? cols.concat([deltas]) : cols;
      for (i = 0; i < n; i++) {
        var g = ids[i], l = lists[g];
        if (l === undefined) {
          l = new _Array(width);
          for (k = 0; k < width; k++) l[k] = [];
          lists[g] = l;
          touched[touched.length] = g;
        }
        for (k = 0; k < width; k++) { var a = l[k]; a[a.length] = all[k][i]; }
      }
    }
    var emits = new _Array(touched.length * 2);
    for (var t = 0; t < touched.length; t++) {
      var grp = touched[t], rec = instance(req, grp), f = member(rec, 'process', req), res;
      try { res = _apply(f, rec.obj, lists[grp]); }
      catch (e) { throw new UdfError('AGGREGATE_FUNCTION_THROW', 'Failed to invoke JavaScript user defined aggregation function ' + req.name + ': ' + describe(e).message); }
      rec.fresh = false;
      var count = 0;
      if (req.customEmit && res !== undefined) {
        if (typeof res !== 'number') mismatch('Number', res);
        count = res;
      }
      rec.emits = count;
      emits[t * 2] = grp;
      emits[t * 2 + 1] = count;
    }
    return emits;
  }

  function finalize(req) {
    var only = req.only, count = only ? only.length : req.groups;
    var out = req.customEmit ? new _Array(count) : outArray(req.ret, count);
    for (var i = 0; i < count; i++) {
      var g = only ? only[i] : i;
      var rec = instance(req, g), f = member(rec, 'finalize', req), res;
      if (req.customEmit && rec.emits === 0) { out[i] = []; continue; }
      try { res = _apply(f, rec.obj, []); }
      catch (e) { throw new UdfError('UDF_INTERNAL_ERROR', "Failed to invoke 'finalize' function of JavaScript UDA " + req.name + ': ' + describe(e).message); }
      if (res === null || res === undefined) throw new UdfError('UDF_INTERNAL_ERROR', 'Javascript UDA ' + req.name + ' does not return the aggregate result');
      if (req.customEmit) {
        if (!_isArray(res)) throw new UdfError('UDF_INTERNAL_ERROR', 'Javascript UDA does not return the aggregate results in array');
        if (res.length !== rec.emits) throw new UdfError('UDF_INTERNAL_ERROR', 'Javascript UDA should emit ' + rec.emits + ' times but only return ' + res.length + ' results');
        var many = new _Array(res.length);
        for (var q = 0; q < res.length; q++) many[q] = norm(req.ret, res[q]);
        out[i] = many;
        rec.emits = 0;
      } else out[i] = norm(req.ret, res);
    }
    return out;
  }

  function validate(req) {
    var b = G[req.name];
    if (!req.aggregate) {
      if (typeof b !== 'function') throw new UdfError('UDF_COMPILE_ERROR', "the JavaScript UDF '" + req.name + "' is invalid since the function '" + req.name + "' is not defined");
      return { customEmit: false };
    }
    if (b === null || typeof b !== 'object') throw new UdfError('UDF_COMPILE_ERROR', 'the JavaScript UDA ' + req.name + " is invalid. The UDA object '" + req.name + "' is not defined");
    var required = ['process', 'finalize'];
    for (var i = 0; i < required.length; i++) {
      if (typeof b[required[i]] !== 'function') throw new UdfError('UDF_COMPILE_ERROR', 'the JavaScript UDA ' + req.name + " is invalid. Missing required member function: '" + required[i] + "'");
    }
    var keys = Object.getOwnPropertyNames(b);
    for (var k = 0; k < keys.length; k++) {
      if (typeof b[keys[k]] !== 'function' && keys[k] !== 'has_customized_emit') {
        throw new UdfError('UDF_COMPILE_ERROR', 'the JavaScript UDA ' + req.name + " is invalid. It contains non-function data member : '" + keys[k] + "'. JavaScript UDA can contain only member functions and has_customized_emit");
      }
    }
    return { customEmit: b.has_customized_emit === true };
  }

  function run() {
    var req = G.__hadron_req;
    G.__hadron_req = undefined;
    var takeRefused = G.__hadron_buffer_refused;
    if (takeRefused) takeRefused();
    try {
      var value;
      switch (req.op) {
        case 'scalar': value = scalar(req); break;
        case 'uda_process': value = processBatch(req); break;
        case 'uda_finalize': value = finalize(req); break;
        case 'uda_serialize': value = serializeOf(instance(req, req.group), req); break;
        case 'uda_merge_state': mergeInto(instance(req, req.group), req.state, req); value = null; break;
        case 'uda_merge_from': {
          var src = _apply(_mapGet, states, [req.srcSid]);
          var srec = src === undefined ? undefined : src[req.src];
          if (srec !== undefined) mergeInto(instance(req, req.dst), serializeOf(srec, req), req);
          value = null;
          break;
        }
        case 'validate': value = validate(req); break;
        default: throw new UdfError('LOGICAL_ERROR', 'unknown op');
      }
      return { ok: true, value: value };
    } catch (e) {
      var d = describe(e);
      if (takeRefused && takeRefused()) return { ok: false, code: 'UDF_MEMORY_THRESHOLD_EXCEEDED', message: d.message };
      return { ok: false, code: d.code, message: d.message };
    }
  }

  function free(sid) { _apply(_mapDelete, states, [sid]); }

  _defineProperty(G, '__hadron_req', { value: undefined, writable: true, configurable: false, enumerable: false });
  _defineProperty(G, '__hadron_run', { value: run, writable: false, configurable: false, enumerable: false });
  _defineProperty(G, '__hadron_free', { value: free, writable: false, configurable: false, enumerable: false });
  _defineProperty(G, '__hadron_count', { value: function () { return states.size; }, writable: false, configurable: false, enumerable: false });
  G.console = { log: function () {}, info: function () {}, warn: function () {}, error: function () {}, debug: function () {} };
})();`;
