// Turns parser reports into the event lines of test/fixtures/README.md.

export function hex(s) {
  return Buffer.from(s, "latin1").toString("hex");
}

export function fromHex(h) {
  return Buffer.from(h, "hex").toString("latin1");
}

function bytes(s) {
  return `${s.length}:${hex(s)}`;
}

/** The status code of a header block ("NATS/1.0 503" → 503), or 0. */
function headerStatus(h) {
  const m = /^NATS\/1\.0 (\d{3})/.exec(h);
  return m ? Number(m[1]) : 0;
}

/**
 * A sink for the parser test build (test/build/parser-conn.ts) recording event lines. INFO is recorded
 * as "info": what the client takes from its JSON is the client scenarios' business.
 */
export function recordingSink() {
  const events = [];
  return {
    events,
    onInfo() { events.push("info"); },
    onMsg(subject, sid, reply, payload, headers) {
      const r = reply === undefined ? "-" : reply;
      if (headers === undefined) {
        events.push(`msg ${subject} ${sid} ${r} ${bytes(payload)}`);
      } else {
        const status = headerStatus(headers);
        events.push(`hmsg ${subject} ${sid} ${r} ${status === 0 ? "-" : status} ${bytes(headers)} ${bytes(payload)}`);
      }
    },
    onPing() { events.push("ping"); },
    onPong() { events.push("pong"); },
    onErr(text) { events.push(`err ${text}`); },
    onSkipped(subject, sid, n) { events.push(`skipped ${subject} ${sid} ${n}`); },
    onProtocolError(code) { events.push(`proto_error ${code}`); },
  };
}

/**
 * The events the parser reports for a case's expected lines: INFO details are the client's (see
 * recordingSink), and +OK is dropped by the parser (verbose is always off, nats-protocol.md §3).
 */
export function parserEvents(expected) {
  return expected.filter((e) => e !== "ok").map((e) => (e.startsWith("info ") || e.startsWith("info_invalid ") ? "info" : e));
}

/** Whether a case needs MSG/HMSG parsing, which profile pub leaves out. */
export function needsSubs(wire, expected) {
  return expected.some((e) => /^(msg|hmsg|skipped) /.test(e)) || /(^|\n)H?MSG /.test(wire);
}

/** Whether a case needs HMSG parsing, which only profile full has (pubsub's CONNECT says headers:false). */
export function needsFull(wire, expected) {
  return expected.some((e) => /^hmsg /.test(e)) || /(^|\n)HMSG /.test(wire);
}
