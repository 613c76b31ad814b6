import { Module } from '@nestjs/common';
import { AuthController } from './controllers/auth.controller.js';
import { UsersController } from './controllers/users.controller.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { SessionsRepository } from './repositories/sessions.repository.js';
import { UsersRepository } from './repositories/users.repository.js';
import { AdminBootstrapService } from './services/admin-bootstrap.service.js';
import { AuthService } from './services/auth.service.js';
import { LoginAttemptsService } from './services/login-attempts.service.js';
import { PasswordService } from './services/password.service.js';
import { SessionPurgeJob } from './services/session-purge.job.js';
import { SessionsService } from './services/sessions.service.js';
import { UsersService } from './services/users.service.js';

/**
 * Accounts, sessions (rotating refresh-token families), user administration and the rate limits
 * (a global guard). Access tokens are verified by the global AccessGuard in common/auth.
 */
@Module({
  imports: [RateLimitModule],
  controllers: [AuthController, UsersController],
  providers: [
    UsersRepository,
    SessionsRepository,
    PasswordService,
    LoginAttemptsService,
    SessionsService,
    AuthService,
    UsersService,
    AdminBootstrapService,
    SessionPurgeJob,
  ],
  // LoginAttemptsService: the per-email password-check budget, for other secret checks (reset confirm).
  exports: [UsersService, SessionsService, LoginAttemptsService],
})
export class AuthModule {}
