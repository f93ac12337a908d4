// AppPlatform on Espruino: setInterval, getTime, process.memory (espruino.md §3).
import { AppPlatform } from "./platform";

let timer = -1;

export const espruinoPlatform: AppPlatform = {
  log: (line) => console.log(line),
  every: (ms, fn) => {
    timer = setInterval(fn, ms);
  },
  cancelEvery: () => {
    if (timer >= 0) {
      clearInterval(timer);
      timer = -1;
    }
  },
  uptimeMs: () => Math.floor(getTime() * 1000),
  freeMemory: () => process.memory(false).free,
};
