FROM node:20-bookworm-slim

WORKDIR /app

# tsx (which runs the TypeScript sources) is a runtime dependency, so dev dependencies can be left out.
COPY package.json package-lock.json ./
# Dependency fixes applied by the postinstall script (patch-package).
COPY patches ./patches
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY src ./src

ENV NODE_ENV=production
EXPOSE 4000

USER node
# node directly (not npm) so SIGTERM reaches the process and shutdown is graceful.
CMD ["node", "--import", "tsx", "src/main.ts"]
