// Which cached model files to drop when the cache is over its size cap: least recently used first, never a version
// that an alias names now (those are what a page falls back to offline).

/** @typedef {import('./cache-index.js').CacheEntry} CacheEntry */
/** @typedef {import('./manifest.js').Manifest} Manifest */

/**
 * The entries to evict so that the rest fit in `maxBytes`, least recently used first. Entries whose sha256 is in
 * `keep` stay even when the rest then do not fit.
 * @param {readonly CacheEntry[]} entries
 * @param {{ maxBytes: number, keep: ReadonlySet<string> }} policy
 * @returns {CacheEntry[]}
 */
export function chooseEvictions(entries, policy) {
  let total = entries.reduce((sum, e) => sum + e.size, 0);
  /** @type {CacheEntry[]} */
  const evicted = [];
  const candidates = entries.filter((e) => !policy.keep.has(e.sha256)).sort((a, b) => a.lastUsed - b.lastUsed);
  for (const entry of candidates) {
    if (total <= policy.maxBytes) break;
    evicted.push(entry);
    total -= entry.size;
  }
  return evicted;
}

/**
 * The sha256 of every version that an alias of any model names in `manifest`.
 * @param {Manifest} manifest
 * @returns {Set<string>}
 */
export function aliasedSha256s(manifest) {
  /** @type {Set<string>} */
  const kept = new Set();
  for (const model of Object.values(manifest.models)) {
    for (const version of Object.values(model.aliases ?? {})) {
      const entry = model.versions?.[version];
      if (entry !== undefined) kept.add(entry.sha256);
    }
  }
  return kept;
}
