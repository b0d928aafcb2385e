// Preloaded into a benchmarked server (node --import): on SIGUSR2 writes the event-loop delay since the last
// signal (max and p99, ms) to B24IM_LOOP_DELAY_FILE and starts a new histogram.
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.B24IM_LOOP_DELAY_FILE;
if (file) {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  process.on('SIGUSR2', () => {
    const out = { max: h.max / 1e6, p99: h.percentile(99) / 1e6 };
    h.reset();
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(out));
    fs.renameSync(`${file}.tmp`, file);
  });
}
