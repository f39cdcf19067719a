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
  /** Open TCP connections (and, separately, KKDCP connections); at the bound the oldest idle one goes. */
  maxConnections: number;
  /** A connection with no request under way is closed after this long (ms). */
  idleTimeoutMs: number;
  /** A request must arrive whole within this long of its first byte (ms): the slow-loris bound. */
  requestTimeoutMs: number;
  /** Bytes of replies waiting for a client that does not read; beyond it the connection is closed. */
  maxPendingWriteBytes: number;
  /** Bytes buffered across every TCP connection together; beyond it the largest buffer's owner goes. */
  maxTotalBufferedBytes: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxRequestBytes: 128 * 1024,
  maxUdpReplyBytes: 4096,
  maxConnections: 1024,
  idleTimeoutMs: 30_000,
  requestTimeoutMs: 10_000,
  maxPendingWriteBytes: 1024 * 1024,
  maxTotalBufferedBytes: 32 * 1024 * 1024,
};
