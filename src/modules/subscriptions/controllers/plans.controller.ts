import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../common/auth/public.decorator.js';
import { RequirePermission } from '../../../common/auth/require-permission.decorator.js';
import { parseIfMatch } from '../../../common/http/if-match.js';
import { uuidParam } from '../../../common/errors/validation.js';
import { CachedGet } from '../../../infrastructure/cache/cached-get.js';
import { requestContext } from '../../../infrastructure/http/request-context.js';
import { CreatePlanBody, PlanListQuery, PlanPage, PlanResponse, UpdatePlanBody } from '../dto/plan.dto.js';
import { mayListInactive, PlanService } from '../services/plan.service.js';
import { SubscriptionCacheKeys } from '../subscriptions.cache-keys.js';

@ApiTags('plans')
@Controller('api/v1/plans')
export class PlansController {
  constructor(private readonly plans: PlanService) {}

  @Post()
  @RequirePermission('plans:write')
  @ApiResponse({ status: 201, type: PlanResponse })
  @ApiResponse({ status: 400, description: 'Invalid input' })
  @ApiResponse({ status: 409, description: 'Duplicate code' })
  create(@Body() body: CreatePlanBody): Promise<PlanResponse> {
    return this.plans.create(body);
  }

  @Get()
  @Public()
  @CachedGet({
    key: (req) => {
      const query = req.query as Record<string, string | undefined>;
      return SubscriptionCacheKeys.planPage(
        query,
        mayListInactive(query.includeInactive === 'true', req.context.actor),
      );
    },
    tags: () => [SubscriptionCacheKeys.plansTag()],
  })
  @ApiOkResponse({ type: PlanPage, description: 'Active plans' })
  list(@Query() query: PlanListQuery): Promise<PlanPage> {
    return this.plans.list(query, requestContext.current()?.actor);
  }

  @Get(':id')
  @Public()
  @ApiOkResponse({ type: PlanResponse })
  @ApiResponse({ status: 404, description: 'No such plan' })
  get(@Param('id', uuidParam) id: string): Promise<PlanResponse> {
    return this.plans.get(id);
  }

  @Patch(':id')
  @HttpCode(200)
  @RequirePermission('plans:write')
  @ApiOkResponse({ type: PlanResponse })
  @ApiResponse({ status: 404, description: 'No such plan' })
  @ApiResponse({ status: 412, description: 'If-Match does not match the version' })
  update(
    @Param('id', uuidParam) id: string,
    @Body() body: UpdatePlanBody,
    @Headers('if-match') ifMatch?: string,
  ): Promise<PlanResponse> {
    return this.plans.update(id, body, parseIfMatch(ifMatch));
  }
}
