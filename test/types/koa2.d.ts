// `koa2` is Koa 2 installed under an alias for the adapter tests; it shares Koa's types.
declare module 'koa2' {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- `import = require` is how an ambient module re-exports an `export =` module
  import Koa = require('koa');
  export = Koa;
}
