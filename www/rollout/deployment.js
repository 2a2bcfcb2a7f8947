// Deployment: one model name served from a registry, following the manifest's aliases and rollout rules, with a
// staging gate before any version serves, blue-green switches, automatic rollback, sticky A/B and canary weights,
// and shadow runs.
//
//   const deployment = await registry.deploy('iris', { userKey, rollback: { window: 200, maxErrorRate: 0.05 } });
//   const { outputs, version, variant, predictionId } = await deployment.run(feeds, { userKey });
//   await deployment.update('iris@1.3.0');   // load + warm + gate beside the serving version, switch, release old
//
// How a run is routed. The deployment holds one routing table, replaced whole (a single assignment) and never
// changed in place; a run reads it once, synchronously, and hands its feeds to the chosen session in the same
// turn. So every run is answered by exactly one version, loaded and gated before the table naming it existed, and
// a switch falls between two runs. A session leaves service when a table without it replaces the old one; it is
// released once the runs it had accepted are answered.
//
// Which version answers: with manifest weights (`onnx-edge rollout DIR NAME --weights 1.0.0=90,1.1.0=10`) and a
// user key, the version `assignVariant(userKey, weights)` picks (sticky: see assignment.js); without a key, without
// weights, or when the deployment pins a version or range, the primary version (the spec's: `stable` by default).
// The variant label is `stable` or `canary` when that alias names the version, else the version itself; shadow runs
// are labelled `shadow` and the gate's runs `gate`.

import { argumentError, ErrorCode, OnnxEdgeError } from '../errors.js';
import { liveEngine } from '../init.js';
import { resolveModel } from '../registry/checks.js';
import { assignNow } from './assignment.js';
import { checkSpec, deploySettings } from './deploy-options.js';
import { DeploymentEvents } from './deployment-events.js';
import { OutcomeWindow, summarize } from './outcome-window.js';
import { RollbackWatch } from './rollback-watch.js';
import { ShadowRunner } from './shadow-runner.js';
import { runGate } from './staging-gate.js';

/** @typedef {import('../registry/registry.js').ModelRegistry} ModelRegistry */
/** @typedef {import('../registry/manifest.js').ManifestModel} ManifestModel */
/** @typedef {import('../session.js').InferenceSession} InferenceSession */
/** @typedef {import('../session.js').FeedsType} FeedsType */
/** @typedef {import('../session.js').FetchesType} FetchesType */
/** @typedef {import('../session.js').ReturnType} ReturnType */
/** @typedef {import('./deploy-options.js').DeployOptions} DeployOptions */
/** @typedef {import('./deploy-options.js').DeploySettings} DeploySettings */
/** @typedef {import('./deployment-events.js').DeploymentEvent} DeploymentEvent */
/** @typedef {import('./rollback-watch.js').RollbackFigures} RollbackFigures */
/** @typedef {import('./shadow-runner.js').ShadowTotals} ShadowTotals */
/** @typedef {import('./staging-gate.js').GateResult} GateResult */

/**
 * @typedef {object} DeploymentRunOptions
 * @property {string} [userKey] the key this run is assigned by (default: the deployment's `userKey`)
 * @property {FetchesType} [fetches] the outputs wanted (default: all)
 */

/**
 * @typedef {object} DeploymentResult
 * @property {ReturnType} outputs
 * @property {string} version the version that answered
 * @property {string} variant `stable`, `canary`, or the version (see the top of deployment.js)
 * @property {string} predictionId the id telemetry recorded the prediction under (`telemetry.feedback(id, label)`)
 * @property {number} durationMs how long the run took, as the rollback watch measured it
 */

/**
 * @typedef {object} DeploymentState
 * @property {string} name
 * @property {string} spec what the deployment follows (`iris`, `iris@stable`, `iris@1.2.0`)
 * @property {string} version the primary version: it answers runs without a key or without weights
 * @property {string} variant its variant label
 * @property {Record<string, number> | null} weights the weights in use (versions that passed their gate), or null
 * @property {{ version: string, variant: string }[]} serving every version that answers runs
 * @property {string | null} shadow the shadow candidate
 * @property {string[]} standby previous versions kept loaded while a switch is on probation
 * @property {{ version: string, runs: number, window: number, startedAt: number }[]} probation
 * @property {string[]} rolledBack versions rolled back and not retried until the manifest changes
 */

