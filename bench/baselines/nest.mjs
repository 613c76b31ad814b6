// Baseline (b): bare NestJS on Fastify, one controller with one JSON route and nothing else
// (no pipes, filters, interceptors, guards or logging). The framework's floor.
// Plain JS without decorator syntax: Nest's decorators are ordinary functions, applied by hand.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { exitWithParent, listenOptions } from './lifecycle.mjs';

class StatusController {
  status() {
    return { status: 'ok' };
  }
}
Controller()(StatusController);
Get()(StatusController.prototype, 'status', Object.getOwnPropertyDescriptor(StatusController.prototype, 'status'));

class BaselineModule {}
Module({ controllers: [StatusController] })(BaselineModule);

const app = await NestFactory.create(BaselineModule, new FastifyAdapter(), { logger: false });
const { host, port } = listenOptions();
await app.listen(port, host);
exitWithParent(() => app.close());
