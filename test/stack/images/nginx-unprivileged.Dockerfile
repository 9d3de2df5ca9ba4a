# Stand-in for nginxinc/nginx-unprivileged:1.28-alpine where no registry can be reached: Debian's
# nginx arranged as that image arranges the official one (nginxinc/docker-nginx-unprivileged,
# stable/alpine/Dockerfile): no `user` directive, the pid file and every temp path under /tmp,
# conf.d/*.conf included, logs to stdout/stderr, run as uid 101, listening on 8080 by default.
FROM cruddur-standin/debian:bookworm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled /etc/nginx/sites-available \
 && groupadd --system --gid 101 nginx && useradd --system --uid 101 --gid nginx --no-create-home --shell /sbin/nologin nginx \
 && mkdir -p /etc/nginx/conf.d /usr/share/nginx/html \
 && printf '%s\n' \
  'worker_processes auto;' \
  'error_log /dev/stderr notice;' \
  'pid /tmp/nginx.pid;' \
  'events { worker_connections 1024; }' \
  'http {' \
  '  proxy_temp_path /tmp/proxy_temp;' \
  '  client_body_temp_path /tmp/client_temp;' \
  '  fastcgi_temp_path /tmp/fastcgi_temp;' \
  '  uwsgi_temp_path /tmp/uwsgi_temp;' \
  '  scgi_temp_path /tmp/scgi_temp;' \
  '  include /etc/nginx/mime.types;' \
  '  default_type application/octet-stream;' \
  '  access_log /dev/stdout;' \
  '  sendfile on;' \
  '  keepalive_timeout 65;' \
  '  include /etc/nginx/conf.d/*.conf;' \
  '}' > /etc/nginx/nginx.conf \
 && printf 'server {\n  listen 8080;\n  location / { root /usr/share/nginx/html; index index.html; }\n}\n' > /etc/nginx/conf.d/default.conf \
 && echo '<h1>nginx stand-in</h1>' > /usr/share/nginx/html/index.html \
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log \
 && chown -R 101:0 /var/lib/nginx /var/log/nginx /etc/nginx /usr/share/nginx/html && chmod -R g+w /etc/nginx
EXPOSE 8080
STOPSIGNAL SIGQUIT
USER 101
CMD ["nginx", "-g", "daemon off;"]
