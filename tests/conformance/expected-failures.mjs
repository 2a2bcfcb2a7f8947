// Reads tests/conformance/expected-failures.txt: one `test_name  # category: reason` a line,
// `#` lines and blank lines ignored.
import { readFileSync } from 'node:fs';

/**
 * @param {string} file
 * @returns {{ entries: Map<string, { category: string, reason: string }>, problems: string[] }}
 */
export function readExpectedFailures(file) {
  /** @type {Map<string, { category: string, reason: string }>} */
  const entries = new Map();
  /** @type {string[]} */
  const problems = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const text = line.trim();
      if (text === '' || text.startsWith('#')) return;
      const match = /^(test_\S+)\s+#\s*([a-z0-9-]+):\s*(\S.*)$/.exec(text);
      if (match === null) {
        problems.push(`${file}:${i + 1}: not \`test_name  # category: reason\`: ${text}`);
        return;
      }
      if (entries.has(match[1])) problems.push(`${file}:${i + 1}: ${match[1]} is listed twice`);
      entries.set(match[1], { category: match[2], reason: match[3] });
    });
  return { entries, problems };
}
