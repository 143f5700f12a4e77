# Shared by .ci/deploy-check and .ci/prod-smoke (sourced, not run): the shipped nginx site and
# systemd units, with the few paths that differ on this machine pointed at temporary files.

# replace FILE FROM TO: every FROM in FILE becomes TO, and FROM must be there, so a change to a
# shipped file that makes a substitution miss fails here instead of testing something else.
replace() {
    local file=$1 from=$2 to=$3 text
    text=$(cat "$file")
    if [[ $text != *"$from"* ]]; then
        echo "deploy check: '$from' is not in $file any more; update .ci/deploy-lib.sh" >&2
        return 1
    fi
    printf '%s\n' "${text//"$from"/"$to"}" >"$file"
}

# self_signed_certificate DIR: DIR/cert.pem and DIR/key.pem for congdoan.example.vn, valid two days.
self_signed_certificate() {
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=congdoan.example.vn \
        -keyout "$1/key.pem" -out "$1/cert.pem" 2>/dev/null
}

# nginx_site DIR: DIR/site.conf, the shipped site with the certificate of DIR and the error page
# of this checkout in place of /etc/letsencrypt and /srv/unionportal; DIR/nginx.conf, a
# throwaway main configuration (in place of Debian's /etc/nginx/nginx.conf) that includes it,
# with its pid, logs and buffers in DIR, so nothing of the system's nginx is used or touched.
nginx_site() {
    local dir=$1
    cp deploy/nginx/unionportal.conf "$dir/site.conf"
    replace "$dir/site.conf" /etc/letsencrypt/live/congdoan.example.vn/fullchain.pem "$dir/cert.pem"
    replace "$dir/site.conf" /etc/letsencrypt/live/congdoan.example.vn/privkey.pem "$dir/key.pem"
    replace "$dir/site.conf" /srv/unionportal/deploy/nginx "$PWD/deploy/nginx"
    cat >"$dir/nginx.conf" <<CONF
# Workers as root (ignored when not run as root) read the error page wherever the checkout is.
user root;
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log $dir/access.log;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    include $dir/site.conf;
}
CONF
}

nginx_binary() { command -v nginx || echo /usr/sbin/nginx; }
