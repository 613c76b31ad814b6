import { describe, expect, it } from '@jest/globals';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { inSequence } from './route-hooks.js';

type Done = (error?: Error) => void;
const req = {} as FastifyRequest;
const reply = {} as FastifyReply;
const fastify = {} as FastifyInstance;

/** Runs the merged hook as Fastify would; resolves with what it passed to done. */
const run = (hook: onRequestHookHandler) =>
  new Promise<Error | undefined>((resolve) => {
    void hook.call(fastify, req, reply, ((error?: Error) => resolve(error)) as Done);
  });

describe(inSequence.name, () => {
  it('runs the hooks in order, each after the previous one passed (also asynchronously)', async () => {
    const calls: string[] = [];
    const hook = (name: string, later = false): onRequestHookHandler =>
      function (this: FastifyInstance, request, response, done) {
        expect([this, request, response]).toEqual([fastify, req, reply]);
        calls.push(name);
        if (later) setImmediate(() => done());
        else done();
      };
    expect(await run(inSequence([hook('access', true), hook('rate'), hook('third')]))).toBeUndefined();
    expect(calls).toEqual(['access', 'rate', 'third']);
  });

  it('is the hook itself when there is one', () => {
    const only: onRequestHookHandler = (_req, _reply, done) => done();
    expect(inSequence([only])).toBe(only);
  });

  it('stops at the first error, passed or thrown, and hands it to Fastify', async () => {
    const refused = new Error('401');
    const calls: string[] = [];
    const passes: onRequestHookHandler = (_req, _reply, done) => {
      calls.push('passes');
      setImmediate(() => done());
    };
    const fails: onRequestHookHandler = (_req, _reply, done) => {
      calls.push('fails');
      done(refused);
    };
    const throws: onRequestHookHandler = () => {
      calls.push('throws');
      throw refused;
    };
    const never: onRequestHookHandler = (_req, _reply, done) => {
      calls.push('never');
      done();
    };
    expect(await run(inSequence([fails, never]))).toBe(refused);
    expect(await run(inSequence([passes, throws, never]))).toBe(refused);
    expect(calls).toEqual(['fails', 'passes', 'throws']);
  });
});
