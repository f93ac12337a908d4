// Every error code the core reports: short strings, returned or passed to callbacks, never thrown.
// A code names what was wrong; the API documents where (which argument) by the prefix.

/** Local validation failures of publish/subscribe arguments. */
export const enum Err {
  SubjectEmpty = "subject_empty",
  SubjectTokenEmpty = "subject_token_empty",
  SubjectWhitespace = "subject_whitespace",
  SubjectWildcard = "subject_wildcard",
  SubjectGtNotLast = "subject_gt_not_last",
  ReplyEmpty = "reply_empty",
  ReplyTokenEmpty = "reply_token_empty",
  ReplyWhitespace = "reply_whitespace",
  ReplyWildcard = "reply_wildcard",
  QueueEmpty = "queue_empty",
  QueueWhitespace = "queue_whitespace",
  SidInvalid = "sid_invalid",
  MaxInvalid = "max_invalid",
  PayloadTooLarge = "payload_too_large",
  HeadersUnsupported = "headers_unsupported",
  HeadersInvalid = "headers_invalid",
  LineTooLong = "line_too_long",
  OutFull = "out_full",
  /** The subscription table (maxSubs) is full. */
  SubsFull = "subs_full",
  /** The client is closed or draining. */
  Closed = "closed",
  /** No server URL could be parsed (nats://[user:pass@]host[:port]). */
  BadUrl = "bad_url",
  /** Connect or handshake took longer than the timeout option. */
  Timeout = "timeout",
  /** maxPingsOut PINGs went unanswered (nats-protocol.md §10.6). */
  StaleConnection = "stale_connection",
  /** The server's INFO is not a well-formed JSON object. */
  BadInfo = "bad_info",
  /** The server requires TLS, which the boards' plain sockets cannot do (nodemcu.md §9). */
  TlsRequired = "tls_required",
  /** The server closed the socket before the handshake ended, without saying why. */
  ConnectionClosed = "connection_closed",
  /** The client is draining: no new subscriptions or requests. */
  Draining = "draining",
  /** Not connected now (flush, drain). */
  Disconnected = "disconnected",
  /** A request's timeout must be a positive number of ms. */
  TimeoutInvalid = "timeout_invalid",
  /** maxRequests are pending, or too many flushes wait for their PONG. */
  Overflow = "overflow",
  /** The request reached no subscriber (503 status, nats-protocol.md §4). */
  NoResponders = "no_responders",
  /** A callback raised an error while received data was processed (NodeMCU adapter). */
  CallbackError = "callback_error",
}

/** Parser protocol errors (test/fixtures/README.md): after one the parser ignores input until reset. */
export const enum ProtoErr {
  LineTooLong = "line_too_long",
  BadOp = "bad_op",
  BadArgs = "bad_args",
  BadSize = "bad_size",
  BadTerminator = "bad_terminator",
}
