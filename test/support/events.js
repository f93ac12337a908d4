// Turns parser callbacks and INFO fields into the event lines of test/fixtures/README.md.

export function hex(s) {
  return Buffer.from(s, "latin1").toString("hex");
}

export function fromHex(h) {
  return Buffer.from(h, "hex").toString("latin1");
}

function bytes(s) {
  return `${s.length}:${hex(s)}`;
}

/** The info line (without the leading "info ") of a filled ServerInfo. */
export function infoFields(info) {
  const urls = [];
  for (let i = 0; i < info.urlCount; i++) urls.push(info.connectUrls[i]);
  return (
    `server_id=${info.serverId} version=${info.version} proto=${info.proto} max_payload=${info.maxPayload} ` +
    `headers=${info.headers} auth_required=${info.authRequired} tls_required=${info.tlsRequired} ` +
    `nonce=${info.nonce} ldm=${info.ldm} connect_urls=${urls.join(",")}` +
    (info.urlsDropped > 0 ? ` dropped=${info.urlsDropped}` : "")
  );
}

/** A ParserSink recording event lines; INFO is decoded with the library's own parseInfo. */
export function recordingSink(lib, maxUrls = 64) {
  const events = [];
  const info = lib.createServerInfo();
  const sink = {
    events,
    onInfo(json) {
      events.push(lib.parseInfo(json, info, maxUrls) ? `info ${infoFields(info)}` : `info_invalid ${json}`);
    },
    onMsg(subject, sid, reply, payload, headers) {
      const r = reply === undefined ? "-" : reply;
      if (headers === undefined) {
        events.push(`msg ${subject} ${sid} ${r} ${bytes(payload)}`);
      } else {
        const status = lib.headerStatus(headers);
        events.push(`hmsg ${subject} ${sid} ${r} ${status === 0 ? "-" : status} ${bytes(headers)} ${bytes(payload)}`);
      }
    },
    onPing() { events.push("ping"); },
    onPong() { events.push("pong"); },
    onOk() { events.push("ok"); },
    onErr(text) { events.push(`err ${text}`); },
    onSkipped(subject, sid, n) { events.push(`skipped ${subject} ${sid} ${n}`); },
    onProtocolError(code) { events.push(`proto_error ${code}`); },
  };
  return sink;
}
