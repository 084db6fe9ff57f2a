# Stage 1: the build. tsc, esbuild and preact are dev dependencies, needed only here:
# `npm run build` writes dist (the compiled server, its migrations, the dashboard), which is all the runtime keeps of them.
FROM node:20-bookworm-slim AS build

WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci && npm cache clean --force

COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.ts scripts/build-web.ts ./scripts/
COPY src ./src
RUN npm run build

# Stage 2: the runtime: compiled JavaScript and production dependencies only.
FROM node:20-bookworm-slim

# The binaries the shipped media types run (README: job types this repository ships): espeak-ng for
# speech.synthesize, ffmpeg and ffprobe for it and video.transcode. A worker serving them stops at start without them.
RUN apt-get update \
  && apt-get install -y --no-install-recommends espeak-ng ffmpeg \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY package.json package-lock.json ./
# Dependency fixes applied by the postinstall script (patch-package).
COPY patches ./patches
RUN npm ci --omit=dev && npm cache clean --force

COPY --from=build /app/dist ./dist

ENV NODE_ENV=production
EXPOSE 4000

# Files a process keeps (artifacts with ARTIFACT_STORE=local): a volume the node user writes,
# mounted by the gateway and every worker alike (docker-compose.yml), or use ARTIFACT_STORE=s3.
ENV DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
VOLUME /data

USER node
# node directly (not npm) so SIGTERM reaches the process and shutdown is graceful.
CMD ["node", "dist/main.js"]
