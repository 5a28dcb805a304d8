// Express 4 (installed as `express4`): the adapter contract, and what only Express does.
import express from 'express4';
import { runAdapterContract } from './contract.js';
import { expressApp } from './express-app.js';
import { expressSpecifics } from './express-specifics.js';

runAdapterContract('express 4', expressApp(express));
expressSpecifics('express 4', express);
