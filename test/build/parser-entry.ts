// Entry of the parser test builds: the parser alone, its ops reported to a sink given by the test.
export { feed } from "../../src/parser";
export { useSink } from "./parser-conn";
