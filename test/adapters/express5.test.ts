// Express 5: the adapter contract, and what only Express does.
import express from 'express';
import { runAdapterContract } from './contract.js';
import { expressApp } from './express-app.js';
import { expressSpecifics } from './express-specifics.js';

runAdapterContract('express 5', expressApp(express));
expressSpecifics('express 5', express);
