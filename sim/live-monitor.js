// Shows the live view (live-view.js) while a simulation runs: on a TTY a block redrawn in place with
// log-update (other lines printed above it), otherwise one plain line every `everyMs` (2 s) plus the
// simulation's own lines (fault start and end, …) as they come. simulate() calls start(snapshotFn) once
// the boards are booted and stop() when the run ends.
import { createLogUpdate } from "log-update";
import { liveLines, plainLine } from "./live-view.js";

/**
 * `tty`: redraw in place on `stream` (process.stdout); else `write(line)` (console.log) for plain lines.
 * Returns { start(snapshot), log(line), stop() }.
 */
export function createLiveMonitor({ tty, stream = process.stdout, write = (line) => console.log(line), everyMs, groupAbove = 20 }) {
  let timer;
  let source;
  let prev;
  const draw = tty ? createLogUpdate(stream, { showCursor: true }) : undefined;
  // a TTY block's rates over the last ~2 s, not the last redraw (too jumpy)
  const history = [];
  const period = everyMs ?? (tty ? 250 : 2000);

  const tick = (last = false) => {
    const snap = source();
    if (tty) {
      history.push(snap);
      while (history.length > 1 && snap.elapsedMs - history[0].elapsedMs > 2000) history.shift();
      draw(liveLines(snap, history.length > 1 ? history[0] : undefined, { groupAbove }).join("\n"));
    } else {
      // the last line: rates over the whole run (the time since the previous line may be a moment)
      write(plainLine(snap, last ? undefined : prev));
    }
    prev = snap;
  };

  return {
    start(snapshot) {
      source = snapshot;
      if (tty) tick();
      timer = setInterval(() => tick(), period);
    },
    log(line) {
      if (!tty || source === undefined) {
        write(line);
        return;
      }
      draw.clear();
      stream.write(`${line}\n`);
      tick();
    },
    stop() {
      if (timer === undefined) return;
      clearInterval(timer);
      timer = undefined;
      tick(true);
      if (tty) draw.done();
    },
  };
}
