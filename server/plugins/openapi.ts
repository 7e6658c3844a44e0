// The OpenAPI document is generated from the routes' zod schemas, never written by hand.
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';

export default fp<{ config: Config }>(async (app, { config }) => {
  await app.register(swagger, {
    openapi: {
      info: { title: 'Convene API', version: '0.1.0', description: 'Drafts, clause comments, adjudication and digests for standards correspondence groups. Errors are `{ code, message }`.' },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: '__Host-convene_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
}, { name: 'openapi' });
