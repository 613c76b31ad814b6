import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { uuidParam } from '../../../common/errors/validation.js';
import { Authenticated } from '../../../common/auth/authenticated.decorator.js';
import { CurrentActor } from '../../../common/auth/current-actor.decorator.js';
import { Public } from '../../../common/auth/public.decorator.js';
import { LoginRateLimit } from '../../../common/rate-limit/rate-limit.decorators.js';
import { ServeDirect } from '../../../infrastructure/http/direct-route.js';
import type { AuthenticatedActor } from '../../../infrastructure/http/request-context.js';
import {
  AuthResponse,
  ChangePasswordBody,
  LoginBody,
  PasswordResetAccepted,
  PasswordResetConfirmBody,
  PasswordResetRequestBody,
  RefreshBody,
  RegisterBody,
  SessionPage,
} from '../dto/auth.dto.js';
import { UserResponse } from '../dto/user.dto.js';
import { AuthService } from '../services/auth.service.js';
import { PasswordResetService } from '../services/password-reset.service.js';
import { SessionsService } from '../services/sessions.service.js';

@ApiTags('auth')
@ApiTooManyRequestsResponse({ description: 'Rate limited; see Retry-After' })
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly passwordResets: PasswordResetService,
  ) {}

  @Post('register')
  @Header('Cache-Control', 'no-store') // the body carries tokens
  @Public()
  @LoginRateLimit()
  @ApiOperation({ summary: 'Create an account (role customer) and log it in' })
  @ApiCreatedResponse({ type: AuthResponse })
  @ApiBadRequestResponse({ description: 'Invalid email, or password not 12 to 256 characters' })
  @ApiConflictResponse({ description: 'Email already registered' })
  register(@Body() body: RegisterBody): Promise<AuthResponse> {
    return this.auth.register(body);
  }

  @Post('login')
  @Header('Cache-Control', 'no-store') // the body carries tokens
  @Public()
  @LoginRateLimit()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for an access token and a refresh token' })
  @ApiOkResponse({ type: AuthResponse })
  @ApiUnauthorizedResponse({ description: 'Wrong credentials (the same answer for an unknown email)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed logins for this email, or from this IP' })
  login(@Body() body: LoginBody): Promise<AuthResponse> {
    return this.auth.login(body);
  }

  @Post('refresh')
  @Header('Cache-Control', 'no-store') // the body carries tokens
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate a refresh token: the presented one is consumed, a new pair is issued',
    description: 'Presenting a consumed refresh token again revokes its whole family (session) and answers 401.',
  })
  @ApiOkResponse({ type: AuthResponse })
  @ApiUnauthorizedResponse({ description: 'Unknown, expired, revoked or reused refresh token' })
  refresh(@Body() body: RefreshBody): Promise<AuthResponse> {
    return this.sessions.refresh(body.refreshToken);
  }

  @Post('logout')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session of this refresh token (it stops working)' })
  @ApiNoContentResponse({ description: 'Logged out (also when the token was already dead)' })
  logout(@CurrentActor() actor: AuthenticatedActor, @Body() body: RefreshBody): Promise<void> {
    return this.sessions.logout(actor, body.refreshToken);
  }

  @Get('me')
  @Authenticated()
  @ServeDirect((req) => [req.context.actor])
  @ApiOperation({ summary: 'The calling user' })
  @ApiOkResponse({ type: UserResponse })
  me(@CurrentActor() actor: AuthenticatedActor): UserResponse | Promise<UserResponse> {
    return this.auth.me(actor);
  }

  @Post('password')
  @Authenticated()
  @LoginRateLimit()
  @HttpCode(204)
  @ApiOperation({ summary: 'Change the password; every session (refresh token) of the user is revoked' })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiBadRequestResponse({ description: 'Wrong current password, or new password not 12 to 256 characters' })
  changePassword(@CurrentActor() actor: AuthenticatedActor, @Body() body: ChangePasswordBody): Promise<void> {
    return this.auth.changePassword(actor, body);
  }

  @Post('password-reset')
  @Public()
  @LoginRateLimit()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Ask for a password-reset token (sent by webhook event auth.password_reset_requested)',
    description: 'The same 202, body and timing whether or not an account has this email.',
  })
  @ApiAcceptedResponse({ type: PasswordResetAccepted })
  requestPasswordReset(@Body() body: PasswordResetRequestBody): PasswordResetAccepted {
    this.passwordResets.request(body.email);
    return { message: 'If an account exists for this email, a reset link is on its way' };
  }

  @Post('password-reset/confirm')
  @Public()
  @LoginRateLimit()
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password with a reset token; every session of the user is revoked' })
  @ApiNoContentResponse({ description: 'Password changed' })
  @ApiBadRequestResponse({ description: 'Unknown, expired or used token; or new password not 12 to 256 characters' })
  confirmPasswordReset(@Body() body: PasswordResetConfirmBody): Promise<void> {
    return this.passwordResets.confirm(body);
  }

  @Get('sessions')
  @Authenticated()
  @ApiOperation({ summary: "The caller's live sessions, one per refresh-token family" })
  @ApiOkResponse({ type: SessionPage })
  listSessions(@CurrentActor() actor: AuthenticatedActor): Promise<SessionPage> {
    return this.sessions.list(actor);
  }

  @Delete('sessions/:id')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: "End one of the caller's sessions" })
  @ApiNoContentResponse({ description: "The session's refresh tokens stop working" })
  @ApiNotFoundResponse({ description: 'No such session of the caller' })
  deleteSession(@CurrentActor() actor: AuthenticatedActor, @Param('id', uuidParam) id: string): Promise<void> {
    return this.sessions.revokeOwn(actor, id);
  }
}
