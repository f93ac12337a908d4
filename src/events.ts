// Adapter events, in the order the adapters report them (io.ts EventHandler).
export const enum Ev {
  Open,
  Data,
  Written,
  Closed,
  Tick,
  /** A callback raised while data or a tick was processed (NodeMCU adapter, under xpcall). */
  Raised,
}
