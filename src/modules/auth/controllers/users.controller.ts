import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { uuidParam } from '../../../common/errors/validation.js';
import { RequirePermission } from '../../../common/auth/require-permission.decorator.js';
import { SetRolesBody, UserListQuery, UserPage, UserResponse } from '../dto/user.dto.js';
import { UsersService } from '../services/users.service.js';

@ApiTags('users')
@RequirePermission('users:manage')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'List users (keyset pagination, creation order)' })
  @ApiOkResponse({ type: UserPage })
  list(@Query() query: UserListQuery): Promise<UserPage> {
    return this.users.list(query);
  }

  @Delete(':id/sessions')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke every session of a user (their refresh tokens stop working)' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: 'No such user' })
  revokeSessions(@Param('id', uuidParam) id: string): Promise<void> {
    return this.users.revokeSessions(id);
  }

  @Put(':id/roles')
  @ApiOperation({ summary: "Replace a user's roles (customer is always kept)" })
  @ApiOkResponse({ type: UserResponse })
  @ApiBadRequestResponse({ description: 'Unknown role' })
  @ApiNotFoundResponse({ description: 'No such user' })
  setRoles(@Param('id', uuidParam) id: string, @Body() body: SetRolesBody): Promise<UserResponse> {
    return this.users.setRoles(id, body.roles);
  }
}
