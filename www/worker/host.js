// The worker's side of a worker session: one InferenceSession, driven by the calls in protocol.js. Kept apart
// from worker.js (which only hands it the worker's global scope) so that Node can test it over a MessageChannel.

import { InferenceSession } from '../session.js';
import { ErrorCode, OnnxEdgeError } from '../errors.js';
import { encodeError, encodeOutputs, transferList } from './protocol.js';

/** @typedef {import('./protocol.js').Call} Call */
/** @typedef {import('./protocol.js').Reply} Reply */

/**
 * Where calls arrive and replies go: a worker's global scope, or a MessagePort.
 * @typedef {object} Endpoint
 * @property {(message: Reply, transfer: Transferable[]) => void} postMessage
 * @property {(type: 'message', listener: (event: { data: Call }) => void) => void} addEventListener
 */

/**
 * What `create` answers: the session's description, for the page side to expose as its own.
 * @typedef {object} SessionDescription
 * @property {readonly string[]} inputNames
 * @property {readonly string[]} outputNames
 * @property {readonly import('../session.js').ValueMetadata[]} inputMetadata
 * @property {readonly import('../session.js').ValueMetadata[]} outputMetadata
 * @property {Readonly<import('../session.js').ModelMetadata>} metadata
 * @property {readonly string[]} warnings
 */

/**
 * Answer calls on `endpoint`, one after another in arrival order (so replies come back in call order).
 * @param {Endpoint} endpoint
 */
export function serveSession(endpoint) {
  /** @type {InferenceSession | null} */
  let session = null;
  /** @type {Promise<void>} */
  let queue = Promise.resolve();

  endpoint.addEventListener('message', (event) => {
    const call = event.data;
    queue = queue.then(() => answer(call));
  });
  // A MessagePort delivers through addEventListener only once started.
  /** @type {{ start?: () => void }} */ (endpoint).start?.();

  /** @param {Call} call */
  async function answer(call) {
    try {
      /** @type {Set<Transferable>} */
      const transfer = new Set();
      const result = await perform(call, transfer);
      reply({ id: call.id, ok: true, result }, transferList(transfer));
    } catch (error) {
      reply({ id: call.id, ok: false, error: encodeError(error) }, []);
    }
  }

  /**
   * @param {Call} call
   * @param {Set<Transferable>} transfer
   * @returns {Promise<unknown>}
   */
  async function perform(call, transfer) {
    switch (call.op) {
      case 'create': {
        if (session !== null) throw new OnnxEdgeError(ErrorCode.ENGINE, 'this worker already holds a session', { details: { reason: 'worker-busy' } });
        const onProgress = call.progress
          ? (/** @type {{ loaded: number, total?: number }} */ progress) => reply({ id: call.id, progress: { ...progress } }, [])
          : undefined;
        session = await InferenceSession.create(call.source, { ...call.options, onProgress });
        return describeSession(session);
      }
      case 'run': {
        if (session === null) throw new OnnxEdgeError(ErrorCode.RELEASED, 'this worker holds no session', { details: { reason: 'no-session' } });
        const outputs = await session.run(/** @type {any} */ (call.feeds), /** @type {any} */ (call.fetches), /** @type {any} */ (call.options));
        return encodeOutputs(outputs, transfer);
      }
      case 'release': {
        await session?.release();
        return null;
      }
      default:
        throw new OnnxEdgeError(ErrorCode.ENGINE, `unknown worker call ${JSON.stringify(/** @type {{ op?: unknown }} */ (call).op)}`, {
          details: { reason: 'unknown-call' },
        });
    }
  }

  /**
   * Post a reply; one that cannot be cloned (odd error details) goes as an ENGINE error instead of never.
   * @param {Reply} message
   * @param {Transferable[]} transfer
   */
  function reply(message, transfer) {
    try {
      endpoint.postMessage(message, transfer);
    } catch (error) {
      endpoint.postMessage({ id: message.id, ok: false, error: encodeError(error) }, []);
    }
  }
}

/**
 * The plain description of a session (everything the page side shows except `model`, which it keeps itself).
 * @param {InferenceSession} session
 * @returns {SessionDescription}
 */
function describeSession(session) {
  return {
    inputNames: [...session.inputNames],
    outputNames: [...session.outputNames],
    inputMetadata: session.inputMetadata.map((m) => ({ ...m, shape: [...m.shape] })),
    outputMetadata: session.outputMetadata.map((m) => ({ ...m, shape: [...m.shape] })),
    metadata: { ...session.metadata, metadataProps: { ...session.metadata.metadataProps }, opsets: session.metadata.opsets.map((o) => ({ ...o })) },
    warnings: [...session.warnings],
  };
}
