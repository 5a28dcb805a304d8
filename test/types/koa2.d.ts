// `koa2` is Koa 2 installed under an alias for the adapter tests; it shares Koa's types.
declare module 'koa2' {
  import Koa = require('koa');
  export = Koa;
}
