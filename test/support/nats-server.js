// Moved to sim/server/ (the simulator manages nats-server too); kept so tests import from test/support.
export * from "../../sim/server/nats-server.js";
