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
      useFactory: (config: AppConfig) => ({ secret: config.auth.jwtSecret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [AccessTokenService, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [AccessTokenService],
})
export class AccessControlModule {}
