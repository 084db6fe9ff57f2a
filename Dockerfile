# Stage 1: the dashboard. Its bundler (esbuild) and libraries (preact) are dev dependencies,
# needed only here: `npm run build:web` writes dist/web, which is all the runtime keeps of them.
FROM node:20-bookworm-slim AS web

WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci && npm cache clean --force

COPY scripts/build-web.ts ./scripts/build-web.ts
COPY src/web ./src/web
RUN npm run build:web

# Stage 2: the runtime.
FROM node:20-bookworm-slim

WORKDIR /app

# tsx (which runs the TypeScript sources) is a runtime dependency, so dev dependencies can be left out.
COPY package.json package-lock.json ./
# Dependency fixes applied by the postinstall script (patch-package).
COPY patches ./patches
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY src ./src
# Served by the gateway at / and /assets/ (src/http/dashboard-routes.ts).
COPY --from=web /app/dist/web ./dist/web

ENV NODE_ENV=production
EXPOSE 4000

USER node
# node directly (not npm) so SIGTERM reaches the process and shutdown is graceful.
CMD ["node", "--import", "tsx", "src/main.ts"]
