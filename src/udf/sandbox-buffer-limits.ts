/**
 * Sandbox bootstrap, first part (runs before sandbox-bootstrap.ts's, as text in each UDF context): memory
 * outside the JS heap. ArrayBuffer and typed-array allocations count against a byte limit (the worker's
 * resourceLimits cover only the heap): the constructors are replaced by checking wrappers (the originals stay
 * unreachable: `prototype.constructor` and `Symbol.species` lead to the wrappers), a FinalizationRegistry gives
 * the bytes back when buffers are collected, and SharedArrayBuffer and WebAssembly (its Memory) are removed.
 * `__hadron_buffer_refused()` tells (and clears) whether the limit refused an allocation since the last ask.
 */
export const SANDBOX_BUFFER_LIMITS = String.raw`(function () {
  'use strict';
  var G = globalThis;
  var bufferLimit = typeof G.__hadron_buffer_limit === 'number' ? G.__hadron_buffer_limit : 134217728;
  delete G.__hadron_buffer_limit;
  var liveBuffers = 0, bufferRefused = false;
  var _defineProperty = Object.defineProperty;
  var buffers = new FinalizationRegistry(function (n) { liveBuffers -= n; });
  function charge(n) {
    if (!(n > 0)) return 0;
    if (liveBuffers + n > bufferLimit) {
      bufferRefused = true;
      throw new RangeError('ArrayBuffer allocation of ' + n + ' bytes exceeds the JavaScript UDF memory limit (' + bufferLimit + ' bytes)');
    }
    liveBuffers += n;
    return n;
  }
  function limited(Real, bytesOf) {
    var W = function () {
      if (new.target === undefined) throw new TypeError('Constructor ' + Real.name + " requires 'new'");
      var n = charge(bytesOf(arguments));
      var obj;
      try { obj = Reflect.construct(Real, arguments, new.target === W ? Real : new.target); }
      catch (e) { liveBuffers -= n; throw e; }
      if (n > 0) buffers.register(obj.buffer !== undefined && !(obj instanceof Real && Real === _ArrayBuffer) ? obj.buffer : obj, n);
      return obj;
    };
    Object.setPrototypeOf(W, Object.getPrototypeOf(Real));
    _defineProperty(W, 'name', { value: Real.name });
    _defineProperty(W, Symbol.species, { get: function () { return W; } });
    W.prototype = Real.prototype;
    _defineProperty(Real.prototype, 'constructor', { value: W, writable: true, configurable: true, enumerable: false });
    var statics = Object.getOwnPropertyNames(Real);
    for (var i = 0; i < statics.length; i++) {
      var k = statics[i];
      if (k !== 'prototype' && k !== 'name' && k !== 'length') _defineProperty(W, k, Object.getOwnPropertyDescriptor(Real, k));
    }
    return W;
  }
  var _ArrayBuffer = ArrayBuffer;
  G.ArrayBuffer = limited(ArrayBuffer, function (a) {
    var n = +a[0] || 0, o = a[1];
    var max = o !== null && typeof o === 'object' && o.maxByteLength !== undefined ? +o.maxByteLength || 0 : 0;
    return n > max ? n : max;
  });
  var typed = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'];
  for (var ti = 0; ti < typed.length; ti++) {
    (function (Real) {
      var width = Real.BYTES_PER_ELEMENT;
      G[Real.name] = limited(Real, function (a) {
        var x = a[0];
        if (typeof x === 'number') return x * width;
        if (x instanceof _ArrayBuffer || x === undefined || x === null) return 0;
        if (typeof x === 'object' && typeof x.length === 'number') return x.length * width;
        return 0;
      });
    })(G[typed[ti]]);
  }
  delete G.SharedArrayBuffer;
  delete G.WebAssembly;
  _defineProperty(G, '__hadron_buffer_refused', {
    value: function () { var r = bufferRefused; bufferRefused = false; return r; },
    writable: false, configurable: false, enumerable: false,
  });
})();`;
