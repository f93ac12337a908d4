// Status events to the application and the code of the last refused call or failure.

/** cb(event, detail): "connect", "reconnect", "disconnect", "ldm", "error", "close" (README). */
export type StatusCallback = (this: void, event: string, detail: string | undefined) => void;

let statusCb: StatusCallback | undefined = undefined;
let last = "";

export function onStatus(this: unknown, cb: StatusCallback): void {
  statusCb = typeof cb === "function" ? cb : undefined;
}

export function emit(event: string, detail: string | undefined): void {
  const cb = statusCb;
  if (cb !== undefined) {
    cb(event, detail);
  }
}

/** Record why a call was refused; returns false for the call to return. */
export function refuse(code: string): boolean {
  last = code;
  return false;
}

/** A failure: its code (or -ERR text) recorded and reported as "error". */
export function error(code: string): void {
  last = code;
  emit("error", code);
}

/** The code of the last refused call or failure ("" when none). */
export function lastError(this: unknown): string {
  return last;
}

export function resetStatus(): void {
  statusCb = undefined;
  last = "";
}
