// AppPlatform on NodeMCU: one tmr object, the adapter's µs clock, node.heap (nodemcu.md §5–6).
import { clockMs } from "../nodemcu/clock";
import { AppPlatform } from "./platform";

const timer = tmr.create();

export const nodemcuPlatform: AppPlatform = {
  log: (line) => print(line),
  every: (ms, fn) => {
    timer.alarm(ms, tmr.ALARM_AUTO, () => fn());
  },
  cancelEvery: () => timer.unregister(),
  uptimeMs: () => clockMs(),
  freeMemory: () => node.heap(),
};
