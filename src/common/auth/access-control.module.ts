import { createSecretKey } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AccessPolicy } from './access.policy.js';
import { AccessTokenService } from './access-token.service.js';
import { TokenRevocations } from './token-revocations.js';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        // The secret as a KeyObject, made once. Given a string, jsonwebtoken converts it on every call,
        // first trying it as a PEM public key (createPublicKey throws, then createSecretKey): measured
        // at ~25 % of the CPU of an authenticated read (bench/README.md). Same HS256 tokens either way.
        const key = createSecretKey(Buffer.from(config.auth.jwtSecret));
        return { secretOrKeyProvider: () => key, signOptions: { algorithm: 'HS256' } };
      },
    }),
  ],
  providers: [AccessTokenService, TokenRevocations, AccessPolicy],
  exports: [AccessTokenService, TokenRevocations, AccessPolicy],
})
export class AccessControlModule {}
