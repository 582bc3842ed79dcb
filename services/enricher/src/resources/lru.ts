/**
 * A bounded cache of a pure function, approximately LRU with two generations:
 * a hit in the current generation costs one Map lookup (no reordering, which
 * costs a delete and an insert on every hit in V8's Maps); a hit in the old one
 * is copied forward. When the current generation is full it becomes the old
 * one, and the previous old one is dropped, so at most 2 × maxEntries / 2 are held.
 */
export function memoize<V>(compute: (key: string) => V, maxEntries: number): (key: string) => V {
  const limit = Math.max(1, Math.floor(maxEntries / 2));
  let current = new Map<string, V>();
  let old = new Map<string, V>();
  return (key: string): V => {
    const hit = current.get(key);
    if (hit !== undefined) return hit;
    let value = old.get(key);
    if (value === undefined) value = compute(key);
    if (current.size >= limit) {
      old = current;
      current = new Map();
    }
    current.set(key, value);
    return value;
  };
}
