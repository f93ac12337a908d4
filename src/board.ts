// Limits of the board this library is built for. This generic copy holds protocol defaults for type
// checking and host use; the build replaces it per board with the values from boards.json.
export const BOARD_NAME = "generic";
export const BOARD_RUNTIME = "host";
export const BOARD_RECV_CHUNK_BYTES = 1460;
export const BOARD_SEND_CHUNK_BYTES = 1460;
export const BOARD_MAX_CONTROL_LINE_BYTES = 4096;
export const BOARD_MAX_PAYLOAD_BYTES = 1048576;
export const BOARD_OUT_BUFFER_BYTES = 65536;
export const BOARD_MAX_SUBS = 64;
export const BOARD_MAX_REQUESTS = 16;
export const BOARD_MAX_SERVERS = 16;
