import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import metadata from './metadata.js';

/** Swagger UI at /docs and the OpenAPI document at /docs-json, generated from the running app. */
export async function setupSwagger(app: NestFastifyApplication): Promise<void> {
  // DTO schemas come from the Swagger CLI plugin; under jest (swc, no plugin) from the generated metadata.
  await SwaggerModule.loadPluginMetadata(metadata);
  const config = new DocumentBuilder()
    .setTitle('Mainspring API')
    .setDescription('Subscription commerce backend: accounts, inventory, subscriptions, audit.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
