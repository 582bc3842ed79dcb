/**
 * A progress line for long runs: redrawn in place on a terminal, and every
 * 10 % as plain lines otherwise (CI logs, pipes).
 */
export function progressBar(label: string, total: number, write: (text: string) => void, tty: boolean) {
  let lastTenth = -1;
  const started = Date.now();
  return {
    update(done: number, note = '') {
      const share = total === 0 ? 1 : done / total;
      if (tty) {
        const width = 24;
        const filled = Math.round(share * width);
        write(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} ${note}`,
        );
        return;
      }
      const tenth = Math.floor(share * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      write(
        `${label}: ${done.toLocaleString('en')}/${total.toLocaleString('en')} (${Math.round(share * 100)}%) ${note}\n`,
      );
    },
    done(note: string) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      write(`${tty ? '\r' : ''}${label}: ${note} in ${seconds} s${tty ? '\x1b[K' : ''}\n`);
    },
  };
}
