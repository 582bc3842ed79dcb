/**
 * One line of progress: `reclassify [██████░░░░]  60% 6,000 / 10,000 clicks, 120 changed`.
 * On a terminal the line is redrawn in place (\r); elsewhere (logs, CI) a line
 * is printed at every tenth of the way, so a log does not fill with bars.
 */
export function renderProgress(done: number, total: number, changed: number, width = 24): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const full = Math.round(share * width);
  const n = (x: number) => x.toLocaleString('en-US');
  return `reclassify [${'█'.repeat(full)}${'░'.repeat(width - full)}] ${String(Math.floor(share * 100)).padStart(3)}% ${n(done)} / ${n(total)} clicks, ${n(changed)} changed`;
}

export function progressWriter(write: (text: string) => void, tty: boolean) {
  let lastTenth = -1;
  return {
    update(done: number, total: number, changed: number) {
      if (tty) return write(`\r${renderProgress(done, total, changed)}`);
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      write(`${renderProgress(done, total, changed)}\n`);
    },
    end() {
      if (tty) write('\n');
    },
  };
}
