// The launchers' second import, once the signal listeners are in place (early.ts): the loader of the command's own
// bundle (launch/bundle-loader.ts), and import() for that bundle's code (launch/esm-import.ts).

export { loadBundle } from './launch/bundle-loader.js';
export { importEsm } from './launch/esm-import.js';
