// `express4` is Express 4 installed under an alias for the adapter tests; it shares Express's types.
declare module 'express4' {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- `import = require` is how an ambient module re-exports an `export =` module
  import express = require('express');
  export = express;
}
