// import() for the bundles' code. The bundles are compiled by vm.Script (bundle-loader.ts), whose code can call
// import() only when given `importModuleDynamically`, and on Node 20 that option does not survive V8's code cache
// (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING); so the build points the bundles' import of this module at
// dist/loader.cjs, which Node's own loader compiles, and fails on a bundle that calls import() itself
// (scripts/build.js). Under the tests, which run the sources, it is an ordinary module.
export function importEsm(specifier: string): Promise<unknown> {
  return import(specifier);
}
