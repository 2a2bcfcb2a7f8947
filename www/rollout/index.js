// The rollout layer's public names (re-exported by www/index.js): deployments come from `registry.deploy(name,
// options)`; `accuracyCheck` builds a staging check; `bucketOf` and `assignVariant` give the sticky A/B assignment a
// server can reproduce (assignment.js documents the rule).

export { Deployment } from './deployment.js';
export { accuracyCheck } from './accuracy-check.js';
export { assignVariant, bucketOf } from './assignment.js';
