# Mainspring: build with the full toolchain, run with production dependencies only.
#   docker build -t mainspring .
#   docker run -p 3000:3000 -e DATABASE_URL=... -e REDIS_URL=... -e JWT_SECRET=... mainspring
# glibc (bookworm) rather than alpine: argon2's prebuilt binary is used as-is, nothing is compiled.
ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Build: every dependency (nest CLI, TypeScript, Swagger plugin) and `nest build` → dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts ./scripts
COPY src ./src
COPY migrations ./migrations
RUN npm run build

# 2. Production dependencies only (no nest CLI, no TypeScript, no test tools).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Runtime: node + production node_modules + dist/. Files stay root-owned (read-only to the app).
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# No curl in the slim image: node's built-in fetch. Liveness only (readiness needs MySQL; see docker-compose.yml).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM goes straight to node (exec form, PID 1), which drains in-flight requests before exiting.
CMD ["node", "dist/src/main.js"]
