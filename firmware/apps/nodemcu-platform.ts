// AppPlatform on NodeMCU: one tmr object, the adapter's µs clock, node.heap (nodemcu.md §5–6).
import { Clock } from "../nodemcu/clock";
import { AppPlatform } from "./platform";

const timer = tmr.create();
const clock = new Clock();

export const nodemcuPlatform: AppPlatform = {
  log: (line) => print(line),
  every: (ms, fn) => {
    timer.alarm(ms, tmr.ALARM_AUTO, () => fn());
  },
  cancelEvery: () => timer.unregister(),
  uptimeMs: () => clock.nowMs(),
  freeMemory: () => node.heap(),
};
