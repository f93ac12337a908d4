// Runs one encoder-case step (test/cases/encoder-cases.json) against a library; returns its error or undefined.
const opt = (v) => (v === null ? undefined : v);

export function runEncoderStep(lib, queue, step) {
  const a = step.args;
  switch (step.op) {
    case "connect":
      return lib.encodeConnect(queue, {
        name: opt(a.name), user: opt(a.user), pass: opt(a.pass), token: opt(a.token),
        echo: a.echo, headers: a.headers, lang: a.lang, version: a.version,
      });
    case "pub":
      return lib.encodePub(queue, a.subject, opt(a.reply), a.payload, a.maxPayload);
    case "hpub":
      return lib.encodeHpub(queue, a.subject, opt(a.reply), a.headers, a.payload, a.maxPayload, a.serverHeaders);
    case "sub":
      return lib.encodeSub(queue, a.subject, opt(a.queue), a.sid);
    case "unsub":
      return lib.encodeUnsub(queue, a.sid, opt(a.max));
    case "ping":
      return lib.encodePing(queue);
    case "pong":
      return lib.encodePong(queue);
    default:
      throw new Error(`unknown encoder op ${step.op}`);
  }
}
