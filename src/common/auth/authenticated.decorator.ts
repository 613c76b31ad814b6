import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';

export const IS_AUTHENTICATED = 'auth:authenticated';

/**
 * Declares that a route (or a whole controller) needs a bearer token and no particular permission.
 * AccessPolicy authenticates undeclared routes anyway (safe default); the declaration makes the policy
 * explicit, and the permission-matrix test refuses any route that declares none.
 */
export const Authenticated = () =>
  applyDecorators(
    SetMetadata(IS_AUTHENTICATED, true),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired access token' }),
  );
