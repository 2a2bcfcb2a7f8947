// A model's history from the manifest: its versions in semver order with when each was published, its aliases now
// and every alias move.

import { ErrorCode, OnnxEdgeError } from '../errors.js';

/** @typedef {import('./manifest.js').Manifest} Manifest */
/** @typedef {import('./manifest.js').AliasChange} AliasChange */

/**
 * @typedef {object} VersionInfo
 * @property {string} version
 * @property {string} publishedAt RFC 3339, UTC
 * @property {string} sha256
 * @property {number} size
 * @property {string} url absolute
 * @property {string[]} aliases the aliases that name it now
 * @property {string[] | undefined} labels
 */

/**
 * @typedef {object} ModelHistory
 * @property {string} name
 * @property {VersionInfo[]} versions lowest version first (semver precedence)
 * @property {Record<string, string>} aliases alias -> version, now
 * @property {AliasChange[]} aliasHistory every alias move, oldest first
 */

/**
 * The history of model `name`; VERSION_NOT_FOUND (`details`: `{ kind: 'unknownModel', name, available }`) when the
 * manifest has no such model.
 * @param {Manifest} manifest
 * @param {string} name
 * @param {URL} base what file names are relative to (the manifest's URL)
 * @returns {ModelHistory}
 */
export function versionHistory(manifest, name, base) {
  const model = Object.prototype.hasOwnProperty.call(manifest.models, name) ? manifest.models[name] : undefined;
  if (model === undefined) {
    const available = Object.keys(manifest.models).sort();
    throw new OnnxEdgeError(ErrorCode.VERSION_NOT_FOUND, `no model named ${JSON.stringify(name)} (the registry has ${available.join(', ')})`, {
      details: { kind: 'unknownModel', name, available },
    });
  }
  const aliases = { ...(model.aliases ?? {}) };
  const versions = Object.entries(model.versions ?? {})
    .sort(([a], [b]) => compareSemver(a, b))
    .map(([version, entry]) => ({
      version,
      publishedAt: entry.publishedAt,
      sha256: entry.sha256,
      size: entry.size,
      url: new URL(entry.file, base).href,
      aliases: Object.keys(aliases).filter((alias) => aliases[alias] === version).sort(),
      labels: entry.labels,
    }));
  return { name, versions, aliases, aliasHistory: [...(model.aliasHistory ?? [])] };
}

/**
 * Semver precedence (semver.org §11): numbers compare numerically, a pre-release sorts before its release, build
 * metadata is ignored. Strings that are not semver sort after those that are, by text.
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
export function compareSemver(a, b) {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (pa === null || pb === null) {
    if (pa !== pb) return pa === null ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  for (let i = 0; i < 3; i += 1) {
    if (pa.core[i] !== pb.core[i]) return pa.core[i] < pb.core[i] ? -1 : 1;
  }
  if (pa.pre.length === 0 || pb.pre.length === 0) return pb.pre.length - pa.pre.length;
  for (let i = 0; i < Math.min(pa.pre.length, pb.pre.length); i += 1) {
    const x = pa.pre[i];
    const y = pb.pre[i];
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return pa.pre.length - pb.pre.length;
}

/**
 * @param {string} text
 * @returns {{ core: bigint[], pre: string[] } | null}
 */
function parseSemver(text) {
  const match = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (match === null) return null;
  return { core: [BigInt(match[1]), BigInt(match[2]), BigInt(match[3])], pre: match[4] === undefined ? [] : match[4].split('.') };
}
