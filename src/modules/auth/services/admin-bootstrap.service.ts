import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { newId } from '../../../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import { isDuplicateKey } from '../../../infrastructure/database/mysql-errors.js';
import { AuditService } from '../../audit/index.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { normalizeEmail } from './auth.service.js';
import { PasswordService } from './password.service.js';

/**
 * At start, when ADMIN_EMAIL and ADMIN_PASSWORD are set and no user has that email, creates it with
 * roles admin + customer. Idempotent: an existing user is left alone (password and roles untouched),
 * and instances starting together race on the unique email index: one INSERT wins, the others get
 * a duplicate key and carry on.
 */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  readonly logger = new Logger('AdminBootstrap');

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureAdmin();
  }

  /** True when this call created the admin. */
  async ensureAdmin(): Promise<boolean> {
    const { adminEmail, adminPassword } = this.config.auth;
    if (!adminEmail || !adminPassword) return false;
    const email = normalizeEmail(adminEmail);
    const existing = await this.users.findByEmail(email);
    if (existing) {
      // Left as it is (roles and password are never changed at start), but an operator who expects an
      // admin account here must learn that there is none.
      if (!existing.roles.includes('admin')) {
        this.logger.warn(
          `ADMIN_EMAIL ${email} belongs to an existing user without the admin role: no admin was created and ` +
            `its roles were left unchanged; grant the role with PUT /api/v1/users/:id/roles or set another ADMIN_EMAIL`,
        );
      }
      return false;
    }
    const passwordHash = await this.passwords.hash(adminPassword);
    const now = new Date();
    const id = newId();
    try {
      await this.tx.run(async (manager) => {
        await this.users.insert(manager, {
          id,
          email,
          name: 'Administrator',
          passwordHash,
          roles: ['admin', 'customer'],
          createdAt: now,
          updatedAt: now,
        });
        await this.audit.record(manager, {
          action: 'auth.register',
          entityType: 'user',
          entityId: id,
          changes: { email, roles: ['admin', 'customer'], bootstrap: true },
        });
      });
    } catch (error) {
      if (isDuplicateKey(error)) return false; // another instance created it first
      throw error;
    }
    this.logger.log(`created the bootstrap admin ${email}`);
    return true;
  }
}
