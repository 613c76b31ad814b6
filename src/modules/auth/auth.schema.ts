import { Users1764320000001 } from '../../../migrations/1764320000001-Users.js';
import { AuthSessions1764320100000 } from '../../../migrations/1764320100000-AuthSessions.js';
import type { ModuleSchema } from '../../infrastructure/database/module-schema.js';
import { AuthSession } from './entities/auth-session.entity.js';
import { RefreshToken } from './entities/refresh-token.entity.js';
import { User } from './entities/user.entity.js';

export const authSchema: ModuleSchema = {
  entities: [User, AuthSession, RefreshToken],
  migrations: [Users1764320000001, AuthSessions1764320100000],
};
