import { createSecretKey } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AccessGuard } from './access.guard.js';
import { AccessTokenService } from './access-token.service.js';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      // A KeyObject, not the string: given a string, jsonwebtoken first tries createPublicKey() on it, on every
      // verify and sign, and that failed attempt was ~40 % of the CPU of an authenticated cached read.
      useFactory: (config: AppConfig) => ({
        secret: createSecretKey(Buffer.from(config.auth.jwtSecret)) as unknown as Buffer,
        signOptions: { algorithm: 'HS256' },
      }),
    }),
  ],
  providers: [AccessTokenService, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [AccessTokenService],
})
export class AccessControlModule {}
