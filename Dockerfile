# Convene's production image. Three stages: the client is built with the dev tools, the runtime
# gets production dependencies only, and the final image runs as the unprivileged `node` user
# with no source mounted. Every base image is pinned by version (pin by digest too when your
# registry mirror allows it: `node:26.10.0-bookworm-slim@sha256:…`).
#   docker build -t convene .
#   docker run -e SESSION_SECRET=$(openssl rand -hex 32) -e DATABASE_URL=… -p 3000:3000 convene

# ---- build: the browser client (Vite needs the dev dependencies) ---------------------------------
FROM node:26.10.0-bookworm-slim AS build
WORKDIR /app
# The lock file and schema first: this layer is reused until the dependencies change.
# (postinstall runs `prisma generate`, which reads the schema and prisma.config.ts.)
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
# The client imports the server's zod schemas and types, so the whole tree (minus .dockerignore).
COPY . .
RUN npm run build:client -- --force

# ---- deps: production dependencies only -----------------------------------------------------------
FROM node:26.10.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
# Also generates the Prisma client into server/generated (postinstall).
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime --------------------------------------------------------------------------------------
FROM node:26.10.0-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=deps --chown=root:root /app/server/generated ./server/generated
COPY --from=build --chown=root:root /app/client/dist ./client/dist
COPY --chown=root:root package.json prisma.config.ts ./
COPY --chown=root:root prisma ./prisma
COPY --chown=root:root emails ./emails
COPY --chown=root:root server ./server
COPY --chown=root:root scripts/db-backup.ts scripts/db-restore.ts scripts/db-url.ts scripts/migrate.ts ./scripts/
# The code is root's and read-only to the app; only its data directory (embedded PostgreSQL when
# no DATABASE_URL is given, backups) is writable by it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# SIGTERM goes straight to Node (no npm in between), which drains and closes gracefully.
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=64", "--disable-warning=ExperimentalWarning", "server/main.ts"]
