/**
 * Stands in for axios inside Lambda bundles only (an esbuild alias in infra/bundling.ts). GOV.UK
 * Notify's client requires axios when it loads, but the projector hands it a fetch-based client
 * (shared/notify/notify-rest-client.ts) before any request, so axios is never called: bundled, it
 * and the form-data and mime-db it pulls in would be about 280 KB of the projector's bundle.
 */
function axiosIsNotBundled(): never {
  throw new Error(
    'axios is not in this bundle: give NotifyClient a rest client with setClient (shared/notify/notify-rest-client.ts)',
  );
}

export default axiosIsNotBundled;
