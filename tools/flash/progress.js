// Upload progress for `nats-mcu flash`: a bar on a terminal (cli-progress), plain lines every 25 %
// otherwise (CI logs, pipes).
import cliProgress from "cli-progress";

export function uploadProgress(stream = process.stderr) {
  let bar;
  let lastQuarter = -1;
  return {
    update(sent, total) {
      if (stream.isTTY) {
        if (bar === undefined) {
          bar = new cliProgress.SingleBar({ format: "upload [{bar}] {percentage}% {value}/{total} B", stream }, cliProgress.Presets.shades_classic);
          bar.start(total, 0);
        }
        bar.setTotal(total);
        bar.update(sent);
        return;
      }
      const quarter = total > 0 ? Math.floor((sent / total) * 4) : 4;
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        stream.write(`upload ${Math.min(100, quarter * 25)}% (${sent}/${total} B)\n`);
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
