// Baseline (a): bare Fastify, one JSON route. The platform's limit: no hooks, no logging, no plugins.
import Fastify from 'fastify';
import { exitWithParent, listenOptions } from './lifecycle.mjs';

const app = Fastify({ logger: false });
app.get('/', async () => ({ status: 'ok' }));

await app.listen(listenOptions());
exitWithParent(() => app.close());
