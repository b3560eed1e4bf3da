// Package mailtest runs the mail servers an email inbox talks to, in
// memory, on 127.0.0.1: an IMAP server (go-imap's imapmemserver) holding
// the mailboxes, and an SMTP submission server (go-smtp) that records what
// it is given and can deliver it into the IMAP server's mailboxes, so a
// simulated customer receives Parley's replies and answers them. Both
// speak the real protocols, with TLS (implicit or STARTTLS) and AUTH PLAIN
// when asked to, and take no outside input but what their clients send.
// They serve tests and demos; nothing here is meant for real mail.
package mailtest
