// The report (report.js) as JUnit XML (`--junit out.xml`): one test case per board (its counters and, on
// failure, the verdict's lines about it), one per fault, and one for the fleet's totals.
const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function testcase(name, failures, out) {
  const body = failures.length === 0 ? "" : `<failure message="${esc(failures[0])}">${esc(failures.join("\n"))}</failure>`;
  return `    <testcase classname="nats-mcu.sim" name="${esc(name)}">${body}<system-out>${esc(out)}</system-out></testcase>`;
}

export function junitXml(report) {
  const lines = report.verdict.failures;
  const about = (id) => lines.filter((l) => l.startsWith(`${id}:`) || l.includes(`: ${id} `));
  const cases = [
    ...report.boards.map((b) =>
      testcase(`board ${b.id}`, about(b.id), `published ${b.published} received ${b.received} lost ${b.lost} dropped ${b.dropped} reconnects ${b.reconnects} memory high-water ${b.memory.highWater} ${b.memory.unit}`),
    ),
    ...report.faults.map((f) =>
      testcase(`fault ${f.kind} at ${f.at} s`, lines.filter((l) => l.startsWith(`${f.kind} at ${f.at} s:`)), `max recovery ${f.maxRecoveryMs} ms`),
    ),
    testcase("fleet totals", lines.filter((l) => l.startsWith("lost ")), JSON.stringify(report.totals)),
  ];
  const failed = cases.filter((c) => c.includes("<failure")).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${cases.length}" failures="${failed}">`,
    `  <testsuite name="nats-mcu sim (seed ${report.seed})" tests="${cases.length}" failures="${failed}" time="${report.durationS}">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
