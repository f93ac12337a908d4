// The fleet ramp's figures (bench/ramp.js) as an SVG: boards against CPU, peak RSS and delivered
// messages, one line per runtime, each step marked clean or failed. Rendered headless with vega-lite.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname } from "node:path";
import * as vega from "vega";
import { compile } from "vega-lite";

const WIDTH = 280;
const HEIGHT = 220;

function rows(steps) {
  const ordered = steps.toSorted((a, b) => a.runtime.localeCompare(b.runtime) || a.boards - b.boards);
  return ordered.map((s) => ({
    runtime: s.runtime,
    boards: s.boards,
    step: s.ok ? "clean" : "failed",
    why: s.why ?? "clean",
    "whole step": s.cpuPercent,
    "steady window": s.steadyCpuPercent,
    rssMB: s.rssMB,
    msgPerS: s.msgPerS,
  }));
}

const x = (boards) => ({
  field: "boards",
  type: "quantitative",
  title: "boards (log scale)",
  scale: { type: "log", domain: [Math.min(...boards), Math.max(...boards)], nice: false },
});
const color = { field: "runtime", type: "nominal", title: "runtime" };
const shape = { field: "step", type: "nominal", title: "step", scale: { domain: ["clean", "failed"], range: ["circle", "cross"] } };
const tooltip = [{ field: "runtime" }, { field: "boards" }, { field: "why", title: "result" }];

/** A panel: a line per runtime (per `dash` too, if given) and a point per step, clean or failed. */
function panel(boards, title, y, dash) {
  const line = { mark: { type: "line", strokeWidth: 1.5 }, encoding: dash ? { strokeDash: dash } : {} };
  const point = { mark: { type: "point", filled: true, size: 60 }, encoding: { shape, tooltip } };
  return {
    title,
    width: WIDTH,
    height: HEIGHT,
    encoding: { x: x(boards), y, color, ...(dash ? { detail: dash } : {}) },
    layer: [line, point],
  };
}

/** What the boards publish when they keep real time: a grey dotted line under the measured ones. */
function expectedLine(steps) {
  const values = [...new Set(steps.map((s) => s.boards))].sort((a, b) => a - b).map((boards) => {
    const s = steps.find((t) => t.boards === boards);
    return { boards, expected: s.msgPerRound * boards * (1000 / s.intervalMs) };
  });
  return {
    data: { values },
    mark: { type: "line", color: "#999", strokeDash: [2, 3] },
    encoding: { y: { field: "expected", type: "quantitative" }, color: { value: "#999" } },
  };
}

function subtitle(max) {
  return Object.entries(max).map(([runtime, m]) => {
    const bound = m.lowerBound ? " or more (the ramp ended first)" : "";
    const failed = m.failedAt ? `; ${m.failedAt.boards}: ${m.failedAt.why}` : "";
    return `${runtime}: ${m.boards} boards clean${bound}${failed}`;
  });
}

/** The vega-lite spec of the ramp's figures. */
export function rampSpec(result) {
  const data = rows(result.steps);
  const boards = data.map((d) => d.boards);
  const cpu = panel(
    boards,
    "CPU, % of one core (fleet, nats-server, peer)",
    { field: "cpu", type: "quantitative", title: "CPU %" },
    { field: "measure", type: "nominal", title: "CPU over", sort: ["whole step", "steady window"] },
  );
  cpu.transform = [{ fold: ["whole step", "steady window"], as: ["measure", "cpu"] }, { filter: "datum.cpu != null" }];
  const rss = panel(boards, "peak RSS of the step's processes, MB", { field: "rssMB", type: "quantitative", title: "RSS MB" });
  const msgs = panel(boards, "messages delivered per second (dotted: all published)", { field: "msgPerS", type: "quantitative", title: "msg/s" });
  msgs.transform = [{ filter: "datum.msgPerS != null" }];
  msgs.layer.unshift(expectedLine(result.steps));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `Fleet ramp: simulated boards, one publish round a second each, nothing lost (${cpus().length} cores)`,
      subtitle: subtitle(result.max),
      anchor: "start",
    },
    data: { values: data },
    hconcat: [cpu, rss, msgs],
    resolve: { scale: { color: "shared", shape: "shared" } },
    config: { font: "sans-serif", legend: { orient: "bottom" } },
  };
}

/** Writes the ramp's figures as an SVG to file; returns the file. */
export async function plotRamp(result, file) {
  const view = new vega.View(vega.parse(compile(rampSpec(result)).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, svg);
  return file;
}
