// The subscription table: at most maxSubs slots, each created on first need and reused after an
// unsubscribe (so a board pays only for the subscriptions it has had at once); a delivery finds its
// subscription by scanning the slots.

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
  maxSubs: number;
  count = 0;
  nextSid = 1;
  /** The slot index of the last add(). */
  lastIndex = -1;

  constructor(maxSubs: number) {
    this.maxSubs = maxSubs;
  }

  /** A free slot with a fresh sid, or undefined when the table is full. */
  add(subject: string, queue: string | undefined, cb: MsgCallback, max: number): Sub | undefined {
    if (this.count === this.slots.length && this.slots.length < this.maxSubs) {
      this.slots.push(new Sub());
    }
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i];
      if (s.sid === 0) {
        this.lastIndex = i;
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
