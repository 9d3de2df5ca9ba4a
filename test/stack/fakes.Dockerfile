# The cloud fakes (Honeycomb, X-Ray, STS, CloudWatch Logs) for the stack lane
# (npm run test:stack): the project's testkit on Node 24. Built from the repository root.
FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY backend-flask-ts/package.json backend-flask-ts/
COPY scripts/package.json scripts/
COPY frontend-react-js/package.json frontend-react-js/
RUN npm ci --workspace scripts --omit=dev --no-audit --no-fund
COPY scripts/lib scripts/lib
COPY testkit testkit
CMD ["node", "testkit/fakes-server.ts"]
