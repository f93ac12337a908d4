// The JavaScript-visible part of the emulated Espruino firmware. board.js evaluates the SOURCE TEXT of
// `firmware` inside the board's vm context, so everything here is created in the board's realm and nothing
// may refer to this module's scope. It installs what Espruino adds to the language (print, getTime, timers,
// require, Modules, E, process, atob/btoa, Object.prototype.on/emit, InternalError) and the built-in modules
// net, Wifi and Storage; I/O goes through `native` (host functions owned by board.js). Error texts and
// argument checks follow the genuine C sources (github.com/espruino/Espruino: src/jswrap_*.c,
// libs/network/jswrap_net.c, socketserver.c, esp32/jswrap_esp32_network.c).

export function firmware(native, configJson) {
  "use strict";
  const g = globalThis;
  const config = JSON.parse(configJson);
  const jsonParse = JSON.parse;
  const jsonStringify = JSON.stringify;
  const arraySlice = Array.prototype.slice;
  const hasOwn = Object.prototype.hasOwnProperty;
  const isView = ArrayBuffer.isView;
  const defineProperty = Object.defineProperty;
  const fromCharCode = String.fromCharCode;
  const globalEval = g.eval;
  const listeners = new WeakMap(); // object -> { event: [listener] } (Espruino keeps them as hidden "#on<event>" children)
  const streamBuffers = new WeakMap(); // socket -> data received while it had no "data" listener
  const socketHandles = new WeakMap();
  const STREAM_MAX_BUFFER_SIZE = 512; // src/jswrap_stream.h

  const natives = new WeakSet(); // the firmware's own functions: "[native code]" in REPL results
  function hidden(target, name, value) {
    if (typeof value === "function") natives.add(value);
    defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
  }

  // Espruino's %t: the type name used in its error messages
  function typeName(v) {
    if (v === undefined) return "undefined";
    if (v === null) return "null";
    if (Array.isArray(v)) return "Array";
    if (typeof v === "function") return "Function";
    return { number: "Number", string: "String", boolean: "Boolean" }[typeof v] || "Object";
  }

  // ---- errors ------------------------------------------------------------------------------------------
  function InternalError(message) {
    const e = new Error(message);
    Object.setPrototypeOf(e, InternalError.prototype);
    return e;
  }
  InternalError.prototype = Object.create(Error.prototype);
  hidden(InternalError.prototype, "constructor", InternalError);
  hidden(InternalError.prototype, "name", "InternalError");

  // ---- Object.prototype events (src/jswrap_object.c) -------------------------------------------------------
  function eventTable(obj, create) {
    if (obj === null || (typeof obj !== "object" && typeof obj !== "function")) {
      throw new TypeError("Parent must be an object - not a String, Integer, etc");
    }
    let table = listeners.get(obj);
    if (!table && create) {
      table = Object.create(null);
      listeners.set(obj, table);
    }
    return table;
  }

  function callListeners(obj, list, args) {
    for (let i = 0; i < list.length; i++) {
      if (typeof list[i] === "string") globalEval(list[i]);
      else list[i].apply(obj, args);
    }
  }

  function addListener(obj, event, listener, first) {
    const table = eventTable(obj, true);
    if (typeof event !== "string") throw new TypeError("First argument must be String");
    if (typeof listener !== "function" && typeof listener !== "string") {
      throw new TypeError("Second argument must be a function or a String");
    }
    // a new array, so a listener added while the event runs is not called this time
    const list = table[event] ? table[event].slice() : [];
    if (first) list.unshift(listener);
    else list.push(listener);
    table[event] = list;
    if (event === "data" && streamBuffers.has(obj)) {
      const buffered = streamBuffers.get(obj);
      streamBuffers.delete(obj);
      native.queue(() => callListeners(obj, table.data || [], [buffered]));
    }
  }

  hidden(Object.prototype, "on", function on(event, listener) {
    addListener(this, event, listener, false);
  });
  hidden(Object.prototype, "addListener", function addListener_(event, listener) {
    addListener(this, event, listener, false);
  });
  hidden(Object.prototype, "prependListener", function prependListener(event, listener) {
    addListener(this, event, listener, true);
  });
  // emit() queues the listeners; they run after the current code returns (jsiQueueEvents)
  hidden(Object.prototype, "emit", function emit(event) {
    const table = eventTable(this, false);
    if (typeof event !== "string") throw new TypeError("First argument must be String");
    if (arguments.length > 5) throw new TypeError("Too many arguments (>4)");
    const args = arraySlice.call(arguments, 1);
    const list = table && table[event];
    if (list && list.length > 0) native.queue(() => callListeners(this, list, args));
  });
  hidden(Object.prototype, "removeListener", function removeListener(event, listener) {
    const table = eventTable(this, false);
    if (typeof event !== "string") throw new TypeError("First argument must be String");
    const list = table && table[event];
    if (!list) return;
    const at = list.indexOf(listener);
    if (at >= 0) {
      const copy = list.slice();
      copy.splice(at, 1);
      table[event] = copy;
    }
  });
  hidden(Object.prototype, "removeAllListeners", function removeAllListeners(event) {
    const table = eventTable(this, false);
    if (!table) return;
    if (event === undefined) listeners.delete(this);
    else if (typeof event === "string") delete table[event];
    else throw new TypeError("First argument must be String");
  });

  // ---- typed array traps (espruino.md §1 trap 2) ---------------------------------------------------------
  const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
  const typedArraySet = typedArrayProto.set;
  hidden(typedArrayProto, "slice", function slice(start, end) {
    return arraySlice.call(this, start, end); // a plain Array on Espruino
  });
  hidden(typedArrayProto, "set", function set(source, offset) {
    const at = offset === undefined ? 0 : offset | 0;
    const room = this.length - at;
    if (at < 0 || room <= 0) return; // never a RangeError: a write past the end is dropped
    let from = source;
    if (from.length > room) from = isView(from) ? from.subarray(0, room) : arraySlice.call(from, 0, room);
    typedArraySet.call(this, from, at);
  });

  // ---- Promise: unhandled rejections are the board's, not Node's ---------------------------------------------
  // Genuine Espruino prints "Uncaught …" for a rejection nobody handles (espruino.md §6). Node would report
  // it process-wide, so rejections are watched here: V8 sees a handler at once, and if the app has not
  // attached one by the next macrotask, the reason is thrown as the board's crash.
  const RealPromise = Promise;
  const realThen = RealPromise.prototype.then;
  const handledPromises = new WeakSet();
  const ignore = () => {};
  function watchRejection(promise, reason) {
    realThen.call(promise, undefined, ignore);
    native.queue(() => {
      if (!handledPromises.has(promise)) throw reason;
    });
  }
  class EspruinoPromise extends RealPromise {
    constructor(executor) {
      if (typeof executor !== "function") throw new TypeError("Promise resolver is not a function");
      let self;
      let early;
      let settled = false;
      super((resolve, reject) => {
        const resolveOnce = (value) => {
          if (settled) return;
          settled = true;
          resolve(value);
        };
        const rejectOnce = (reason) => {
          if (settled) return;
          settled = true;
          if (self) watchRejection(self, reason);
          else early = { reason };
          reject(reason);
        };
        try {
          executor(resolveOnce, rejectOnce);
        } catch (error) {
          rejectOnce(error);
        }
      });
      self = this;
      if (early) watchRejection(this, early.reason);
    }

    then(onFulfilled, onRejected) {
      handledPromises.add(this);
      return realThen.call(this, onFulfilled, onRejected);
    }
  }
  defineProperty(EspruinoPromise, "name", { value: "Promise" });

  // ---- Math additions and a seeded Math.random -------------------------------------------------------------
  hidden(Math, "random", function random() {
    return native.random();
  });
  hidden(Math, "clip", function clip(x, min, max) {
    return x < min ? min : x > max ? max : x;
  });
  hidden(Math, "wrap", function wrap(x, max) {
    const r = x % max;
    return r < 0 ? r + max : r;
  });

  // ---- console ---------------------------------------------------------------------------------------------
  function show(v, depth, seen) {
    if (typeof v === "string") return depth > 0 ? jsonStringify(v) : v;
    if (v === undefined || v === null || typeof v !== "object") return String(v);
    if (v instanceof Error) return String(v);
    if (seen.indexOf(v) >= 0 || depth > 4) return "...";
    seen.push(v);
    let out;
    if (isView(v)) out = `new ${v.constructor.name}([${arraySlice.call(v).join(", ")}])`;
    else if (Array.isArray(v)) out = v.length === 0 ? "[ ]" : `[ ${v.map((x) => show(x, depth + 1, seen)).join(", ")} ]`;
    else {
      const keys = Object.keys(v);
      out = keys.length === 0 ? "{ }" : `{ ${keys.map((k) => `${jsonStringify(k)}: ${show(v[k], depth + 1, seen)}`).join(", ")} }`;
    }
    seen.pop();
    return out;
  }
  function printArgs() {
    const parts = [];
    for (let i = 0; i < arguments.length; i++) parts.push(show(arguments[i], 0, []));
    native.log(parts.join(" "));
  }
  const consoleObject = {};
  for (const name of ["log", "debug", "info", "warn", "error", "trace"]) hidden(consoleObject, name, printArgs);

  // ---- timers (src/jswrap_interactive.c) -------------------------------------------------------------------
  function addTimer(fn, ms, extra, repeat) {
    if (typeof fn !== "function" && typeof fn !== "string") throw new Error("Function or String not supplied!");
    const interval = Number(ms);
    if (interval > 100 * 365.25 * 86400000) throw new Error("Interval is too long (>100 years)");
    return native.timerAdd(() => (typeof fn === "string" ? globalEval(fn) : fn.apply(undefined, extra)), interval, repeat);
  }
  function clearTimer(kind, args) {
    if (args.length === 0) return native.timerClearAll();
    if (args[0] === undefined) throw new Error(`clear${kind}(undefined) not allowed. Use clear${kind}() instead`);
    native.timerClear(args[0]);
  }

  // ---- module loading (src/jswrap_modules.c, src/jsparse.c jspEvaluateModule) ------------------------------
  const moduleCache = Object.create(null);
  const builtins = Object.create(null);

  // jspEvaluateModule: `exports` and `module` in scope, `this` = exports; module.exports = X works
  function runModule(fn) {
    const exports = {};
    const module = { exports };
    const local = fn.call(exports, exports, module);
    return module.exports !== exports ? module.exports : local;
  }

  function moduleSource(source) {
    if (typeof source === "string") return source;
    const text = String(source);
    return text.slice(text.indexOf("{") + 1, text.lastIndexOf("}"));
  }

  const Modules = {};
  hidden(Modules, "addCached", function addCached(id, source) {
    if (typeof id !== "string" || (typeof source !== "string" && typeof source !== "function")) {
      throw new Error("args must be addCached(string, string|function)");
    }
    const exports = runModule(native.compileModule(id, moduleSource(source), typeof source === "function"));
    if (!exports) throw new Error(`Unable to load module ${jsonStringify(id)}`);
    moduleCache[id] = exports;
  });
  hidden(Modules, "getCached", function getCached() {
    return Object.keys(moduleCache);
  });
  hidden(Modules, "removeCached", function removeCached(id) {
    if (!hasOwn.call(moduleCache, id)) throw new Error(`Module ${jsonStringify(String(id))} not found`);
    delete moduleCache[id];
    native.moduleRemoved(id);
  });
  hidden(Modules, "removeAllCached", function removeAllCached() {
    for (const id of Object.keys(moduleCache)) {
      delete moduleCache[id];
      native.moduleRemoved(id);
    }
  });

  function require(name) {
    if (typeof name !== "string") throw new TypeError(`Expecting module name as a string, got ${typeName(name)}`);
    if (name.length >= 128) throw new TypeError("Module name too long (max 128 chars)");
    if (hasOwn.call(moduleCache, name)) return moduleCache[name];
    let exports;
    if (builtins[name]) {
      native.warm(name);
      exports = builtins[name];
    } else if (config.unemulated.indexOf(name) >= 0) {
      throw new Error(`Module ${jsonStringify(name)} is built into genuine Espruino but not emulated`);
    } else if (name.length <= 28) {
      // a file of that name in Storage is evaluated as the module
      const fn = native.loadStorageModule(name);
      if (fn) exports = runModule(fn);
    }
    if (!exports) throw new Error(`Module ${jsonStringify(name)} not found`);
    moduleCache[name] = exports;
    return exports;
  }

  // ---- net (libs/network/jswrap_net.c) ---------------------------------------------------------------------
  function Socket() {}
  function handleOf(socket) {
    return socketHandles.get(socket);
  }
  hidden(Socket.prototype, "write", function write(data) {
    const h = handleOf(this);
    if (!h || !native.netIsOpen(h)) throw new Error("This socket is closed");
    if (data !== undefined) native.netWrite(h, String(data)); // "converted to a string with the normal toString"
    return false;
  });
  hidden(Socket.prototype, "end", function end(data) {
    const h = handleOf(this);
    if (data !== undefined) this.write(data);
    if (h) native.netEnd(h);
  });
  hidden(Socket.prototype, "available", function available() {
    const buffered = streamBuffers.get(this);
    return buffered === undefined ? 0 : buffered.length;
  });
  hidden(Socket.prototype, "read", function read(chars) {
    const buffered = streamBuffers.get(this);
    if (buffered === undefined) return "";
    const n = chars > 0 && chars < buffered.length ? chars : buffered.length;
    if (n === buffered.length) streamBuffers.delete(this);
    else streamBuffers.set(this, buffered.substr(n));
    return buffered.substr(0, n);
  });
  hidden(Socket.prototype, "pipe", function pipe() {
    throw new Error("Socket.pipe is not emulated");
  });

  // url.parse, the part net.connect uses: "host:port" needs "//" before the host (jswrap_url_parse)
  function parseUrl(url) {
    let slashes = 0;
    let colons = 0;
    let addrStart = -1;
    let portStart = -1;
    let pathStart = -1;
    let port = 0;
    for (let i = 0; i < url.length; i++) {
      const ch = url[i];
      if (ch === "/") {
        slashes++;
        if (pathStart < 0) pathStart = i;
        if (colons === 1 && slashes === 2 && addrStart < 0) {
          addrStart = i;
          pathStart = -1;
        }
      }
      if (ch === ":") {
        colons++;
        if (addrStart >= 0 && pathStart < 0) portStart = i;
      }
      if (portStart >= 0 && i > portStart && pathStart < 0 && ch >= "0" && ch <= "9") port = port * 10 + (ch.charCodeAt(0) - 48);
    }
    if (pathStart < 0) pathStart = url.length;
    const addrEnd = portStart >= 0 ? portStart : pathStart;
    return { host: url.substring(addrStart + 1, addrEnd), port: port <= 0 || port > 65535 ? null : port };
  }

  builtins.net = {
    connect(options, callback) {
      const opts = typeof options === "string" ? parseUrl(options) : options;
      if (opts === null || typeof opts !== "object" || Array.isArray(opts)) {
        native.log(`ERROR: Expecting Options to be an Object but it was ${typeName(opts)}`);
        return undefined;
      }
      if (callback !== undefined && typeof callback !== "function") {
        native.log(`ERROR: Expecting Callback Function but got ${typeName(callback)}`);
        return undefined;
      }
      const socket = new Socket();
      if (callback) eventTable(socket, true).connect = [callback];
      const host = opts.host === undefined ? "127.0.0.1" : String(opts.host);
      const h = native.netConnect(socket, host, (Number(opts.port) | 0) & 0xffff);
      if (!h) throw new InternalError("Unable to locate host");
      socketHandles.set(socket, h);
      return socket;
    },
    createServer() {
      throw new Error("net.createServer is not emulated");
    },
  };

  // ---- Wifi (libs/network/jswrap_wifi.c, esp32/jswrap_esp32_network.c) -------------------------------------
  const wifi = { connected: config.wifiUp, ssid: config.wifiUp ? config.ssid : "" }; // up: still joined after a soft reset
  const Wifi = {};
  function ipInfo() {
    const info = {};
    if (wifi.connected) {
      info.ip = "127.0.0.1";
      info.netmask = "255.0.0.0";
      info.gw = "127.0.0.1";
    } else if (config.chip !== "esp8266") {
      info.ip = "0.0.0.0"; // the ESP32 port reports zeros while not connected
      info.netmask = "0.0.0.0";
      info.gw = "0.0.0.0";
    }
    info.mac = config.mac;
    return info;
  }
  // The access point (the simulator's `wifi` fault): while it is gone the station keeps trying (the ESP SDK's
  // reconnect), and joins again with the usual events once it is back.
  const ap = { down: false, rejoin: undefined };
  function wifiUp(ssid, callback) {
    if (ap.down) {
      ap.rejoin = { ssid, callback };
      return;
    }
    wifi.connected = true;
    wifi.ssid = ssid;
    Wifi.emit("associated", { ssid, mac: config.apMac, channel: 1 });
    if (callback) native.queue(() => callback(null));
    Wifi.emit("connected", { ip: "127.0.0.1", netmask: "255.0.0.0", gw: "127.0.0.1" });
  }
  hidden(Wifi, "connect", function connect(ssid, options, callback) {
    if (typeof ssid !== "string") throw new Error("No SSID provided");
    if (options !== undefined && options !== null && (typeof options !== "object" || Array.isArray(options))) {
      throw new Error(`Expecting Object, got ${typeName(options)}`);
    }
    if (callback !== undefined && callback !== null && typeof callback !== "function") {
      throw new Error(`Expecting callback function but got ${String(callback)}`);
    }
    if (wifi.connected && wifi.ssid === ssid) {
      if (callback) native.queue(() => callback(null));
      return;
    }
    native.queue(() => wifiUp(ssid, callback));
  });
  hidden(Wifi, "disconnect", function disconnect(callback) {
    const was = wifi.connected;
    wifi.connected = false;
    if (was) Wifi.emit("disconnected", { ssid: wifi.ssid, mac: config.apMac, reason: "8" });
    if (typeof callback === "function") native.queue(() => callback());
  });
  hidden(Wifi, "getIP", function getIP(callback) {
    const info = ipInfo();
    if (typeof callback === "function") native.queue(() => callback(null, info));
    return info;
  });
  hidden(Wifi, "getStatus", function getStatus(callback) {
    const status = {
      station: wifi.connected ? "connected" : "off", ap: "disabled", mode: wifi.connected ? "sta" : "off",
      phy: "11n", powersave: "none", savedMode: config.wifiSaved ? "sta" : "off",
    };
    if (typeof callback === "function") native.queue(() => callback(status));
    return status;
  });
  hidden(Wifi, "getDetails", function getDetails(callback) {
    const details = { status: wifi.connected ? "connected" : "off", ssid: wifi.ssid, rssi: wifi.connected ? -50 : 0 };
    if (typeof callback === "function") native.queue(() => callback(details));
    return details;
  });
  hidden(Wifi, "getHostname", function getHostname() {
    return config.hostname;
  });
  hidden(Wifi, "setHostname", function setHostname(name, callback) {
    config.hostname = String(name);
    if (typeof callback === "function") native.queue(() => callback());
  });
  hidden(Wifi, "scan", function scan(callback) {
    if (typeof callback === "function") native.queue(() => callback(null, []));
  });
  hidden(Wifi, "save", function save() {});
  hidden(Wifi, "restore", function restore() {});
  builtins.Wifi = Wifi;

  // ---- Storage (src/jswrap_storage.c) ----------------------------------------------------------------------
  const fileName = (name) => String(name).substr(0, 28); // longer names are cut to 28 chars (jsfNameFromVar)
  function bytesOf(data) {
    const bytes = isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
    let out = "";
    for (let i = 0; i < bytes.length; i++) out += fromCharCode(bytes[i]);
    return out;
  }
  const arrayBuffersAsArrays = (key, value) => (isView(value) ? arraySlice.call(value) : value);
  const Storage = {};
  hidden(Storage, "read", function read(name, offset, length) {
    return native.storageRead(fileName(name), offset | 0, length | 0);
  });
  hidden(Storage, "readJSON", function readJSON(name, noExceptions) {
    const text = native.storageRead(fileName(name), 0, 0);
    if (text === undefined) return undefined;
    const parsed = native.storageParseLiberal(text); // "J<json>" or "E<message>"
    if (parsed === "U") return undefined;
    if (parsed[0] === "J") return jsonParse(parsed.substr(1));
    if (noExceptions) return undefined;
    throw new SyntaxError(parsed.substr(1));
  });
  hidden(Storage, "readArrayBuffer", function readArrayBuffer(name) {
    const text = native.storageRead(fileName(name), 0, 0);
    return text === undefined ? undefined : E.toArrayBuffer(text);
  });
  hidden(Storage, "write", function write(name, data, offset, size) {
    let bytes;
    if (typeof data === "string") bytes = data;
    else if (isView(data) || Object.prototype.toString.call(data) === "[object ArrayBuffer]") bytes = bytesOf(data);
    else if (data !== null && typeof data === "object" && !Array.isArray(data)) return native.storageWrite(fileName(name), jsonStringify(data), 0, 0);
    else bytes = String(data);
    return native.storageWrite(fileName(name), bytes, offset | 0, size | 0);
  });
  hidden(Storage, "writeJSON", function writeJSON(name, data) {
    return native.storageWriteJson(fileName(name), jsonStringify(data, arrayBuffersAsArrays));
  });
  hidden(Storage, "erase", function erase(name) {
    native.storageErase(fileName(name));
  });
  hidden(Storage, "eraseAll", function eraseAll() {
    for (const name of arraySlice.call(native.storageList())) native.storageErase(name);
  });
  hidden(Storage, "list", function list(regex) {
    const names = arraySlice.call(native.storageList());
    return regex === undefined ? names : names.filter((n) => n.match(regex));
  });
  hidden(Storage, "getFree", function getFree() {
    return native.storageFree();
  });
  hidden(Storage, "compact", function compact() {});
  builtins.Storage = Storage;

  // ---- E (src/jswrap_espruino.c) ---------------------------------------------------------------------------
  // E.toString / E.toUint8Array argument walk: strings and arrays by element, {data, count}, numbers as bytes
  function collectBytes(v, out) {
    if (typeof v === "number") out.push(v & 255);
    else if (typeof v === "string") for (let i = 0; i < v.length; i++) out.push(v.charCodeAt(i) & 255);
    else if (Array.isArray(v) || isView(v)) for (let i = 0; i < v.length; i++) collectBytes(v[i], out);
    else if (Object.prototype.toString.call(v) === "[object ArrayBuffer]") collectBytes(new Uint8Array(v), out);
    else if (v !== null && typeof v === "object" && "data" in v) {
      const count = v.count === undefined ? 1 : v.count;
      for (let i = 0; i < count; i++) collectBytes(v.data, out);
    } else if (v !== null && typeof v === "object" && typeof v.callback === "function") collectBytes(v.callback(), out);
    else out.push(Number(v) & 255);
  }
  function bytesToString(bytes) {
    let s = "";
    for (let i = 0; i < bytes.length; i += 4096) s += fromCharCode.apply(null, bytes.slice(i, i + 4096));
    return s;
  }
  const flags = { deepSleep: 0, pretokenise: 0, unsafeFlash: 0, unsyncFiles: 0, jitDebug: 0 };
  const E = {};
  hidden(E, "toString", function toString() {
    if (arguments.length === 1 && typeof arguments[0] === "string") return arguments[0];
    const bytes = [];
    for (let i = 0; i < arguments.length; i++) collectBytes(arguments[i], bytes);
    return bytesToString(bytes);
  });
  hidden(E, "toUint8Array", function toUint8Array() {
    const bytes = [];
    for (let i = 0; i < arguments.length; i++) collectBytes(arguments[i], bytes);
    return new Uint8Array(bytes);
  });
  hidden(E, "toArrayBuffer", function toArrayBuffer(str) {
    if (typeof str !== "string") return undefined;
    const u = new Uint8Array(str.length);
    for (let i = 0; i < str.length; i++) u[i] = str.charCodeAt(i);
    return u.buffer;
  });
  hidden(E, "getErrorFlags", function getErrorFlags() {
    return arraySlice.call(native.errorFlags());
  });
  hidden(E, "getFlags", function getFlags() {
    return Object.assign({}, flags);
  });
  hidden(E, "setFlags", function setFlags(values) {
    for (const key of Object.keys(values || {})) if (hasOwn.call(flags, key)) flags[key] = values[key] ? 1 : 0;
  });
  hidden(E, "getSizeOf", function getSizeOf(value) {
    return native.sizeOf(value);
  });
  hidden(E, "hwRand", function hwRand() {
    return (native.random() * 4294967296) | 0;
  });
  hidden(E, "srand", function srand() {});
  hidden(E, "CRC32", function CRC32(data) {
    const bytes = [];
    collectBytes(data, bytes);
    let crc = -1;
    for (let i = 0; i < bytes.length; i++) {
      crc ^= bytes[i];
      for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
    return (crc ^ -1) >>> 0;
  });

  // ---- interactive (src/jswrap_interactive.c, jswrap_espruino.c, jsflash.c) ---------------------------------
  // reset()/load()/E.reboot() act when the interpreter returns to idle (JSIS_TODO_*): the host swaps the board.
  hidden(E, "setBootCode", function setBootCode(code, alwaysExec) {
    native.storageErase(".bootcde"); // jsfSaveBootCodeToFlash
    native.storageErase(".bootrst");
    if (typeof code === "string" && code.length > 0) native.storageWrite(alwaysExec ? ".bootrst" : ".bootcde", code, 0, 0);
  });
  hidden(E, "reboot", function reboot() {
    native.todo("reboot");
  });
  function reset(clearFlash) {
    native.todo("reset");
    if (clearFlash) { // jsfRemoveCodeFromFlash
      native.storageErase(".bootcde");
      native.storageErase(".bootrst");
      native.log("Erasing saved code.\nDone!");
    }
  }
  function load(filename) {
    native.todo("load", filename === undefined ? undefined : fileName(filename));
  }
  function save() {
    if (native.storageRead(".bootcde", 0, 0) !== undefined) throw new Error("Cannot save: .bootcde file already exists. Please remove it first.");
    throw new Error("save() is not emulated (it stores an image of the interpreter's RAM); upload code to Storage (.bootcde) instead");
  }
  function echo(echoOn) {
    native.echo(!!echoOn);
  }

  // ---- REPL results: jsfGetJSONWithCallback with the console's flags (src/jswrap_json.c, jsinteractive.c) -------
  // JSON_LIMIT | JSON_SOME_NEWLINES | JSON_PRETTY | JSON_SHOW_OBJECT_NAMES | JSON_DROP_QUOTES
  const LIMIT_TEXT = " ... ";
  const HEX = "0123456789ABCDEF";
  function escapeChar(c, next) { // jsutils.c escapeCharacter, not JSON style
    const simple = { 10: "\\n", 9: "\\t", 8: "\\b", 11: "\\v", 12: "\\f", 13: "\\r", 92: "\\\\", 34: "\\\"" }[c];
    if (simple !== undefined) return simple;
    if (c < 8 && (next < 48 || next > 55)) return "\\" + c;
    if (c < 32 || c >= 127) return c > 255 ? "\\u" + HEX[(c >> 12) & 15] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15] : "\\x" + HEX[(c >> 4) & 15] + HEX[c & 15];
    return fromCharCode(c);
  }
  function quoted(text) {
    let out = "\"";
    for (let i = 0; i < text.length; i++) out += escapeChar(text.charCodeAt(i), i + 1 < text.length ? text.charCodeAt(i + 1) : 0);
    return out + "\"";
  }
  const isIdentifier = (k) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k);
  const needsNewLine = (v) => !(v === undefined || v === null || typeof v === "number" || typeof v === "boolean");
  const newLine = (indent) => "\n" + "  ".repeat(indent);
  function paramsOf(fn) {
    const text = Function.prototype.toString.call(fn);
    const open = text.indexOf("(");
    const arrow = text.indexOf("=>");
    if (open < 0 || (arrow >= 0 && arrow < open)) return arrow >= 0 ? text.slice(0, arrow).trim() : "";
    return text.slice(open + 1, text.indexOf(")", open)).split(",").map((p) => p.trim()).filter((p) => p).join(",");
  }
  function functionText(fn) {
    if (natives.has(fn) || /\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(fn))) return "function () { [native code] }";
    return "function (" + paramsOf(fn) + ") {" + LIMIT_TEXT + "}";
  }
  function objectName(v) {
    const proto = Object.getPrototypeOf(v);
    if (proto === null || proto === Object.prototype) return undefined;
    const constr = proto.constructor;
    const names = Object.getOwnPropertyNames(g);
    for (let i = 0; i < names.length; i++) if (g[names[i]] === constr) return names[i];
    return undefined;
  }
  function replJson(v, indent, busy) {
    if (v === undefined) return "undefined";
    if (v === null) return "null";
    if (typeof v === "string") return v.length > 60 ? quoted(v.substr(0, 27)) + LIMIT_TEXT + quoted(v.substr(v.length - 27)) : quoted(v);
    if (typeof v === "function") return functionText(v);
    if (typeof v !== "object") return String(v);
    if (busy.indexOf(v) >= 0) return LIMIT_TEXT;
    busy.push(v);
    let out;
    const items = (keys, at, first) => {
      let text = "";
      let needNewLine = false;
      let sinceNewLine = 0;
      for (let i = 0; i < keys.length; i++) {
        const desc = Object.getOwnPropertyDescriptor(v, keys[i]);
        if (desc.get || desc.set) continue;
        sinceNewLine++;
        if (!first) text += ", ";
        const newNeeds = needsNewLine(desc.value);
        if (sinceNewLine > 4) needNewLine = true; // JSON_ITEMS_ON_LINE_OBJECT
        if (needNewLine || newNeeds) {
          text += newLine(at + 1);
          sinceNewLine = 0;
        }
        text += (isIdentifier(keys[i]) || /^-?\d+$/.test(keys[i]) ? keys[i] : quoted(keys[i])) + ": " + replJson(desc.value, at + 1, busy);
        first = false;
        needNewLine = newNeeds;
      }
      return { text, needNewLine };
    };
    if (Array.isArray(v)) {
      const limited = v.length > 15;
      let needNewLine = false;
      out = "[ ";
      for (let i = 0; i < v.length; i++) {
        if (limited && i >= 5 && i < v.length - 5) continue;
        if (i > 0) out += ", ";
        if (limited && i === v.length - 5) out += LIMIT_TEXT;
        const newNeeds = needsNewLine(v[i]);
        if (needNewLine || newNeeds) out += newLine(indent + 1);
        out += replJson(v[i], indent + 1, busy);
        needNewLine = newNeeds;
      }
      if (needNewLine) out += newLine(indent);
      out += " ]";
    } else if (isView(v) || Object.prototype.toString.call(v) === "[object ArrayBuffer]") {
      const basic = !isView(v);
      const bytes = basic ? new Uint8Array(v) : v;
      const name = basic ? "Uint8Array" : v.constructor.name;
      const limited = bytes.length > 15;
      let allZero = true;
      for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) allZero = false;
      if (allZero) out = "new " + (basic ? "ArrayBuffer" : name) + "(" + bytes.length + ")";
      else {
        out = "new " + name + "([";
        for (let i = 0; i < bytes.length; i++) {
          if (limited && i >= 5 && i < bytes.length - 5) continue;
          if (i > 0) out += ", ";
          if (limited && i === bytes.length - 5) out += LIMIT_TEXT;
          out += String(bytes[i]);
        }
        out += "])" + (basic ? ".buffer" : "");
      }
    } else {
      const name = objectName(v);
      const toString = v.toString;
      if (name !== undefined && typeof toString === "function" && toString !== Object.prototype.toString) {
        out = name + ": " + String(toString.call(v));
      } else {
        const body = items(Object.keys(v), indent, true);
        out = (name !== undefined ? name + ": " : "") + "{ " + body.text + (body.needNewLine ? newLine(indent) : "") + " }";
      }
    }
    busy.pop();
    return out;
  }

  // ---- process, atob/btoa ----------------------------------------------------------------------------------
  const processObject = {};
  hidden(processObject, "version", config.version);
  // generated on demand like jswrap_process_env, so CONSOLE names the current console device
  defineProperty(processObject, "env", {
    get: () => {
      const env = jsonParse(jsonStringify(config.env));
      env.CONSOLE = native.consoleDevice();
      return env;
    },
    configurable: true, enumerable: false,
  });
  hidden(processObject, "memory", function memory(gc) {
    return jsonParse(native.memoryJson(gc === undefined || !!gc));
  });

  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  function btoa(text) {
    const s = String(text);
    let out = "";
    for (let i = 0; i < s.length; i += 3) {
      const n = ((s.charCodeAt(i) & 255) << 16) | ((s.charCodeAt(i + 1) & 255) << 8) | (s.charCodeAt(i + 2) & 255);
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < s.length ? B64[(n >> 6) & 63] : "=") + (i + 2 < s.length ? B64[n & 63] : "=");
    }
    return out;
  }
  function atob(text) {
    const s = String(text).replace(/[^A-Za-z0-9+/]/g, "");
    let out = "";
    let bits = 0;
    let value = 0;
    for (let i = 0; i < s.length; i++) {
      value = (value << 6) | B64.indexOf(s[i]);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += fromCharCode((value >> bits) & 255);
      }
    }
    return out;
  }

  // ---- globals ---------------------------------------------------------------------------------------------
  const globals = {
    global: g,
    console: consoleObject,
    print: printArgs,
    require,
    Modules,
    E,
    process: processObject,
    InternalError,
    Promise: EspruinoPromise,
    atob,
    btoa,
    getSerial: () => config.serial,
    reset,
    load,
    save,
    echo,
    getTime: () => native.time(),
    setTime: (t) => native.setTime(Number(t)),
    setTimeout: function setTimeout(fn, ms) {
      return addTimer(fn, ms, arraySlice.call(arguments, 2), false);
    },
    setInterval: function setInterval(fn, ms) {
      return addTimer(fn, ms, arraySlice.call(arguments, 2), true);
    },
    clearTimeout: function clearTimeout() {
      clearTimer("Timeout", arguments);
    },
    clearInterval: function clearInterval() {
      clearTimer("Interval", arguments);
    },
    changeInterval: function changeInterval(id, ms) {
      if (!native.timerChange(id, Number(ms))) throw new Error("Unknown Interval");
    },
  };
  for (const name of Object.keys(globals)) hidden(g, name, globals[name]);

  if (config.wifiSaved && !config.wifiUp) native.queue(() => wifiUp(config.ssid, undefined));

  // ---- what the host calls -----------------------------------------------------------------------------------
  return {
    /** Delivers one socket event now; "data" without a listener is buffered like jswrap_stream_pushData. */
    emit(obj, event, args) {
      const list = (listeners.get(obj) || {})[event];
      const argv = arraySlice.call(args);
      if (event === "data" && (!list || list.length === 0)) {
        const before = streamBuffers.get(obj) || "";
        if (before.length < STREAM_MAX_BUFFER_SIZE) streamBuffers.set(obj, (before + argv[0]).substr(0, STREAM_MAX_BUFFER_SIZE));
        return;
      }
      if (list) callListeners(obj, list, argv);
    },
    fromJson: (text) => jsonParse(text),
    /** Exports of the modules loaded from source (not the built-in ones), for the memory estimate. */
    moduleExports: () => Object.keys(moduleCache).filter((name) => !builtins[name]).map((name) => moduleCache[name]),
    addCached: (id, source) => Modules.addCached(id, source),
    /** The REPL's "=…" text of a value. */
    replText: (value) => replJson(value, 0, []),
    wifiUp: () => wifi.connected,
    /** The access point goes away (beacon timeout: "disconnected" with reason "200") or comes back. */
    accessPoint(up) {
      if (!up) {
        ap.down = true;
        if (wifi.connected) {
          wifi.connected = false;
          ap.rejoin = { ssid: wifi.ssid, callback: undefined };
          Wifi.emit("disconnected", { ssid: wifi.ssid, mac: config.apMac, reason: "200" });
        }
        return;
      }
      ap.down = false;
      const rejoin = ap.rejoin;
      ap.rejoin = undefined;
      if (rejoin) wifiUp(rejoin.ssid, rejoin.callback);
    },
    /** After boot code (jsiSoftInit): E.on("init") listeners, then onInit(). */
    init(echoOn) {
      const list = (listeners.get(E) || {}).init;
      if (list) callListeners(E, list, []);
      if (typeof g.onInit === "function") {
        if (echoOn) native.log("Running onInit()...");
        g.onInit();
      }
    },
    /** Runs process.on("uncaughtException") listeners; false when there are none (src/jsinteractive.c). */
    uncaught(error) {
      const list = (listeners.get(processObject) || {}).uncaughtException;
      if (!list || list.length === 0) return false;
      callListeners(processObject, list, [error]);
      return true;
    },
  };
}
