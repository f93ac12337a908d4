// Limits of the board this library is built for, inlined where used (a const enum). This generic copy holds
// protocol defaults for type checking; the build replaces it per board with the values from boards.json.
export const enum Board {
  SendChunkBytes = 1460,
  MaxControlLineBytes = 4096,
  MaxPayloadBytes = 1048576,
  OutBufferBytes = 65536,
  MaxSubs = 64,
  MaxRequests = 16,
  MaxServers = 16,
}
