// What a board app needs from the runtime it runs on; one implementation per runtime
// (espruino-platform.ts, nodemcu-platform.ts). Each app uses one periodic timer.
export interface AppPlatform {
  log: (this: void, line: string) => void;
  every: (this: void, ms: number, fn: (this: void) => void) => void;
  cancelEvery: (this: void) => void;
  uptimeMs: (this: void) => number;
  /** JsVars on Espruino, heap bytes on NodeMCU. */
  freeMemory: (this: void) => number;
}
