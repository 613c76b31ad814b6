import { Body, Controller, Get, Headers, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import { uuidArgument, uuidParam } from '../../../common/errors/validation.js';
import { Public } from '../../../common/auth/public.decorator.js';
import { RequirePermission } from '../../../common/auth/require-permission.decorator.js';
import { Idempotent } from '../../../common/idempotency/idempotency.interceptor.js';
import { ServeDirect } from '../../../infrastructure/http/direct-route.js';
import {
  CreateProductBody,
  ProductPage,
  ProductQuery,
  ProductResponse,
  UpdateProductBody,
} from '../dto/product.dto.js';
import { ProductService } from '../services/product.service.js';
import { parseIfMatch } from '../../../common/http/if-match.js';

@ApiTags('products')
@Controller('api/v1/products')
export class ProductsController {
  constructor(private readonly products: ProductService) {}

  @Post()
  @RequirePermission('catalog:write')
  @Idempotent()
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: ProductResponse })
  @ApiForbiddenResponse({ description: 'Not admin or staff' })
  @ApiConflictResponse({ description: 'Duplicate sku' })
  create(@Body() body: CreateProductBody): Promise<ProductResponse> {
    return this.products.create(body);
  }

  @Get()
  @Public()
  @ApiOkResponse({ type: ProductPage, description: 'Keyset page in id order; ETag / If-None-Match' })
  list(@Query() query: ProductQuery) {
    return this.products.list(query);
  }

  @Get(':id')
  @Public()
  // Served directly (the hottest read): the id is checked by uuidArgument, uuidParam's check and 400.
  @ServeDirect((req) => [uuidArgument((req.params as { id: string }).id)])
  @ApiOkResponse({ type: ProductResponse })
  @ApiNotModifiedResponse({ description: 'If-None-Match matched the ETag' })
  @ApiNotFoundResponse()
  get(@Param('id') id: string): ProductResponse | Promise<ProductResponse> {
    return this.products.get(id);
  }

  @Patch(':id')
  @RequirePermission('catalog:write')
  @ApiBearerAuth()
  @ApiHeader({ name: 'If-Match', required: false, description: 'The product version the change is based on' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Duplicate sku' })
  @ApiPreconditionFailedResponse({ description: 'If-Match does not match the current version' })
  update(
    @Param('id', uuidParam) id: string,
    @Body() body: UpdateProductBody,
    @Headers('if-match') ifMatch?: string,
  ): Promise<ProductResponse> {
    return this.products.update(id, body, parseIfMatch(ifMatch));
  }
}
