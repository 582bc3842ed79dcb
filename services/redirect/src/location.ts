/**
 * Parameters on the short link survive the redirect: a parameter the
 * destination lacks is appended; one it already has keeps the link's value,
 * so a link's UTM taxonomy cannot be overwritten from the address bar.
 */
export function locationFor(destination: string, query: string): string {
  if (query === '') return destination;
  let url: URL;
  try {
    url = new URL(destination);
  } catch {
    return destination;
  }
  const incoming = new URLSearchParams(query);
  let changed = false;
  for (const [key, value] of incoming) {
    if (!url.searchParams.has(key)) {
      url.searchParams.append(key, value);
      changed = true;
    }
  }
  return changed ? url.toString() : destination;
}
