/**
 * Settles once Ink's layout engine (yoga-layout's WebAssembly) can be used: Ink draws nothing before. In the
 * ES-module build it is ready when Ink has been imported (yoga-layout awaits it at its top level). The CommonJS
 * builds cannot await at the top level, so scripts/bundle.js replaces this module with yoga's own promise there:
 * the WebAssembly is then decoded and compiled when the view's modules load, after the first list requests are
 * sent, instead of before start-up goes on (tens of ms in front of the first request).
 */
export const layoutReady: Promise<void> = Promise.resolve();
