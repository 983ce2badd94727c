/** A one-line progress indicator on stderr, shown only when stderr is a terminal. */
export interface Progress { update(text: string): void; done(): void }

export function progress(label: string, quiet = false): Progress {
  const tty = process.stderr.isTTY === true && !quiet;
  let shown = false;
  let last = 0;
  return {
    update(text) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      shown = true;
      process.stderr.write(`\r\x1b[K${label}: ${text}`);
    },
    done() { if (shown) process.stderr.write('\r\x1b[K'); },
  };
}
