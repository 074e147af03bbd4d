# Production image: the compiled API server, the command-line tools a city runs (import, import:divisions, seed,
# suggest) and the built editor, with production dependencies only, run as the unprivileged `node` user (uid 1000).
# The database is a separate PostGIS (docker-compose.yml). Checked without Docker by test/api/production-image.test.ts.

# Build: every dependency, then `npm run build` = the editor (vite) and the server compiled to JavaScript into dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Production dependencies: no TypeScript, tsx, Vite, Vitest or Playwright.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Runtime: the build output and the production node_modules, nothing else. The files stay root-owned and read-only
# to the service; only DATA_DIR (the embedded database, used when DATABASE_URL is unset) belongs to `node`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/app/data
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./
RUN mkdir data && chown node:node data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "server/main.js"]
