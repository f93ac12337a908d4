// Entry of the test builds: the library, plus what the tests need to play the adapter.
export * from "../../src/index";
export { adapterEvent, setChunk, setId, useTransport, writtenHandler } from "./io-test";
