# syntax=docker/dockerfile:1
# One image for every linktrack service; the command picks the services:
#   docker run linktrack start --services redirect
# TypeScript runs through tsx at run time, so there is no build step to stage.

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages ./packages
COPY services ./services
# Workspaces are linked by npm ci; dev tools (tests, linters, benchmarks) stay out.
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    LINKTRACK_HOST=0.0.0.0 \
    LINKTRACK_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY packages ./packages
COPY services ./services
COPY infra/clickhouse ./infra/clickhouse
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080 8081 9091
ENTRYPOINT ["node", "bin/linktrack.mjs"]
CMD ["start"]
