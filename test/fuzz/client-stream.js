// A strict reader of what a client writes to nats-server (nats-protocol.md §1): the fuzz tests check that
// every link's bytes are a sequence of well-formed client ops, whatever the server sent and whatever the
// application called. A link cut mid-op may end with an incomplete op (at-most-once, §9).

/** A protocol argument: no byte up to and including space (control bytes, blanks), no DEL. */
const TOKEN = { test: (s) => s.length > 0 && [...s].every((c) => c.charCodeAt(0) > 32 && c.charCodeAt(0) !== 127) };

function bad(why, rest) {
  return `${why} at ${JSON.stringify(rest.slice(0, 80))}`;
}

/** undefined when stream is well-formed (complete: it must end on an op boundary), else why not. */
export function clientStreamProblem(stream, complete) {
  let pos = 0;
  while (pos < stream.length) {
    const rest = stream.slice(pos);
    const lf = rest.indexOf("\r\n");
    if (lf < 0) return complete ? bad("unterminated line", rest) : undefined;
    const line = rest.slice(0, lf);
    if (lf > 4096 + 8) return bad("control line over 4096 bytes", rest);
    const args = line.split(" ");
    const op = args.shift();
    const body = (n) => {
      if (rest.length < lf + 2 + n + 2) return complete ? bad("truncated payload", rest) : "incomplete";
      if (rest.slice(lf + 2 + n, lf + 4 + n) !== "\r\n") return bad("payload not followed by CR LF", rest);
      pos += lf + 4 + n;
      return undefined;
    };
    const sizes = (list) => list.every((s) => /^[0-9]{1,9}$/.test(s));
    let problem;
    switch (op) {
      case "CONNECT":
        try {
          const o = JSON.parse(line.slice(8));
          // protocol 1 (async INFO) from full (the profile that says headers), the default 0 from pub and pubsub
          if (o.verbose !== false || o.pedantic !== false || o.protocol !== (o.headers === undefined ? undefined : 1)) problem = bad("CONNECT without verbose/pedantic false, protocol 1 (full) or none", rest);
        } catch {
          problem = bad("CONNECT JSON", rest);
        }
        pos += lf + 2;
        break;
      case "PING": case "PONG":
        if (args.length !== 0) problem = bad(`${op} with arguments`, rest);
        pos += lf + 2;
        break;
      case "SUB":
        if ((args.length !== 2 && args.length !== 3) || !args.every((a) => TOKEN.test(a)) || !sizes(args.slice(-1))) problem = bad("SUB", rest);
        pos += lf + 2;
        break;
      case "UNSUB":
        if ((args.length !== 1 && args.length !== 2) || !sizes(args)) problem = bad("UNSUB", rest);
        pos += lf + 2;
        break;
      case "PUB": {
        if ((args.length !== 2 && args.length !== 3) || !args.every((a) => TOKEN.test(a)) || !sizes(args.slice(-1))) return bad("PUB", rest);
        problem = body(Number(args[args.length - 1]));
        break;
      }
      case "HPUB": {
        if ((args.length !== 3 && args.length !== 4) || !args.every((a) => TOKEN.test(a)) || !sizes(args.slice(-2))) return bad("HPUB", rest);
        const [h, t] = args.slice(-2).map(Number);
        if (h > t || rest.slice(lf + 2, lf + 2 + 10) !== "NATS/1.0\r\n".slice(0, Math.min(10, rest.length - lf - 2))) return bad("HPUB header block", rest);
        problem = body(t);
        break;
      }
      default:
        return bad(`unknown op ${JSON.stringify(op)}`, rest);
    }
    if (problem === "incomplete") return undefined;
    if (problem !== undefined) return problem;
  }
  return undefined;
}