/**
 * One loaded version.
 * @typedef {object} Slot
 * @property {string} version
 * @property {InferenceSession} session
 * @property {OutcomeWindow} live its last runs (the baseline when something replaces it)
 * @property {number} inflight runs accepted and not yet answered (shadow runs included)
 * @property {(() => void)[]} drained waiting for `inflight` to reach 0
 * @property {boolean} retired out of service: being or already released
 */

/**
 * The routing table: replaced whole, never changed.
 * @typedef {object} Table
 * @property {Slot} primary
 * @property {Record<string, number> | null} weights
 * @property {ReadonlyMap<string, Slot>} arms weighted versions
 * @property {ReadonlyMap<string, string>} variants version -> variant label
 * @property {Slot | null} shadow
 * @property {Readonly<Record<string, string>>} aliases the manifest's aliases of the model (alias -> version)
 * @property {string} fingerprint the manifest entry of the model the table was made from (JSON)
 */

/**
 * A watch on a version after a switch, and what to do if it fails.
 * @typedef {{ watch: RollbackWatch, standby: Slot | null, judging: boolean }} Probation
 */

const CREATE = Symbol('Deployment.create');
let predictionCounter = 0;

export class Deployment {
  /** @type {ModelRegistry} */
  #registry;
  /** @type {DeploySettings} */
  #settings;
  /** @type {string} */
  #spec;
  /** @type {Table | null} */
  #table = null;
  /** @type {Map<string, Probation>} by version */
  #probations = new Map();
  /** @type {Map<string, { fingerprint: string, figures: RollbackFigures }>} */
  #rolledBack = new Map();
  /** @type {Promise<unknown>} updates, one at a time */
  #updates = Promise.resolve();
  #events = new DeploymentEvents();
  /** @type {ShadowRunner} */
  #shadow;
  /** @type {Promise<void> | null} */
  #releasing = null;

