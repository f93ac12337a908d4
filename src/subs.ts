// The subscription table: a fixed number of preallocated slots, so subscribing allocates nothing and a
// delivery finds its subscription by scanning at most maxSubs slots.

/** cb(subject, payload, reply, sid, headers): reply and headers are undefined when absent. */
export type MsgCallback = (
  this: void,
  subject: string,
  payload: string,
  reply: string | undefined,
  sid: number,
  headers: string | undefined,
) => void;

export class Sub {
  /** 0 when the slot is free. */
  sid = 0;
  subject = "";
  queue: string | undefined = undefined;
  cb: MsgCallback | undefined = undefined;
  /** Auto-unsubscribe after this many messages in total; 0 = no limit. */
  max = 0;
  received = 0;
}

export class SubTable {
  slots: Sub[] = [];
  count = 0;
  nextSid = 1;

  constructor(maxSubs: number) {
    for (let i = 0; i < maxSubs; i++) {
      this.slots.push(new Sub());
    }
  }

  /** A free slot with a fresh sid, or undefined when the table is full. */
  add(subject: string, queue: string | undefined, cb: MsgCallback, max: number): Sub | undefined {
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i];
      if (s.sid === 0) {
        s.sid = this.nextSid;
        this.nextSid++;
        s.subject = subject;
        s.queue = queue;
        s.cb = cb;
        s.max = max;
        s.received = 0;
        this.count++;
        return s;
      }
    }
    return undefined;
  }

  find(sid: number): Sub | undefined {
    if (sid <= 0) {
      return undefined;
    }
    for (let i = 0; i < this.slots.length; i++) {
      if (this.slots[i].sid === sid) {
        return this.slots[i];
      }
    }
    return undefined;
  }

  remove(s: Sub): void {
    if (s.sid !== 0) {
      s.sid = 0;
      s.subject = "";
      s.queue = undefined;
      s.cb = undefined;
      this.count--;
    }
  }
}
