// Espruino's timer table (src/jswrap_interactive.c, src/jsinteractive.c): timeouts and intervals share one
// array, an id is the next index after the highest one in use (1 when the table is empty, so ids are reused),
// intervals under 0.1 ms run at 0.1 ms, and clearTimeout/clearInterval of any id removes either kind.
// Callbacks run from the Node event loop through `run`, which the board uses to catch crashes.

const MIN_INTERVAL_MS = 0.1; // TIMER_MIN_INTERVAL, src/jsinteractive.h

export function createTimers(run) {
  const table = new Map(); // id -> { handle, fn, ms, repeat }

  function nextId() {
    let max = 0;
    for (const id of table.keys()) max = Math.max(max, id);
    return max + 1;
  }

  function arm(id, timer) {
    timer.handle = setTimeout(() => {
      if (table.get(id) !== timer) return;
      if (timer.repeat) arm(id, timer);
      else table.delete(id);
      run(timer.fn);
    }, timer.ms);
  }

  return {
    /** Adds a timer calling fn() after ms (every ms when repeat); returns its id. */
    add(fn, ms, repeat) {
      const interval = Number.isNaN(ms) || !(ms >= MIN_INTERVAL_MS) ? MIN_INTERVAL_MS : ms;
      const id = nextId();
      const timer = { handle: undefined, fn, ms: interval, repeat };
      table.set(id, timer);
      arm(id, timer);
      return id;
    },
    /** Removes one timer; an unknown id is ignored. */
    clear(id) {
      const timer = table.get(id);
      if (!timer) return;
      clearTimeout(timer.handle);
      table.delete(id);
    },
    /** clearTimeout() with no argument removes every timer. */
    clearAll() {
      for (const timer of table.values()) clearTimeout(timer.handle);
      table.clear();
    },
    change(id, ms) {
      const timer = table.get(id);
      if (!timer) return false;
      clearTimeout(timer.handle);
      timer.ms = ms >= MIN_INTERVAL_MS ? ms : MIN_INTERVAL_MS;
      arm(id, timer);
      return true;
    },
    has: (id) => table.has(id),
    get size() {
      return table.size;
    },
  };
}
