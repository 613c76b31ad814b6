import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn } from 'class-validator';
import { type Role, ROLES } from '../../../common/auth/permissions.js';
import { PageQuery } from '../../../common/pagination/pagination.js';
import type { User } from '../entities/user.entity.js';

export class UserResponse {
  @ApiProperty({ example: '0190f5b2-7c1e-7a3b-9c4d-5e6f7a8b9c0d' })
  id: string;

  @ApiProperty({ example: 'ada@example.com' })
  email: string;

  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' })
  name: string | null;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['customer'] })
  roles: Role[];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;
}

/** Roles in their canonical order (admin, staff, customer), whatever order storage gives. */
export function canonicalRoles(roles: readonly string[]): Role[] {
  return ROLES.filter((role) => roles.includes(role));
}

/** The public shape of a user: never the password hash. */
export function mapUser(user: Pick<User, 'id' | 'email' | 'name' | 'roles' | 'createdAt'>): UserResponse {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: canonicalRoles(user.roles),
    createdAt: user.createdAt.toISOString(),
  };
}

export class UserPage {
  @ApiProperty({ type: [UserResponse] })
  data: UserResponse[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class UserListQuery extends PageQuery {}

export class SetRolesBody {
  @ApiProperty({
    enum: ROLES,
    isArray: true,
    example: ['staff'],
    description: 'The new roles; `customer` is always kept',
  })
  @IsArray()
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles: Role[];
}
