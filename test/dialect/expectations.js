// Reads the `expect:` header lines of a planted sample: `// expect: rule-id "message part"`,
// `-- expect: rule` in Lua, or `expect: none` for a sample that must stay clean. A trailing `x3`
// demands exactly that many findings.

const EXPECT_LINE = /^\s*(?:\/\/|--)\s*expect:\s*(\S+)(?:\s+"(.*)")?(?:\s+x(\d+))?\s*$/;

/** @returns {{rule: string, text: string | undefined, count: number | undefined}[]} empty for `expect: none` */
export function readExpectations(source) {
  const expectations = [];
  let sawHeader = false;
  for (const line of source.split("\n")) {
    const match = EXPECT_LINE.exec(line);
    if (!match) continue;
    sawHeader = true;
    if (match[1] !== "none") expectations.push({ rule: match[1], text: match[2], count: match[3] === undefined ? undefined : Number(match[3]) });
  }
  if (!sawHeader) throw new Error("planted sample has no `expect:` line");
  return expectations;
}

/**
 * Every expectation must match at least one finding (or exactly `count`) (same rule, message containing the text), and
 * every finding must be covered by some expectation, so over-broad rules fail too.
 * @returns {{missing: object[], unexpected: object[]}}
 */
export function matchFindings(expectations, findings) {
  const covers = (expected, finding) =>
    finding.rule === expected.rule && (expected.text === undefined || finding.message.includes(expected.text));
  return {
    missing: expectations.filter((expected) => {
      const found = findings.filter((finding) => covers(expected, finding)).length;
      return expected.count === undefined ? found === 0 : found !== expected.count;
    }),
    unexpected: findings.filter((finding) => !expectations.some((expected) => covers(expected, finding))),
  };
}
