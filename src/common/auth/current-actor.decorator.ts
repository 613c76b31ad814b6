import { createParamDecorator } from '@nestjs/common';
import { requestContext, type AuthenticatedActor } from '../../infrastructure/http/request-context.js';
import { unauthorized } from '../errors/domain-error.js';

/** The authenticated caller, as the access policy put it in the request context. */
export const CurrentActor = createParamDecorator((): AuthenticatedActor => {
  const actor = requestContext.current()?.actor;
  if (!actor) throw unauthorized();
  return actor;
});
