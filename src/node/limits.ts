/**
 * Every bound the socket adapters keep, in one place: a KDC on a real port must survive garbage, floods
 * of half-open connections and slow senders without running out of memory or file descriptors.
 */
export interface ServerLimits {
  /** Largest Kerberos request accepted over TCP or KKDCP (bytes, without the record mark). */
  maxRequestBytes: number;
  /**
   * Largest reply sent over UDP; a bigger one is replaced by KRB_ERR_RESPONSE_TOO_BIG (52) so that the
   * client retries over TCP (RFC 4120 §7.2.1). MIT's krb5kdc uses 4096 (kdc_max_dgram_reply_size).
   */
  maxUdpReplyBytes: number;
  /**
   * Open TCP connections (and, separately, KKDCP connections). At the bound a newcomer still gets in: over
   * TCP the oldest idle connection makes room; on the KDC proxy the oldest connection of the address that
   * holds the most.
   */
  maxConnections: number;
  /**
   * Open connections from one remote address (TCP and KKDCP each); one more is closed at once, and logged.
   * One client needs one or two; a flood from one address cannot take the slots of everyone else.
   */
  maxConnectionsPerPeer: number;
  /** A connection with no request under way is closed after this long (ms). */
  idleTimeoutMs: number;
  /**
   * A request must arrive whole within this long (ms): the slow-loris bound. Over TCP from the request's
   * first byte; on the KDC proxy for the HTTP headers and the whole request from the start of the request
   * (after the TLS handshake, which has this long too).
   */
  requestTimeoutMs: number;
  /**
   * After an error reply (KRB_ERR_FIELD_TOOLONG, an HTTP 4xx/5xx) the connection is ended and destroyed
   * this long after (ms), whether or not the peer has read the reply and closed its side: a peer that never
   * reads cannot keep a connection half-open.
   */
  closeGraceMs: number;
  /** Bytes of replies waiting for a client that does not read; beyond it the connection is closed. */
  maxPendingWriteBytes: number;
  /**
   * Bytes of requests buffered across every connection together (TCP, and separately the KDC proxy's
   * bodies); beyond it the connection holding the most goes.
   */
  maxTotalBufferedBytes: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxRequestBytes: 128 * 1024,
  maxUdpReplyBytes: 4096,
  maxConnections: 1024,
  maxConnectionsPerPeer: 64,
  idleTimeoutMs: 30_000,
  requestTimeoutMs: 10_000,
  closeGraceMs: 2_000,
  maxPendingWriteBytes: 1024 * 1024,
  maxTotalBufferedBytes: 32 * 1024 * 1024,
};
