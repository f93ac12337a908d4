// The project's eslint.config.js: dialect rules on src/ and firmware/ TypeScript, host rules on
// tooling JavaScript, planted samples ignored; every dialect message says why and cites the docs.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ESLint } from "eslint";
import dialectPlugin from "../../tools/dialect/eslint-plugin.js";
import { restrictedGlobals } from "../../tools/dialect/restricted-globals.js";
import { restrictedSyntax } from "../../tools/dialect/restricted-syntax.js";

const root = join(import.meta.dirname, "..", "..");
const CITES_DOCS = /(dialect|espruino|nodemcu)\.md §\d/;

describe("eslint.config.js", () => {
  const eslint = new ESLint({ cwd: root });

  test("ignores the planted violation samples and build output", async () => {
    assert.equal(await eslint.isPathIgnored(join(root, "test/dialect/planted/ts/bitwise.ts")), true);
    assert.equal(await eslint.isPathIgnored(join(root, "test/dialect/planted/js/spread.js")), true);
    assert.equal(await eslint.isPathIgnored(join(root, "build/esp32/nats-mcu.js")), true);
    assert.equal(await eslint.isPathIgnored(join(root, "tools/build/build.js")), false);
  });

  for (const file of ["src/parser.ts", "firmware/espruino/adapter.ts", "firmware/nodemcu/adapter.ts"]) {
    test(`applies the dialect rules to ${file}`, async () => {
      const { rules } = await eslint.calculateConfigForFile(join(root, file));
      for (const rule of ["dialect/no-function-in-loop", "@typescript-eslint/strict-boolean-expressions", "no-restricted-syntax", "no-restricted-globals"]) {
        assert.equal(rules[rule]?.[0], 2, `${rule} is not an error for ${file}`);
      }
    });
  }

  test("the NodeMCU adapter may destructure a call result (LuaMultiReturn, dialect.md §9)", async () => {
    const selectors = async (file) => (await eslint.calculateConfigForFile(join(root, file))).rules["no-restricted-syntax"].slice(1).map((e) => e.selector);
    assert.ok((await selectors("src/parser.ts")).includes("ArrayPattern"));
    assert.ok(!(await selectors("firmware/nodemcu/adapter.ts")).includes("ArrayPattern"));
  });

  test("applies eslint recommended rules to host JavaScript", async () => {
    const { rules } = await eslint.calculateConfigForFile(join(root, "tools/dialect/check-lua.js"));
    assert.equal(rules["no-undef"]?.[0], 2);
    assert.equal(rules["dialect/no-function-in-loop"], undefined);
  });
});

describe("dialect lint messages say why and cite the docs", () => {
  for (const { selector, message } of restrictedSyntax) {
    test(`no-restricted-syntax ${selector}`, () => assert.match(message, CITES_DOCS));
  }
  for (const { name, message } of restrictedGlobals) {
    test(`no-restricted-globals ${name}`, () => assert.match(message, CITES_DOCS));
  }
  for (const [name, rule] of Object.entries(dialectPlugin.rules)) {
    test(`dialect/${name}`, () => {
      for (const message of Object.values(rule.meta.messages)) assert.match(message, CITES_DOCS);
    });
  }
});
