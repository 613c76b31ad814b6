import { Module } from '@nestjs/common';
import { AuthController } from './controllers/auth.controller.js';
import { UsersController } from './controllers/users.controller.js';
import { SessionsRepository } from './repositories/sessions.repository.js';
import { UsersRepository } from './repositories/users.repository.js';
import { AdminBootstrapService } from './services/admin-bootstrap.service.js';
import { AuthService } from './services/auth.service.js';
import { LoginAttemptsService } from './services/login-attempts.service.js';
import { PasswordService } from './services/password.service.js';
import { SessionPurgeJob } from './jobs/session-purge.job.js';
import { SessionsService } from './services/sessions.service.js';
import { UsersService } from './services/users.service.js';

/**
 * Accounts, sessions (rotating refresh-token families), user administration. Access tokens are
 * verified by the global AccessGuard in common/auth; request budgets by the guard in common/rate-limit.
 */
@Module({
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
  exports: [UsersService],
})
export class AuthModule {}
