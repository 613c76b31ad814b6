import { SetMetadata } from '@nestjs/common';

const LOGIN_THROTTLE = 'rate-limit:login';

/** Counts the route against the per-IP login budget (LOGIN_PER_IP_PER_MINUTE). */
export const LoginThrottle = () => SetMetadata(LOGIN_THROTTLE, true);

export function isLoginThrottled(handler: object): boolean {
  return Reflect.getMetadata(LOGIN_THROTTLE, handler) === true;
}
