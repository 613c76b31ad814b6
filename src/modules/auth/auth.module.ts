import { Module } from '@nestjs/common';
import { AuthController } from './controllers/auth.controller.js';
import { UsersController } from './controllers/users.controller.js';
import { WebhooksModule } from '../webhooks/index.js';
import { PasswordResetsRepository } from './repositories/password-resets.repository.js';
import { SessionsRepository } from './repositories/sessions.repository.js';
import { UsersRepository } from './repositories/users.repository.js';
import { AdminBootstrapService } from './services/admin-bootstrap.service.js';
import { AuthService } from './services/auth.service.js';
import { LoginAttemptsService } from './services/login-attempts.service.js';
import { PasswordResetService } from './services/password-reset.service.js';
import { PasswordService } from './services/password.service.js';
import { ProfileCache } from './services/profile-cache.service.js';
import { SessionPurgeJob } from './jobs/session-purge.job.js';
import { SessionsService } from './services/sessions.service.js';
import { UsersService } from './services/users.service.js';

/**
 * Accounts, sessions (rotating refresh-token families), user administration. Access tokens are
 * verified by the AccessPolicy in common/auth; request budgets by the RateLimitPolicy in common/rate-limit
 * (both per-route Fastify hooks).
 */
@Module({
  imports: [WebhooksModule],
  controllers: [AuthController, UsersController],
  providers: [
    UsersRepository,
    SessionsRepository,
    PasswordResetsRepository,
    PasswordService,
    ProfileCache,
    LoginAttemptsService,
    SessionsService,
    AuthService,
    PasswordResetService,
    UsersService,
    AdminBootstrapService,
    SessionPurgeJob,
  ],
  // LoginAttemptsService: the per-email password-check budget, for other secret checks (reset confirm).
  exports: [UsersService, SessionsService, LoginAttemptsService],
})
export class AuthModule {}
