// checkEspruinoJs must report each planted construct genuine Espruino 2v29 lacks (espruino.md §1)
// under its rule, and nothing in the clean samples.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkEspruinoJs } from "../../tools/dialect/check-espruino.js";
import { testPlantedSamples } from "./check-planted.js";

describe("checkEspruinoJs on planted samples", () => {
  testPlantedSamples("js", ".js", checkEspruinoJs);
});

describe("checkEspruinoJs details", () => {
  test("reports line and 1-based column", () => {
    assert.deepEqual(checkEspruinoJs("var a;\nb(a**2);").map(({ rule, line, column }) => ({ rule, line, column })),
      [{ rule: "exponent", line: 2, column: 3 }]);
  });

  test("an empty file is clean", () => {
    assert.deepEqual(checkEspruinoJs(""), []);
  });

  test("forward references from functions that run later are fine", () => {
    assert.deepEqual(checkEspruinoJs("function a(){return b()}function b(){return c}const c=1;exports.a=a,exports.v=a();"), []);
  });

  test("a block-scoped name shadowing a later declaration is not a use of it", () => {
    assert.deepEqual(checkEspruinoJs("{let x=1;exports.a=x}let x=2;exports.b=x;"), []);
  });
});
