/** Conversions per click, to 6 places; 0 when there were no clicks. */
export function rate(conversions: number, clicks: number): number {
  return clicks > 0 ? Math.round((conversions / clicks) * 1e6) / 1e6 : 0;
}
