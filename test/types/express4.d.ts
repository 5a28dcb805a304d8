// `express4` is Express 4 installed under an alias for the adapter tests; it shares Express's types.
declare module 'express4' {
  import express = require('express');
  export = express;
}
