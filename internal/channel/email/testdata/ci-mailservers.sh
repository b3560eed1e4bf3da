#!/bin/sh
# ci-mailservers.sh starts the real mail servers realservers_test.go runs
# against: Dovecot for IMAP on 127.0.0.1:1143 and OpenSMTPD for SMTP
# submission on 127.0.0.1:1587, which hands mail for example.test to
# Dovecot over LMTP, so a reply Parley submits lands in the IMAP mailbox.
#
# Run as root on Debian 12. It installs what is missing (dovecot-imapd,
# dovecot-lmtpd, opensmtpd) without starting the packages' own services,
# writes its configuration and mail under $PARLEY_MAIL_DIR (default
# /tmp/parley-mail), starts both servers unless they already answer, and
# prints the variables to export. Running it again changes nothing. No TLS
# and no SMTP AUTH: both listen on the loopback interface only.
#
#	eval "$(sh internal/channel/email/testdata/ci-mailservers.sh)"
#	go test -run RealServers ./internal/channel/email/
set -eu

dir=${PARLEY_MAIL_DIR:-/tmp/parley-mail}
imap_port=1143
smtp_port=1587
user=care@example.test
password=parley-test-password
vmail=parleymail

log() { echo "ci-mailservers: $*" >&2; }

# answers HOST PORT: is something listening there? (bash's /dev/tcp)
answers() { bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

if [ "$(id -u)" -ne 0 ]; then
	log "run as root"
	exit 1
fi

missing=
command -v dovecot >/dev/null || missing="$missing dovecot-imapd"
[ -x /usr/lib/dovecot/lmtp ] || missing="$missing dovecot-lmtpd"
[ -x /usr/sbin/smtpd ] || missing="$missing opensmtpd"
if [ -n "$missing" ]; then
	log "installing$missing"
	# The packages would start their own daemons on the standard ports;
	# policy-rc.d (absent on a full system, present in containers) stops
	# that for the length of the install.
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		trap 'rm -f /usr/sbin/policy-rc.d' EXIT
	fi
	export DEBIAN_FRONTEND=noninteractive
	# The package lists may be missing or stale on a fresh machine.
	if ! timeout 300 apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
		timeout 120 apt-get update -qq
		timeout 300 apt-get install -y -qq --no-install-recommends $missing >/dev/null
	fi
fi

getent passwd "$vmail" >/dev/null || useradd --system --no-create-home --shell /usr/sbin/nologin "$vmail"
mkdir -p "$dir/mail" "$dir/run" "$dir/state"
chown "$vmail:" "$dir/mail"
printf '%s:{PLAIN}%s::::::\n' "$user" "$password" >"$dir/users"

cat >"$dir/dovecot.conf" <<CONF
# Written by ci-mailservers.sh: a test Dovecot on the loopback interface.
base_dir = $dir/run/dovecot
state_dir = $dir/state
instance_name = parley-test
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = $dir/dovecot.log
mail_location = maildir:$dir/mail/%d/%n
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/users
}
userdb {
  driver = static
  args = uid=$vmail gid=$vmail home=$dir/mail/%d/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0666
  }
}
protocol lmtp {
  postmaster_address = postmaster@example.test
}
CONF

cat >"$dir/smtpd.conf" <<CONF
# Written by ci-mailservers.sh: submission on the loopback interface, mail
# for example.test handed to the test Dovecot over LMTP.
table vusers file:$dir/vusers
listen on 127.0.0.1 port $smtp_port
action "dovecot" lmtp "$dir/run/dovecot/lmtp" rcpt-to virtual <vusers>
match from any for domain "example.test" action "dovecot"
CONF
printf '%s %s\n' "$user" "$vmail" >"$dir/vusers"

if answers 127.0.0.1 "$imap_port"; then
	log "IMAP already answers on 127.0.0.1:$imap_port"
else
	dovecot -c "$dir/dovecot.conf"
fi
if answers 127.0.0.1 "$smtp_port"; then
	log "SMTP already answers on 127.0.0.1:$smtp_port"
else
	smtpd -f "$dir/smtpd.conf"
fi

# Wait (at most 10 s) for both to listen.
i=0
until answers 127.0.0.1 "$imap_port" && answers 127.0.0.1 "$smtp_port"; do
	i=$((i + 1))
	if [ "$i" -gt 100 ]; then
		log "the servers did not start; see $dir/dovecot.log and the system log"
		exit 1
	fi
	sleep 0.1
done

cat <<ENV
export PARLEY_TEST_IMAP=127.0.0.1:$imap_port
export PARLEY_TEST_IMAP_USER=$user
export PARLEY_TEST_IMAP_PASSWORD=$password
export PARLEY_TEST_SMTP=127.0.0.1:$smtp_port
ENV
