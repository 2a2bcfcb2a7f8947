# workerd config for the Cloudflare example: `npx workerd serve www/examples/cloudflare/config.capnp`
# (listens on 127.0.0.1:8787; another port: add `--socket-addr http=127.0.0.1:PORT`).
#
# workerd reads no files by itself: every module the Worker imports is listed here, named by its path from the
# repository root, so that the relative imports in worker.js resolve as they do on disk. The wasm is a `wasm`
# module (a compiled WebAssembly.Module, the only way: workerd refuses to compile wasm bytes) and the model a
# `data` module (an ArrayBuffer); to serve another model, change its entry and the import in worker.js.
# `node www/examples/dev/modules.js` prints this list; the e2e test checks it against the Worker's imports.
# With wrangler, the same Worker deploys with a CompiledWasm rule for **/*.wasm and a Data rule for **/*.onnx.

using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "www/examples/cloudflare/worker.js", esModule = embed "worker.js"),
    (name = "tests/fixtures/models/iris_rf.onnx", data = embed "../../../tests/fixtures/models/iris_rf.onnx"),
    (name = "www/dist/onnx_edge.js", esModule = embed "../../dist/onnx_edge.js"),
    (name = "www/dist/onnx_edge_bg.wasm", wasm = embed "../../dist/onnx_edge_bg.wasm"),
    (name = "www/dtypes.js", esModule = embed "../../dtypes.js"),
    (name = "www/errors.js", esModule = embed "../../errors.js"),
    (name = "www/examples/handler.js", esModule = embed "../handler.js"),
    (name = "www/index.js", esModule = embed "../../index.js"),
    (name = "www/init.js", esModule = embed "../../init.js"),
    (name = "www/inspect.js", esModule = embed "../../inspect.js"),
    (name = "www/limits.js", esModule = embed "../../limits.js"),
    (name = "www/preprocess.js", esModule = embed "../../preprocess.js"),
    (name = "www/registry/cache-index.js", esModule = embed "../../registry/cache-index.js"),
    (name = "www/registry/cache-storage-store.js", esModule = embed "../../registry/cache-storage-store.js"),
    (name = "www/registry/checks.js", esModule = embed "../../registry/checks.js"),
    (name = "www/registry/download.js", esModule = embed "../../registry/download.js"),
    (name = "www/registry/eviction.js", esModule = embed "../../registry/eviction.js"),
    (name = "www/registry/folder-store.js", esModule = embed "../../registry/folder-store.js"),
    (name = "www/registry/manifest.js", esModule = embed "../../registry/manifest.js"),
    (name = "www/registry/memory-store.js", esModule = embed "../../registry/memory-store.js"),
    (name = "www/registry/registry.js", esModule = embed "../../registry/registry.js"),
    (name = "www/registry/stores.js", esModule = embed "../../registry/stores.js"),
    (name = "www/registry/url-policy.js", esModule = embed "../../registry/url-policy.js"),
    (name = "www/registry/version-history.js", esModule = embed "../../registry/version-history.js"),
    (name = "www/rollout/accuracy-check.js", esModule = embed "../../rollout/accuracy-check.js"),
    (name = "www/rollout/assignment.js", esModule = embed "../../rollout/assignment.js"),
    (name = "www/rollout/deploy-options.js", esModule = embed "../../rollout/deploy-options.js"),
    (name = "www/rollout/deployment-events.js", esModule = embed "../../rollout/deployment-events.js"),
    (name = "www/rollout/deployment.js", esModule = embed "../../rollout/deployment.js"),
    (name = "www/rollout/gate-tensors.js", esModule = embed "../../rollout/gate-tensors.js"),
    (name = "www/rollout/index.js", esModule = embed "../../rollout/index.js"),
    (name = "www/rollout/outcome-window.js", esModule = embed "../../rollout/outcome-window.js"),
    (name = "www/rollout/rollback-watch.js", esModule = embed "../../rollout/rollback-watch.js"),
    (name = "www/rollout/shadow-runner.js", esModule = embed "../../rollout/shadow-runner.js"),
    (name = "www/rollout/staging-gate.js", esModule = embed "../../rollout/staging-gate.js"),
    (name = "www/session.js", esModule = embed "../../session.js"),
    (name = "www/source.js", esModule = embed "../../source.js"),
    (name = "www/telemetry/counter.js", esModule = embed "../../telemetry/counter.js"),
    (name = "www/telemetry/drift-watch.js", esModule = embed "../../telemetry/drift-watch.js"),
    (name = "www/telemetry/events.js", esModule = embed "../../telemetry/events.js"),
    (name = "www/telemetry/gauge.js", esModule = embed "../../telemetry/gauge.js"),
    (name = "www/telemetry/histogram.js", esModule = embed "../../telemetry/histogram.js"),
    (name = "www/telemetry/hooks.js", esModule = embed "../../telemetry/hooks.js"),
    (name = "www/telemetry/live-watch.js", esModule = embed "../../telemetry/live-watch.js"),
    (name = "www/telemetry/metric-set.js", esModule = embed "../../telemetry/metric-set.js"),
    (name = "www/telemetry/metric.js", esModule = embed "../../telemetry/metric.js"),
    (name = "www/telemetry/otlp-json.js", esModule = embed "../../telemetry/otlp-json.js"),
    (name = "www/telemetry/prediction-value.js", esModule = embed "../../telemetry/prediction-value.js"),
    (name = "www/telemetry/prometheus-text.js", esModule = embed "../../telemetry/prometheus-text.js"),
    (name = "www/telemetry/queue-stores.js", esModule = embed "../../telemetry/queue-stores.js"),
    (name = "www/telemetry/reference.js", esModule = embed "../../telemetry/reference.js"),
    (name = "www/telemetry/report-queue.js", esModule = embed "../../telemetry/report-queue.js"),
    (name = "www/telemetry/reporter.js", esModule = embed "../../telemetry/reporter.js"),
    (name = "www/telemetry/run-options.js", esModule = embed "../../telemetry/run-options.js"),
    (name = "www/telemetry/series.js", esModule = embed "../../telemetry/series.js"),
    (name = "www/telemetry/telemetry.js", esModule = embed "../../telemetry/telemetry.js"),
    (name = "www/telemetry/thresholds.js", esModule = embed "../../telemetry/thresholds.js"),
    (name = "www/telemetry/wasm-stats.js", esModule = embed "../../telemetry/wasm-stats.js"),
    (name = "www/tensor.js", esModule = embed "../../tensor.js"),
    (name = "www/wasm-features.js", esModule = embed "../../wasm-features.js"),
    (name = "www/worker/client.js", esModule = embed "../../worker/client.js"),
    (name = "www/worker/protocol.js", esModule = embed "../../worker/protocol.js"),
  ],
  compatibilityDate = "2025-09-01",
);
