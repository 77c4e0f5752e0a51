#!/bin/sh
# Django's deployment checks under the production profile; any warning fails (exit status 1).
#
# The secrets are throw-away values made up on the spot: the check judges the configuration,
# never the real keys, which stay out of every CI log. Only the host name may be passed in.
#
# Usage: scripts/check-deploy.sh            (WARMHOME=path/to/warmhome to use another command)
set -eu

cd "$(dirname "$0")/.."
WARMHOME=${WARMHOME:-.venv/bin/warmhome}
PYTHON=${PYTHON:-.venv/bin/python}

throwaway() {
    "$PYTHON" -c "import base64, os, secrets; print($1)"
}

WARMHOME_PROFILE=production
WARMHOME_SECRET_KEY=$(throwaway 'secrets.token_urlsafe(64)')
WARMHOME_FIELD_ENCRYPTION_KEYS=$(throwaway '"check:" + base64.b64encode(os.urandom(32)).decode()')
WARMHOME_AUDIT_HMAC_KEY=$(throwaway 'secrets.token_urlsafe(48)')
WARMHOME_ALLOWED_HOSTS=${WARMHOME_ALLOWED_HOSTS:-example.org}
export WARMHOME_PROFILE WARMHOME_SECRET_KEY WARMHOME_FIELD_ENCRYPTION_KEYS WARMHOME_AUDIT_HMAC_KEY
export WARMHOME_ALLOWED_HOSTS
# Whatever the shell had: the production defaults are what is being checked.
unset WARMHOME_DEBUG WARMHOME_SSL_REDIRECT WARMHOME_HSTS_SECONDS
# Some model checks open a connection (SQLite's JSON support): give them a throw-away database
# unless one is named, so the check works on a fresh clone without var/.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
DATABASE_URL=${DATABASE_URL:-sqlite:///$scratch/check.sqlite3}
export DATABASE_URL

"$WARMHOME" check --deploy --fail-level WARNING
