import { badRequest, conflict, DomainError } from '../../common/errors/domain-error.js';

/** The auth module's error codes. */
export const AuthErrors = {
  /** Identical for an unknown email and a wrong password. */
  invalidCredentials: () => new DomainError(401, 'invalid_credentials', 'Invalid email or password'),
  /** Identical for unknown, expired, revoked and reused tokens. */
  invalidRefreshToken: () =>
    new DomainError(401, 'invalid_refresh_token', 'The refresh token is invalid, expired or revoked'),
  emailTaken: () => conflict('email_taken', 'An account with this email already exists'),
  /** Identical for unknown, expired and already used tokens. */
  invalidResetToken: () =>
    badRequest('invalid_reset_token', 'The password-reset token is invalid, expired or already used', [
      { field: 'token', message: 'token is invalid, expired or already used' },
    ]),
  wrongCurrentPassword: () =>
    badRequest('invalid_current_password', 'The current password is wrong', [
      { field: 'currentPassword', message: 'currentPassword is wrong' },
    ]),
};
