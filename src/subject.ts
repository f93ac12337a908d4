// Local checks of subjects and queue names, so a bad one is refused here and not by a silent server
// (nats-protocol.md §5: unless pedantic, the server does not check PUB subjects).
import { Ch } from "./chars";
import { Err } from "./errors";

const enum Fault {
  None,
  Empty,
  TokenEmpty,
  Whitespace,
  Wildcard,
  GtNotLast,
}

/**
 * The first fault in a subject, scanning left to right: empty subject, empty token (leading, trailing
 * or double dot), space/tab/CR/LF, a wildcard token (`*` or `>` alone) when not allowed, or `>` before
 * the last token. Wildcard characters inside a longer token are literal, as for the server.
 */
function subjectFault(s: string, wildcards: boolean): number {
  const n = s.length;
  if (n === 0) {
    return Fault.Empty;
  }
  let tokenStart = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : Ch.Dot;
    if (c === Ch.Space || c === Ch.Tab || c === Ch.CR || c === Ch.LF) {
      return Fault.Whitespace;
    }
    if (c === Ch.Dot) {
      const len = i - tokenStart;
      if (len === 0) {
        return Fault.TokenEmpty;
      }
      if (len === 1) {
        const t = s.charCodeAt(tokenStart);
        if (t === Ch.Star || t === Ch.Gt) {
          if (!wildcards) {
            return Fault.Wildcard;
          }
          if (t === Ch.Gt && i < n) {
            return Fault.GtNotLast;
          }
        }
      }
      tokenStart = i + 1;
    }
  }
  return Fault.None;
}

// Codes by fault, per argument; index = Fault.
const SUBJECT_CODES = ["", Err.SubjectEmpty, Err.SubjectTokenEmpty, Err.SubjectWhitespace, Err.SubjectWildcard, Err.SubjectGtNotLast];
const REPLY_CODES = ["", Err.ReplyEmpty, Err.ReplyTokenEmpty, Err.ReplyWhitespace, Err.ReplyWildcard, Err.ReplyWildcard];

/** Error code for a subject to publish to (no wildcards), or undefined when valid. */
export function publishSubjectError(s: string): string | undefined {
  const f = subjectFault(s, false);
  return f === Fault.None ? undefined : SUBJECT_CODES[f];
}

/** Error code for a subject to subscribe to (wildcards allowed), or undefined when valid. */
export function subscribeSubjectError(s: string): string | undefined {
  const f = subjectFault(s, true);
  return f === Fault.None ? undefined : SUBJECT_CODES[f];
}

/** Error code for a reply subject (a publish subject: no wildcards), or undefined when valid. */
export function replyError(s: string): string | undefined {
  const f = subjectFault(s, false);
  return f === Fault.None ? undefined : REPLY_CODES[f];
}

/** Error code for a queue group name: non-empty, no whitespace. */
export function queueError(q: string): string | undefined {
  if (q.length === 0) {
    return Err.QueueEmpty;
  }
  for (let i = 0; i < q.length; i++) {
    const c = q.charCodeAt(i);
    if (c === Ch.Space || c === Ch.Tab || c === Ch.CR || c === Ch.LF) {
      return Err.QueueWhitespace;
    }
  }
  return undefined;
}
