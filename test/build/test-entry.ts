// Entry of the test builds: the library, plus what the tests need to play the adapter.
export * from "../../src/index";
export { adapterEvent, setChunk, useTransport, writtenHandler } from "./io-test";
