/** Number of fast-check runs per property: POPEK_RUNS, or a default sized for `npm test`. */
export const runs = (dflt: number): number => {
  const env = Number(process.env['POPEK_RUNS']);
  return Number.isSafeInteger(env) && env > 0 ? env : dflt;
};
