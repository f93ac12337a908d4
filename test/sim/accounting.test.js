// Published vs received across a board's boots (sim/accounting.js): a reset's boot is accounted from the
// board's last count report of that boot, so what it published before the reset is not called lost, a loss
// before the reset still shows, and arrivals after the last report are heard but neither published nor lost.
import assert from "node:assert/strict";
import { test } from "node:test";
import { accountBoard } from "../../sim/accounting.js";

test("one boot: the stop reply's count against every arrival", () => {
  assert.deepEqual(accountBoard([{ received: 40, confirmed: 40, sent: 40 }], 40), {
    published: 40, received: 40, lost: 0, tail: 0, boots: 1, epochs: [{ published: 40, received: 40, lost: 0, tail: 0 }],
  });
  assert.equal(accountBoard([{ received: 37, confirmed: 36, sent: 36 }], 40).lost, 3);
});

test("a reset: the first boot is accounted from its last report, the cut-off round is a tail, not a loss", () => {
  // boot 1: reports up to 24 (all 24 arrived), then 3 more of a round whose count never came; boot 2: 16 of 16
  const a = accountBoard([{ received: 27, confirmed: 24, sent: 24 }, { received: 16, confirmed: 16, sent: 16 }], 16, 2);
  assert.deepEqual(a, {
    published: 40, received: 43, lost: 0, tail: 3, boots: 2,
    epochs: [{ published: 24, received: 24, lost: 0, tail: 3 }, { published: 16, received: 16, lost: 0, tail: 0 }],
  });
});

test("a loss before a reset still shows: an arrival missing below the boot's last report", () => {
  // boot 1 reported 24 published but only 22 of them arrived up to that report
  const a = accountBoard([{ received: 22, confirmed: 22, sent: 24 }, { received: 8, confirmed: 8, sent: 8 }], 8, 2);
  assert.equal(a.lost, 2);
  assert.deepEqual(a.epochs.map((e) => e.lost), [2, 0]);
});

test("a boot the peer heard nothing of yet: its own epoch, the stop count against nothing received", () => {
  const a = accountBoard([{ received: 12, confirmed: 12, sent: 12 }], 4, 2);
  assert.equal(a.boots, 2);
  assert.deepEqual(a.epochs[1], { published: 4, received: 0, lost: 4, tail: 0 });
  assert.equal(a.published, 16);
});

test("no stop reply: published and lost unknown", () => {
  const a = accountBoard([{ received: 5, confirmed: 4, sent: 4 }], undefined);
  assert.equal(a.published, undefined);
  assert.equal(a.lost, undefined);
  assert.equal(a.received, 5);
  assert.deepEqual(accountBoard([], undefined).epochs, [{ published: undefined, received: 0, lost: undefined, tail: 0 }]);
});