  /**
   * Not for direct use: call `registry.deploy(name, options)`.
   * @private
   * @param {symbol} token
   * @param {ModelRegistry} registry
   * @param {string} name
   * @param {DeploySettings} settings
   */
  constructor(token, registry, name, settings) {
    if (token !== CREATE) throw argumentError(ErrorCode.OPTIONS_INVALID, 'use `await registry.deploy(name, options)`', { reason: 'constructor' });
    this.#registry = registry;
    /** The model name. @readonly */
    this.name = name;
    this.#settings = settings;
    this.#spec = settings.spec;
    this.#shadow = new ShadowRunner({
      maxPending: settings.shadowMaxPending,
      onReport: (report) => {
        this.#events.emit('shadow-report', { name, ...report });
        recordShadow(settings.telemetry, name, report.version, report.total);
      },
    });
  }

  /**
   * Deploy `name` from `registry`: resolve the spec, load, gate and serve (what `registry.deploy` does).
   * @param {ModelRegistry} registry
   * @param {string} name
   * @param {DeployOptions} [options]
   * @returns {Promise<Deployment>}
   */
  static async create(registry, name, options = {}) {
    const deployment = new Deployment(CREATE, registry, name, deploySettings(name, options, registry.telemetry));
    await deployment.#exclusive(() => deployment.#apply(deployment.#spec, 'deploy'));
    return deployment;
  }

  /**
   * Answer a run. The version is chosen synchronously from the routing table in use (see the top of this file).
   * Errors are the session's (their `details.deployment` names the version and variant that failed); RELEASED after
   * `release()`.
   * @param {FeedsType} feeds
   * @param {DeploymentRunOptions} [options]
   * @returns {Promise<DeploymentResult>}
   */
  async run(feeds, options = {}) {
    this.#checkLive();
    if (typeof options !== 'object' || options === null) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'deployment.run(feeds, { userKey })', { reason: 'options' });
    }
    const key = options.userKey ?? this.#settings.userKey;
    if (key !== undefined && typeof key !== 'string') throw argumentError(ErrorCode.OPTIONS_INVALID, 'userKey must be a string', { reason: 'userKey' });
    const engine = await liveEngine();
    this.#checkLive();
    // From here to session.run: one synchronous turn (the routing table cannot change in between).
    const table = /** @type {Table} */ (this.#table);
    const slot = this.#route(engine, table, key);
    const variant = table.variants.get(slot.version) ?? slot.version;
    const predictionId = newPredictionId(this.name);
    const started = performance.now();
    slot.inflight += 1;
    /** @type {ReturnType} */
    let outputs;
    try {
      outputs = await slot.session.run(feeds, options.fetches, { predictionId, variant });
    } catch (error) {
      const at = performance.now();
      settle(slot);
      this.#record(slot, { at, ms: at - started, ok: false });
      if (error instanceof OnnxEdgeError) error.details.deployment = { name: this.name, version: slot.version, variant, predictionId };
      throw error;
    }
    const at = performance.now();
    settle(slot);
    this.#record(slot, { at, ms: at - started, ok: true });
    const shadow = table.shadow;
    if (shadow !== null && !shadow.retired && shadow !== slot) {
      shadow.inflight += 1;
      const kept = this.#shadow.schedule({
        session: shadow.session,
        version: shadow.version,
        feeds: /** @type {any} */ (feeds),
        outputs,
        served: { version: slot.version, variant, predictionId },
        done: () => settle(shadow),
      });
      if (!kept) settle(shadow);
    }
    return { outputs, version: slot.version, variant, predictionId, durationMs: at - started };
  }

  /**
   * Serve another version: `iris@1.2.0` (pinned: weights no longer apply), `iris@stable` or `iris` (follow the
   * alias and the manifest's weights again), `iris@^1.2`. Blue-green: the new version is loaded and warmed beside
   * the serving one and must pass its staging gate; then the routing table switches between two runs, and the old
   * session is released once its in-flight runs are answered (or kept on standby while the switch is on probation).
   * Rejects with GATE_FAILED when a version failed its gate (or was rolled back and the manifest has not changed
   * since): if it was the primary, nothing changed; a weighted or shadow version that failed does not serve (its
   * keys go to the primary) while the rest of the update applies (`details.applied: true`).
   * @param {string} spec
   * @returns {Promise<DeploymentState>}
   */
  async update(spec) {
    this.#checkLive();
    checkSpec(this.name, spec, 'spec');
    return this.#exclusive(async () => {
      await this.#apply(spec, 'update');
      return this.current;
    });
  }

  /**
   * Read the manifest again (from the network) and apply what changed for this model: aliases, weights, shadow.
   * Rejects as `update` does.
   * @returns {Promise<DeploymentState>}
   */
  async refresh() {
    this.#checkLive();
    return this.#exclusive(async () => {
      await this.#registry.refresh();
      await this.#apply(this.#spec, 'refresh');
      return this.current;
    });
  }

  /**
   * What serves now.
   * @returns {DeploymentState}
   */
  get current() {
    const table = /** @type {Table} */ (this.#table);
    const serving = new Map([[table.primary.version, table.primary], ...table.arms]);
    return {
      name: this.name,
      spec: this.#spec,
      version: table.primary.version,
      variant: table.variants.get(table.primary.version) ?? table.primary.version,
      weights: table.weights === null ? null : { ...table.weights },
      serving: [...serving.keys()].map((version) => ({ version, variant: table.variants.get(version) ?? version })),
      shadow: table.shadow?.version ?? null,
      standby: [...this.#probations.values()].flatMap((p) => (p.standby === null ? [] : [p.standby.version])),
      probation: [...this.#probations.values()].map(({ watch }) => ({
        version: watch.version, runs: watch.count, window: watch.settings.window, startedAt: watch.startedAt,
      })),
      rolledBack: [...this.#rolledBack.keys()],
    };
  }

  /**
   * Listen to `switch`, `rollback`, `gate-failed`, `shadow-report`, `release` or `probation-passed` (see
   * deployment-events.js for their fields).
   * @param {DeploymentEvent} type
   * @param {(event: any) => void} listener
   * @returns {() => void} removes the listener
   */
  on(type, listener) {
    return this.#events.on(type, listener);
  }

  /**
   * Every shadow candidate's agreement so far.
   * @returns {Record<string, ShadowTotals>}
   */
  shadowReport() {
    return this.#shadow.report();
  }

  /**
   * Resolves once every shadow run scheduled so far is over.
   * @returns {Promise<void>}
   */
  settled() {
    return this.#shadow.settled();
  }

  /**
   * Stop serving: later runs throw RELEASED; every session is released once its in-flight runs (shadow runs
   * included) are answered. Calling it again returns the same promise.
   * @returns {Promise<void>}
   */
  release() {
    if (this.#releasing === null) {
      this.#releasing = (async () => {
        await this.#updates.catch(() => {});
        await this.#shadow.settled();
        const slots = new Set(this.#slots());
        this.#probations.clear();
        await Promise.all([...slots].map((slot) => this.#retire(slot)));
      })();
    }
    return this.#releasing;
  }

  // ---- inside ----------------------------------------------------------------------------------------------------

  /**
   * @template T
   * @param {() => Promise<T>} task
   * @returns {Promise<T>}
   */
  #exclusive(task) {
    const turn = this.#updates.catch(() => {}).then(task);
    this.#updates = turn;
    return turn;
  }

  #checkLive() {
    if (this.#releasing !== null) {
      throw new OnnxEdgeError(ErrorCode.RELEASED, `the deployment of ${this.name} was released`, { details: { model: this.name } });
    }
  }

  /**
   * @param {import('../init.js').Engine} engine
   * @param {Table} table
   * @param {string | undefined} key
   * @returns {Slot}
   */
  #route(engine, table, key) {
    if (table.weights !== null && key !== undefined) {
      const version = this.#settings.assign !== undefined ? this.#settings.assign(key) : assignNow(engine, key, table.weights);
      const slot = version === undefined ? undefined : table.arms.get(version);
      if (slot !== undefined) return slot;
    }
    return table.primary;
  }

  /**
   * Note a run's outcome; judge the version's probation when its window is complete.
   * @param {Slot} slot
   * @param {import('./outcome-window.js').Outcome} outcome
   */
  #record(slot, outcome) {
    slot.live.push(outcome);
    const probation = this.#probations.get(slot.version);
    if (probation === undefined || probation.judging) return;
    if (probation.watch.observe(outcome)) {
      probation.judging = true;
      void this.#judge(probation);
    }
  }

  /**
   * Judge a probation: pass (release the standby) or roll back (switch to the standby, or drop a weighted version).
   * @param {Probation} probation
   */
  async #judge(probation) {
    const engine = await liveEngine();
    const { watch } = probation;
    const figures = watch.judge(engine, performance.now());
    if (this.#probations.get(watch.version) !== probation) return; // superseded by an update meanwhile
    this.#probations.delete(watch.version);
    const table = /** @type {Table} */ (this.#table);
    if (figures.reasons.length === 0) {
      this.#events.emit('probation-passed', { name: this.name, version: watch.version, previous: watch.previous, figures });
      if (probation.standby !== null) await this.#retireUnused(probation.standby);
      return;
    }
    this.#rolledBack.set(watch.version, { fingerprint: table.fingerprint, figures });
    /** @type {Table} */
    let next;
    if (table.primary.version === watch.version && probation.standby !== null) {
      const back = probation.standby;
      const arms = new Map([...table.arms].filter(([v]) => v !== watch.version));
      const variants = new Map([...table.variants, [back.version, variantOf(back.version, table.aliases)]]);
      next = { ...table, primary: back, arms, weights: weightsOf(table.weights, arms), variants };
    } else {
      const arms = new Map([...table.arms].filter(([v]) => v !== watch.version));
      next = { ...table, arms, weights: weightsOf(table.weights, arms) };
    }
    this.#table = next;
    this.#events.emit('rollback', { name: this.name, from: watch.version, to: next.primary.version, figures });
    recordSwitch(this.#settings.telemetry, this.name, watch.version, next.primary.version, 'rollback');
    const bad = tableSlots(table).find((s) => s.version === watch.version);
    if (bad !== undefined) await this.#retireUnused(bad);
  }

  /**
   * Resolve `spec` against the manifest, load and gate what is not loaded, switch, retire what no longer serves.
   * @param {string} spec
   * @param {'deploy' | 'update' | 'refresh'} reason
   */
  async #apply(spec, reason) {
    const started = performance.now();
    // One read of the manifest (verified by the registry), resolved here by the core: `registry.resolve` would
    // read it again (each read revalidates it unless the registry has a `manifestMaxAgeMs`).
    const manifest = await this.#registry.manifest();
    const own = manifest.models[this.name] === undefined ? manifest : { ...manifest, models: { [this.name]: manifest.models[this.name] } };
    delete own.signature;
    const resolved = /** @type {{ version: string, alias?: string | null }} */ (await resolveModel(JSON.stringify(own), spec));
    const entry = /** @type {ManifestModel} */ (manifest.models[this.name]);
    const fingerprint = JSON.stringify(entry);
    for (const [version, r] of this.#rolledBack) if (r.fingerprint !== fingerprint) this.#rolledBack.delete(version);

    const current = this.#table;
    const primaryVersion = resolved.version;
    const blocked = this.#rolledBack.get(primaryVersion);
    if (blocked !== undefined) {
      if (reason === 'refresh' && current !== null) return;
      throw new OnnxEdgeError(ErrorCode.GATE_FAILED,
        `${this.name}@${primaryVersion} was rolled back (${blocked.figures.reasons.join(', ')}) and is not retried until the manifest changes`, {
          details: { name: this.name, version: primaryVersion, reason: 'rolledBack', figures: blocked.figures, applied: false },
        });
    }
    const follows = !spec.includes('@') || (resolved.alias ?? null) !== null;
    /** @type {Record<string, number> | null} */
    let weights = null;
    if (follows && entry.rollout?.weights !== undefined) {
      const w = Object.entries(entry.rollout.weights)
        .filter(([v, x]) => Number.isFinite(x) && x > 0 && entry.versions[v] !== undefined && !this.#rolledBack.has(v));
      weights = w.length === 0 ? null : Object.fromEntries(w);
    }
    const shadowWanted = this.#settings.shadow === false ? null : this.#settings.shadow ?? entry.rollout?.shadow ?? null;
    const shadowVersion = shadowWanted !== null && shadowWanted !== primaryVersion && entry.versions[shadowWanted] !== undefined ? shadowWanted : null;
    const wanted = [...new Set([primaryVersion, ...Object.keys(weights ?? {}), ...(shadowVersion === null ? [] : [shadowVersion])])];

    // Load, warm and gate, beside what serves.
    const known = new Map(this.#slots().filter((s) => !s.retired).map((s) => [s.version, s]));
    /** @type {Map<string, Slot>} */
    const ready = new Map();
    /** @type {Slot[]} */
    const fresh = [];
    /** @type {{ version: string, error?: unknown, gate?: GateResult }[]} */
    const failures = [];
    let loadMs = 0;
    let gateMs = 0;
    for (const version of wanted) {
      const loaded = known.get(version);
      if (loaded !== undefined) {
        ready.set(version, loaded);
        continue;
      }
      /** @type {InferenceSession} */
      let session;
      const loadStarted = performance.now();
      try {
        session = await this.#registry.load(`${this.name}@${version}`, { sessionOptions: this.#sessionOptions() });
      } catch (error) {
        failures.push({ version, error });
        continue;
      }
      loadMs += performance.now() - loadStarted;
      const gate = await runGate(session, {
        name: this.name, version, entry: entry.versions[version], check: this.#settings.check, requireGate: this.#settings.requireGate,
      });
      gateMs += gate.figures.ms;
      if (!gate.ok) {
        failures.push({ version, gate });
        this.#events.emit('gate-failed', { name: this.name, version, reason: gate.reason, figures: gate.figures });
        await session.release();
        continue;
      }
      const slot = newSlot(version, session, this.#settings.rollback?.window ?? 200);
      ready.set(version, slot);
      fresh.push(slot);
    }
    const primaryFailure = failures.find((f) => f.version === primaryVersion);
    if (primaryFailure !== undefined) {
      await Promise.all(fresh.map((slot) => slot.session.release()));
      if (primaryFailure.error !== undefined) throw primaryFailure.error;
      throw gateFailed(this.name, failures, false);
    }

    // The new table.
    const primary = /** @type {Slot} */ (ready.get(primaryVersion));
    const arms = new Map(Object.keys(weights ?? {}).filter((v) => ready.has(v)).map((v) => [v, /** @type {Slot} */ (ready.get(v))]));
    const aliases = entry.aliases ?? {};
    const variants = new Map(wanted.map((v) => [v, variantOf(v, aliases)]));
    /** @type {Table} */
    const table = {
      primary,
      weights: weightsOf(weights, arms),
      arms,
      variants,
      shadow: shadowVersion === null ? null : ready.get(shadowVersion) ?? null,
      aliases: { ...aliases },
      fingerprint,
    };
    const changed = current === null || current.primary !== primary || current.shadow !== table.shadow
      || JSON.stringify(current.weights) !== JSON.stringify(table.weights) || !sameMap(current.variants, variants)
      || [...arms].some(([v, s]) => current.arms.get(v) !== s);
    const engine = await liveEngine();
    const baseline = current === null ? null : summarize(engine, current.primary.live.outcomes());

    const swapStarted = performance.now();
    this.#table = table; // the switch
    const swapMs = performance.now() - swapStarted;
    this.#spec = spec;

    // Probation for what starts serving (the previous primary stays on standby meanwhile); a probation under way
    // goes on while its version keeps its place.
    const before = this.#probations;
    /** @type {Map<string, Probation>} */
    const probations = new Map();
    const rollback = this.#settings.rollback;
    if (current !== null) {
      const at = performance.now();
      const servedBefore = new Set([current.primary.version, ...current.arms.keys()]);
      const carried = before.get(primary.version);
      if (current.primary === primary) {
        if (carried !== undefined) probations.set(primary.version, carried);
      } else if (rollback !== null && baseline !== null) {
        probations.set(primary.version, {
          watch: new RollbackWatch({ version: primary.version, previous: current.primary.version, baseline, settings: rollback, startedAt: at }),
          standby: current.primary,
          judging: false,
        });
      }
      for (const [version] of arms) {
        if (probations.has(version)) continue;
        const under = before.get(version);
        if (servedBefore.has(version)) {
          if (under !== undefined) probations.set(version, under);
        } else if (rollback !== null && baseline !== null) {
          probations.set(version, {
            watch: new RollbackWatch({ version, previous: current.primary.version, baseline, settings: rollback, startedAt: at }),
            standby: null,
            judging: false,
          });
        }
      }
    }
    const superseded = [...before.values()].filter((p) => ![...probations.values()].includes(p));
    this.#probations = probations;
    if (changed) {
      const timings = { loadMs, gateMs, swapMs, totalMs: performance.now() - started };
      this.#events.emit('switch', {
        name: this.name,
        reason,
        from: current?.primary.version ?? null,
        to: primary.version,
        versions: this.current.serving,
        weights: table.weights,
        shadow: table.shadow?.version ?? null,
        timings,
      });
      if (current?.primary !== primary) recordSwitch(this.#settings.telemetry, this.name, current?.primary.version ?? null, primary.version, reason);
    }

    // Retire what no longer serves (standbys wait for their probation).
    const keep = new Set(this.#slots());
    const retiring = [...new Set([...(current === null ? [] : tableSlots(current)), ...superseded.flatMap((p) => (p.standby === null ? [] : [p.standby]))])]
      .filter((slot) => !keep.has(slot));
    await Promise.all(retiring.map((slot) => this.#retire(slot)));
    if (failures.length > 0) throw gateFailed(this.name, failures, true);
  }

  /** @returns {import('../session.js').SessionOptions} */
  #sessionOptions() {
    const options = { ...this.#settings.sessionOptions };
    if (this.#settings.telemetry !== undefined) options.telemetry = this.#settings.telemetry;
    return options;
  }

  /**
   * Every slot in use: the table's and the standbys.
   * @returns {Slot[]}
   */
  #slots() {
    const slots = this.#table === null ? [] : tableSlots(this.#table);
    for (const p of this.#probations.values()) if (p.standby !== null) slots.push(p.standby);
    return [...new Set(slots)];
  }

  /**
   * Retire a slot unless something still uses it.
   * @param {Slot} slot
   */
  async #retireUnused(slot) {
    if (!this.#slots().includes(slot)) await this.#retire(slot);
  }

  /**
   * Take a slot out of service and release its session once its in-flight runs are answered.
   * @param {Slot} slot
   */
  async #retire(slot) {
    if (slot.retired) return;
    slot.retired = true;
    if (slot.inflight > 0) await new Promise((resolve) => { slot.drained.push(() => resolve(undefined)); });
    await slot.session.release();
    this.#events.emit('release', { name: this.name, version: slot.version });
  }
}

/**
 * @param {string} version
 * @param {InferenceSession} session
 * @param {number} window
 * @returns {Slot}
 */
function newSlot(version, session, window) {
  return { version, session, live: new OutcomeWindow(window), inflight: 0, drained: [], retired: false };
}

/** @param {Slot} slot */
function settle(slot) {
  slot.inflight -= 1;
  if (slot.inflight === 0) for (const resolve of slot.drained.splice(0)) resolve();
}

/**
 * @param {Table} table
 * @returns {Slot[]}
 */
function tableSlots(table) {
  return [...new Set([table.primary, ...table.arms.values(), ...(table.shadow === null ? [] : [table.shadow])])];
}

/**
 * The weights of the versions that serve, or null.
 * @param {Record<string, number> | null} weights
 * @param {ReadonlyMap<string, Slot>} arms
 * @returns {Record<string, number> | null}
 */
function weightsOf(weights, arms) {
  if (weights === null) return null;
  const kept = Object.entries(weights).filter(([v]) => arms.has(v));
  return kept.length === 0 ? null : Object.fromEntries(kept);
}

/**
 * `stable` or `canary` when that alias names the version, else the version.
 * @param {string} version
 * @param {Record<string, string>} aliases
 * @returns {string}
 */
export function variantOf(version, aliases) {
  if (aliases.stable === version) return 'stable';
  if (aliases.canary === version) return 'canary';
  return version;
}

/**
 * @param {ReadonlyMap<string, string>} a
 * @param {ReadonlyMap<string, string>} b
 */
function sameMap(a, b) {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/**
 * @param {string} name
 * @param {{ version: string, error?: unknown, gate?: GateResult }[]} failures
 * @param {boolean} applied
 */
function gateFailed(name, failures, applied) {
  const gates = failures.filter((f) => f.gate !== undefined);
  const list = failures.map((f) => `${name}@${f.version}: ${f.gate !== undefined ? describeGate(/** @type {GateResult} */ (f.gate)) : `load failed (${/** @type {{ code?: string }} */ (f.error)?.code ?? 'error'})`}`);
  const first = gates[0] ?? failures[0];
  return new OnnxEdgeError(ErrorCode.GATE_FAILED, `staging gate: ${list.join('; ')}`, {
    details: {
      name,
      version: first.version,
      reason: first.gate?.reason ?? 'load',
      figures: first.gate?.figures ?? null,
      failures: failures.map((f) => ({
        version: f.version,
        reason: f.gate?.reason ?? 'load',
        figures: f.gate?.figures ?? null,
        error: f.error === undefined ? null : { code: /** @type {{ code?: string }} */ (f.error)?.code ?? 'ERROR', message: String(/** @type {Error} */ (f.error)?.message ?? f.error) },
      })),
      applied,
    },
  });
}

/** @param {GateResult} gate */
function describeGate(gate) {
  const f = gate.figures;
  switch (gate.reason) {
    case 'outputs': return `${f.outputs?.mismatches} of ${f.outputs?.compared} expected values out of tolerance (max abs ${f.outputs?.maxAbs})`;
    case 'check': return f.error === null ? 'the check failed' : `the check threw ${f.error.code}`;
    case 'noGate': return 'no gate in the manifest (requireGate)';
    default: return `the gate could not run (${f.error?.code})`;
  }
}

/**
 * @param {string} name
 * @returns {string}
 */
function newPredictionId(name) {
  predictionCounter += 1;
  const random = typeof globalThis.crypto?.randomUUID === 'function'
    ? globalThis.crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `${name}-${random}-${predictionCounter.toString(36)}`;
}

/**
 * Tell the telemetry about a switch, if it takes them (`recordSwitch`).
 * @param {unknown} telemetry
 * @param {string} name
 * @param {string | null} from
 * @param {string} to
 * @param {string} reason
 */
function recordSwitch(telemetry, name, from, to, reason) {
  const t = /** @type {{ recordSwitch?: (model: { name: string }, change: { from: string | null, to: string, reason: string }) => void } | undefined} */ (telemetry);
  if (typeof t?.recordSwitch === 'function') {
    try {
      t.recordSwitch({ name }, { from, to, reason });
    } catch {
      // telemetry never changes what the deployment does
    }
  }
}

/**
 * Give the telemetry a candidate's shadow agreement, if it takes it (`recordShadow`, exported as
 * `onnx_edge_shadow_agreement{model,version,variant="shadow"}`).
 * @param {unknown} telemetry
 * @param {string} name
 * @param {string} version
 * @param {ShadowTotals} totals
 */
function recordShadow(telemetry, name, version, totals) {
  const t = /** @type {{ recordShadow?: (model: { name: string, version: string }, agreement: { variant: string, top1: number | null, maxAbs: number, meanAbs: number, rows: number }) => void } | undefined} */ (telemetry);
  if (typeof t?.recordShadow === 'function') {
    try {
      t.recordShadow({ name, version }, { variant: 'shadow', top1: totals.top1, maxAbs: totals.maxAbs, meanAbs: totals.meanAbs, rows: totals.rows });
    } catch {
      // telemetry never changes what the deployment does
    }
  }
}
