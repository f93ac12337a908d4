// What both console uploaders (espruino.js, nodemcu.js) wait on: a condition over what the board sent so
// far, checked on every arrival of bytes, with a deadline and an end when the port closes.

/**
 * Resolves with test()'s first truthy result, checked now and each time session.waiter() is called (on
 * every arrival); rejects after ms, or once session.closed is set. session: { port, closed, waiter }.
 */
export function untilArrival(session, test, ms, what) {
  return new Promise((resolve, reject) => {
    const done = (fn, v) => {
      clearTimeout(timer);
      session.waiter = null;
      fn(v);
    };
    const timer = setTimeout(() => done(reject, Object.assign(new Error(`${session.port}: ${what}: no answer within ${ms} ms`), { timeout: true })), ms);
    session.waiter = () => {
      const v = test();
      if (v) done(resolve, v);
      else if (session.closed) done(reject, new Error(`${session.port} closed while waiting for ${what}`));
    };
    session.waiter();
  });
}

/**
 * Console lines as they arrive (freshLines() returns those not seen yet), each passed to onLine, until one
 * matches ok: resolves with every line seen. Rejects naming the line when one matches failed or boardError,
 * or after ms, with the last lines the board printed. `after`: what the board was doing ("load()").
 */
export function untilLine(session, freshLines, { ok, failed, boardError, ms, onLine, after }) {
  const lines = [];
  const take = () => {
    for (const line of freshLines()) {
      lines.push(line);
      onLine(line);
      if (ok.test(line)) return { lines };
      if (failed?.test(line) || boardError.test(line)) return { lines, failedAt: line };
    }
    return undefined;
  };
  const tail = () => (lines.length ? lines.slice(-15).join("\n") : "(nothing)");
  return untilArrival(session, take, ms, `a line matching ${ok}`).then(
    (r) => {
      if (r.failedAt) throw new Error(`${session.port}: the board reported an error after ${after}: ${r.failedAt}\nlast lines:\n${tail()}`);
      return r.lines;
    },
    (e) => {
      throw new Error(`${session.port}: no line matching ${ok} within ${ms} ms after ${after}${session.closed ? " (port closed)" : ""}; the board printed:\n${tail()}`, { cause: e });
    },
  );
}
