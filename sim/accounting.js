// Published vs received for one board across its boots (peer.js counts per boot epoch). A reset loses the
// board's counters with its RAM, so each boot is accounted on its own:
//
//   an ended boot     published = its last "sent" report (the board's own count since that boot);
//                     received = what arrived up to and including that report; lost = the difference;
//                     tail = what arrived after that report (a round the reset cut short): heard, counted
//                     as received, but neither published (no report of the board covers it) nor lost
//   the current boot  published = the count the board answers the stop command with; received = all of
//                     that boot's arrivals; lost = the difference
//
// So messages published before a reset are not called lost for lack of a final count, and a loss before a
// reset (an arrival missing below a report) still shows.

/**
 * `epochs`: peer.epochs(board), oldest first; `finalSent`: the stop reply's count (undefined: no reply);
 * `boots`: how many times the board booted in the run as the simulator knows it (1 + its resets): a boot
 * the peer heard nothing of yet still gets its (empty) epoch.
 * Returns { published, received, lost, tail, boots, epochs: [{ published, received, lost, tail }] }.
 */
export function accountBoard(epochs, finalSent, boots = 1) {
  const list = epochs.map((e) => ({ ...e }));
  while (list.length < boots) list.push({ received: 0, confirmed: 0, sent: 0 });
  if (list.length === 0) list.push({ received: 0, confirmed: 0, sent: 0 });
  const rows = list.map((e, i) => {
    if (i < list.length - 1) return { published: e.sent, received: e.confirmed, lost: Math.max(0, e.sent - e.confirmed), tail: e.received - e.confirmed };
    if (finalSent === undefined) return { published: undefined, received: e.received, lost: undefined, tail: 0 };
    return { published: finalSent, received: e.received, lost: Math.max(0, finalSent - e.received), tail: 0 };
  });
  const current = rows.at(-1);
  const sum = (key) => rows.reduce((a, r) => a + (r[key] ?? 0), 0);
  return {
    published: current.published === undefined ? undefined : sum("published"),
    received: sum("received") + sum("tail"),
    lost: current.lost === undefined ? undefined : sum("lost"),
    tail: sum("tail"),
    boots: rows.length,
    epochs: rows,
  };
}
