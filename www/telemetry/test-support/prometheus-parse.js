// A strict reader of the Prometheus text exposition format 0.0.4, for the tests: every line must be a `# HELP`,
// a `# TYPE` or a sample `name{label="value",...} number`, label values unescaped (`\\`, `\"`, `\n`).

/** @typedef {{ name: string, labels: Record<string, string>, value: number }} Sample */
/** @typedef {{ help: Map<string, string>, types: Map<string, string>, samples: Sample[] }} Exposition */

/**
 * @param {string} text
 * @returns {Exposition}
 */
export function parsePrometheusText(text) {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  /** @type {Exposition} */
  const out = { help: new Map(), types: new Map(), samples: [] };
  for (const line of text.slice(0, -1).split('\n')) {
    let m;
    if ((m = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line))) {
      out.help.set(m[1], m[2].replace(/\\(\\|n)/g, (_, c) => (c === 'n' ? '\n' : '\\')));
    } else if ((m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line))) {
      if (out.types.has(m[1])) throw new Error(`TYPE given twice for ${m[1]}`);
      out.types.set(m[1], m[2]);
    } else {
      out.samples.push(parseSample(line));
    }
  }
  return out;
}

/**
 * @param {string} line
 * @returns {Sample}
 */
function parseSample(line) {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  if (m === null) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
  const name = m[1];
  let i = name.length;
  /** @type {Record<string, string>} */
  const labels = {};
  if (line[i] === '{') {
    i += 1;
    while (line[i] !== '}') {
      const lm = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(i));
      if (lm === null) throw new Error(`bad label at ${i} in ${JSON.stringify(line)}`);
      i += lm[0].length;
      let value = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) throw new Error(`unterminated label value in ${JSON.stringify(line)}`);
        if (c === '"') break;
        if (c === '\\') {
          const next = line[i + 1];
          if (next === 'n') value += '\n';
          else if (next === '\\' || next === '"') value += next;
          else throw new Error(`bad escape \\${next} in ${JSON.stringify(line)}`);
          i += 2;
        } else {
          value += c;
          i += 1;
        }
      }
      i += 1;
      if (Object.prototype.hasOwnProperty.call(labels, lm[1])) throw new Error(`label ${lm[1]} repeated in ${JSON.stringify(line)}`);
      labels[lm[1]] = value;
      if (line[i] === ',') i += 1;
      else if (line[i] !== '}') throw new Error(`expected , or } at ${i} in ${JSON.stringify(line)}`);
    }
    i += 1;
  }
  const rest = line.slice(i);
  const vm = /^ (\S+)$/.exec(rest);
  if (vm === null) throw new Error(`bad value in ${JSON.stringify(line)}`);
  const text = vm[1];
  const value = text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : text === 'NaN' ? NaN : Number(text);
  if (Number.isNaN(value) && text !== 'NaN') throw new Error(`bad number ${text}`);
  return { name, labels, value };
}
