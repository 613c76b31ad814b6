import { Users1764320000001 } from '../../../migrations/1764320000001-Users.js';
import { AuthSessions1764320100000 } from '../../../migrations/1764320100000-AuthSessions.js';
import { PasswordResets1796173070539 } from '../../../migrations/1796173070539-PasswordResets.js';
import { AuthHardening1796173454665 } from '../../../migrations/1796173454665-AuthHardening.js';
import type { ModuleSchema } from '../../infrastructure/database/module-schema.js';
import { AuthSession } from './entities/auth-session.entity.js';
import { PasswordResetToken } from './entities/password-reset-token.entity.js';
import { RefreshToken } from './entities/refresh-token.entity.js';
import { User } from './entities/user.entity.js';

export const authSchema: ModuleSchema = {
  entities: [User, AuthSession, RefreshToken, PasswordResetToken],
  migrations: [Users1764320000001, AuthSessions1764320100000, PasswordResets1796173070539, AuthHardening1796173454665],
};
