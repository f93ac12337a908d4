import net from 'node:net';

// A plain TCP client that keeps every byte the peer sent, for scripted protocol sessions.
export class RawClient {
  constructor(socket) {
    this.socket = socket;
    this.chunks = [];
    this.length = 0;
    this.closed = false;
    this.waiters = new Set();
    socket.on('data', (chunk) => {
      this.chunks.push(chunk);
      this.length += chunk.length;
      this.notify();
    });
    socket.on('error', () => {}); // a reset is reported as a close, like EOF
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  received() {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  send(data) {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  // Resolves with the predicate's truthy result; rejects after timeoutMs, or on close if still unmet.
  waitUntil(predicate, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const waiter = () => {
        const result = predicate(this.received(), this.closed);
        if (result) finish(null, result);
        else if (this.closed) finish(new Error(`connection closed while waiting for ${what}`));
      };
      const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      const finish = (error, result) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        if (error) reject(new Error(`${error.message}; received so far: ${JSON.stringify(this.received().toString('latin1').slice(-300))}`));
        else resolve(result);
      };
      this.waiters.add(waiter);
      waiter();
    });
  }

  waitForClose(timeoutMs) {
    return new Promise((resolve, reject) => {
      if (this.closed) return resolve();
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for the server to close the connection`)), timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  notify() {
    for (const waiter of [...this.waiters]) waiter();
  }

  close() {
    this.socket.destroy();
  }
}

export function connectRaw(port, { host = '127.0.0.1', timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`timed out connecting to ${host}:${port}`));
    }, timeoutMs);
    const onError = (error) => {
      clearTimeout(timer);
      reject(error);
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', onError);
      resolve(new RawClient(socket));
    });
  });
}
