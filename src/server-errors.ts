// What a server -ERR means for the connection (nats-protocol.md §6 and §9).

export const enum ErrClass {
  /** The connection stays: report only (permissions, invalid subject, max subscriptions). */
  Keep,
  /** An authentication failure: reconnect, but give up a server that repeats the same one. */
  Auth,
  /** The server closes the connection: reconnect (an always-on device does, §9). */
  Fatal,
}

const KEEP = [
  "permissions violation",
  "invalid subject",
  "invalid publish subject",
  "maximum subscriptions exceeded",
  "failed account registration",
];
const AUTH = ["authorization violation", "authentication timeout", "authentication expired", "authentication revoked"];

function mentionsAny(text: string, phrases: string[]): boolean {
  for (let i = 0; i < phrases.length; i++) {
    if (text.indexOf(phrases[i]) >= 0) {
      return true;
    }
  }
  return false;
}

export function classifyErr(text: string): ErrClass {
  const t = text.toLowerCase();
  if (mentionsAny(t, KEEP)) {
    return ErrClass.Keep;
  }
  return mentionsAny(t, AUTH) ? ErrClass.Auth : ErrClass.Fatal;
}
