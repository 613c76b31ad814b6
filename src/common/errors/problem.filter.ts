import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { routeOf } from '../../infrastructure/http/http-hooks.js';
import { toProblem } from './problem.js';

/** The one place errors become responses: problem+json, never a stack, SQL or driver text. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const { problem, headers, unexpected } = toProblem(error);
    if (unexpected) {
      // The request id ties the error to its access-log line and to what the client was told (x-request-id).
      const req = http.getRequest<FastifyRequest>();
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.logger.error(`unexpected error in request ${req.id} (${req.method} ${routeOf(req)})`, detail);
    }
    if (reply.sent) return;
    void reply.status(problem.status).headers(headers).type('application/problem+json').send(problem);
  }
}
