// import() for the bundles' code. Node 20 cannot run import() in code that V8 took from a code cache (it fails with
// ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), and the bundles load from one (bundle-loader.ts); so the build points the
// bundles' import of this module at dist/loader.cjs, which Node's own loader compiles (scripts/build.js). Under the
// tests, which run the sources, it is an ordinary module.
export function importEsm(specifier: string): Promise<unknown> {
  return import(specifier);
}
