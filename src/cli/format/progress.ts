/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (so `--json` output
 * piped elsewhere, CI logs and tests stay clean). Redraws at most ten times a second.
 * @module
 */
import type { IngestProgress } from '../../pipeline/ingest.js';
import { formatBytes } from './table.js';

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): {
  update: (p: IngestProgress) => void;
  done: () => void;
} {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let last = 0;
  let drawn = false;
  const width = 30;
  return {
    update(p) {
      const now = Date.now();
      if (p.phase !== 'done' && now - last < 100) return;
      last = now;
      if (p.phase !== 'read' || p.bytesTotal === 0) return;
      const frac = Math.min(1, p.bytesDone / p.bytesTotal);
      const filled = Math.round(frac * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      stream.write(
        `\r\x1b[2Kingesting ${bar} ${(frac * 100).toFixed(0).padStart(3)}%  ${p.filesDone}/${p.filesTotal} files  ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}`,
      );
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
