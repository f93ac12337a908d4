// Protocol limits and defaults: the one place that holds literal sizes (board values come from boards.json).

/** nats-server rejects control lines over 4096 bytes (nats-protocol.md §5). */
export const MAX_CONTROL_LINE_BYTES = 4096;

/** nats-server's default max_payload when INFO says nothing (nats-protocol.md §3). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1048576;

/** Arguments of the longest server op: HMSG subject sid reply #hdr #total. */
export const MAX_OP_ARGS = 5;

/** Minimal header block "NATS/1.0\r\n\r\n" (nats-protocol.md §4). */
export const HEADER_VERSION = "NATS/1.0";

export const HEADER_LINE = "NATS/1.0\r\n";
