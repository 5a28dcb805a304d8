// Fastify 4 (installed as fastify4, with @fastify/cookie 9 and @fastify/session 10): the adapter contract.
import type Fastify from 'fastify';
import fastify4 from 'fastify4';
import cookie9 from 'fastify4-cookie';
import session10 from 'fastify4-session';
import { runAdapterContract } from './contract.js';
import { fastifyApp } from './fastify-app.js';

runAdapterContract('fastify 4', fastifyApp(fastify4 as unknown as typeof Fastify, cookie9, session10));
